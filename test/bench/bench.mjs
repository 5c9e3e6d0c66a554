#!/usr/bin/env node
// `npm run bench`: Switchboard (API-key auth, one tenant, a trivial tool) against a bare MCP SDK v2 server
// with the same tool, in one run, for a legacy session and for stateless 2026-07-28 requests, at 10 and 50
// connections; plus resident memory per idle legacy session and time from process start to ready.
// Every server runs in its own process; the load generator (autocannon) runs here.
//
//   BENCH_DURATION=8 (seconds per row)  BENCH_SESSIONS=1000  BENCH_TARGETS=bare,switchboard,switchboard-nocontrols
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { obtainAccessToken } from './oauth-token.mjs';
import { cli, freePort, jsonHeaders, MODERN, openLegacySession, root } from './support.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000);
const CONNECTIONS = [10, 50];
const TOOL = 'test_simple_text';
const TENANT = 'bench';
const OWNER = 'bench@example.com';

async function waitReady(url, child, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${url}`);
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts one target; returns { url (MCP URL), headers (auth), child, readyMs }. */
async function startTarget(target, baseEnv) {
  const port = await freePort();
  if (target.kind === 'bare') {
    const started = performance.now();
    const child = spawn(process.execPath, ['test/bench/bare-server.mjs'], {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((res) => child.stdout.once('data', res));
    return { url: `http://127.0.0.1:${port}/mcp`, headers: {}, child, readyMs: performance.now() - started };
  }
  const env = {
    ...baseEnv,
    PORT: String(port),
    // The OAuth token's audience is built from the public URL: make it the address the bench uses.
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SWITCHBOARD_SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ...target.env,
  };
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitReady(`http://127.0.0.1:${port}/health/ready`, child);
  return {
    url: `http://127.0.0.1:${port}/t/${TENANT}/mcp`,
    headers: { Authorization: `Bearer ${target.key}` },
    child,
    readyMs: performance.now() - started,
  };
}

function modernBody(id) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: TOOL,
      arguments: {},
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
}

async function load(url, headers, era, connections, duration = DURATION) {
  let id = 1;
  const modernHeaders = { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': 'tools/call', 'Mcp-Name': TOOL };
  const result = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { ...jsonHeaders, ...headers, ...(era === 'modern' ? modernHeaders : {}) },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body:
            era === 'modern'
              ? modernBody(id++)
              : JSON.stringify({
                  jsonrpc: '2.0',
                  id: id++,
                  method: 'tools/call',
                  params: { name: TOOL, arguments: {} },
                }),
        }),
      },
    ],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad,
    total: result.requests.total,
  };
}

async function sanityCheck(url, headers, era) {
  const session = era === 'legacy' ? await openLegacySession(url, headers) : headers;
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      ...jsonHeaders,
      ...session,
      ...(era === 'modern'
        ? { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': 'tools/call', 'Mcp-Name': TOOL }
        : {}),
    },
    body:
      era === 'modern'
        ? modernBody(1)
        : JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name: TOOL, arguments: {} },
          }),
  });
  const text = await r.text();
  if (!r.ok || !text.includes('simple text response'))
    throw new Error(`${era} sanity call failed (${r.status}): ${text.slice(0, 300)}`);
  return session;
}

/**
 * Resident memory an idle legacy session adds, measured at the margin: open SESSIONS sessions (which also
 * pays one-off growth of the heap's spaces), then SESSIONS more, and divide the second batch's RSS growth.
 */
async function idleSessionCost(target, baseEnv) {
  const t = await startTarget(target, baseEnv);
  const openBatch = async () => {
    for (let i = 0; i < SESSIONS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, SESSIONS - i) }, () => openLegacySession(t.url, t.headers)),
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  };
  try {
    await openBatch();
    const before = rssKiB(t.child.pid);
    await openBatch();
    return (rssKiB(t.child.pid) - before) / SESSIONS;
  } finally {
    await stop(t.child);
  }
}

async function createBenchDatabase(serverUrl) {
  const { default: pg } = await import('pg');
  const name = `sb_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    const b = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (b.status !== 0) process.exit(1);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  // BENCH_DATABASE_URL (a PostgreSQL server URL): run Switchboard on a fresh database there, as in production;
  // otherwise on the embedded default.
  const pgDatabase = process.env.BENCH_DATABASE_URL
    ? await createBenchDatabase(process.env.BENCH_DATABASE_URL)
    : null;
  const env = {
    ...process.env,
    SWITCHBOARD_DATA_DIR: dataDir,
    ...(pgDatabase ? { DATABASE_URL: pgDatabase.url } : {}),
  };
  process.stderr.write(`database: ${pgDatabase ? 'PostgreSQL' : 'embedded PGlite'}\n`);
  try {
    cli(['tenant', 'create', TENANT, '--owner', OWNER], env);
    // Only the one tool the bare server has, so both expose the same surface.
    cli(['pack', 'enable', 'protocol-test-kit', '--tenant', TENANT, '--tools', TOOL], env);
    // Limits so high nothing is refused, but still counted: `unlimited` would skip the limiter entirely.
    const huge = { points: 1_000_000_000, windowSeconds: 60 };
    cli(
      [
        'plan',
        'set',
        '--tenant',
        TENANT,
        '--plan',
        'enterprise',
        '--override',
        JSON.stringify({ tenant: huge, principal: huge, tool: huge }),
      ],
      env,
    );
    for (const extra of process.env.BENCH_SETUP ? JSON.parse(process.env.BENCH_SETUP) : []) cli(extra, env);
    const { key } = cli(['key', 'create', '--tenant', TENANT, '--name', 'bench'], env);
    const password = randomBytes(18).toString('base64url');
    cli(['user', 'set-password', OWNER], env, `${password}\n`);

    const wanted = (
      process.env.BENCH_TARGETS ?? 'bare,switchboard,switchboard-nocontrols,switchboard-oauth'
    ).split(',');
    const all = {
      bare: { name: 'bare SDK', kind: 'bare' },
      switchboard: { name: 'Switchboard', kind: 'switchboard', key, env: {} },
      'switchboard-nocontrols': {
        name: 'Switchboard, controls off',
        kind: 'switchboard',
        key,
        env: { SWITCHBOARD_CONTROLS: 'none' },
      },
      'switchboard-oauth': {
        name: 'Switchboard, OAuth token',
        kind: 'switchboard',
        key,
        env: {},
        oauth: { email: OWNER, password },
      },
    };
    // `only:<control>` runs Switchboard with just that control on, to price each control on its own.
    for (const w of wanted.filter((x) => x.startsWith('only:'))) {
      const control = w.slice('only:'.length);
      all[w] = {
        name: `Switchboard, only ${control}`,
        kind: 'switchboard',
        key,
        env: { SWITCHBOARD_CONTROLS: control },
      };
    }
    const unknown = wanted.filter((w) => !all[w]);
    if (unknown.length > 0) throw new Error(`unknown BENCH_TARGETS: ${unknown.join(', ')}`);
    const targets = wanted.map((w) => all[w]).filter(Boolean);
    const rows = [];
    const readiness = {};
    for (const target of targets) {
      const t = await startTarget(target, env);
      if (target.kind === 'switchboard') readiness[target.name] = t.readyMs;
      if (target.oauth) {
        const token = await obtainAccessToken(
          new URL(t.url).origin,
          t.url,
          target.oauth.email,
          target.oauth.password,
        );
        t.headers = { Authorization: `Bearer ${token}` };
      }
      try {
        for (const era of ['legacy', 'modern']) {
          const headers = await sanityCheck(t.url, t.headers, era);
          for (const c of CONNECTIONS) {
            await load(t.url, headers, era, c, 2); // warm-up, not reported
            const r = await load(t.url, headers, era, c);
            rows.push({ target: target.name, era, connections: c, ...r });
            process.stderr.write(
              `${target.name} ${era} c=${c}: ${fmt(r.rps)} req/s p50 ${r.p50} ms p99 ${r.p99} ms (${r.bad} bad)\n`,
            );
          }
        }
      } finally {
        await stop(t.child);
      }
    }

    // Time to ready on an existing data folder: a fresh process on the folder the runs above used.
    const coldPort = await freePort();
    const startedCold = performance.now();
    const cold = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: { ...env, PORT: String(coldPort), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    await waitReady(`http://127.0.0.1:${coldPort}/health/ready`, cold);
    const readyMs = performance.now() - startedCold;
    await stop(cold);

    const perSession = {};
    for (const target of targets.filter((x) => x.kind === 'bare' || x.name === 'Switchboard')) {
      perSession[target.name] = await idleSessionCost(target, env);
    }

    const baseline = (era, c) =>
      rows.find((r) => r.target === 'bare SDK' && r.era === era && r.connections === c);
    console.log('\n| target | era | conns | req/s | p50 ms | p99 ms | errors | ratio vs bare |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const b = baseline(r.era, r.connections);
      console.log(
        `| ${r.target} | ${r.era} | ${r.connections} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.bad} | ${b ? fmt(r.rps / b.rps, 2) : '-'} |`,
      );
    }
    console.log('\n| target | resident memory per idle legacy session (marginal) |');
    console.log('|---|---|');
    for (const [name, kib] of Object.entries(perSession))
      console.log(`| ${name} | ${fmt(kib, 1)} KiB (sessions ${SESSIONS + 1}–${2 * SESSIONS}) |`);
    console.log(`\nSwitchboard: process start to ready on an existing data folder: ${fmt(readyMs)} ms`);
    const errors = rows.reduce((n, r) => n + r.bad, 0);
    if (errors > 0) console.log(`\nWARNING: ${errors} failed requests during the runs`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await pgDatabase?.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
