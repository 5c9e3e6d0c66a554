#!/usr/bin/env node
// `npm run bench:cluster`: capacity of one node against two, as separate processes on one PostgreSQL and
// one Redis, behind the round-robin proxy of the cluster tests (no affinity), driven by autocannon:
//   - stateless 2026-07-28 tools/call, and 2025-era sessions (one per connection) whose requests bounce
//     between the nodes, for one node and for two; the two/one throughput ratio per era;
//   - two nodes with one killed (SIGKILL) half-way through a run: errors and throughput.
// Every server runs in its own process; the proxy and the load generator run here.
//
//   BENCH_DATABASE_URL (default TEST_DATABASE_URL)  BENCH_REDIS_URL (default TEST_REDIS_URL)
//   BENCH_DURATION=10 (seconds per row)  BENCH_CONNECTIONS=20  BENCH_CONTROLS=ratelimit,audit  BENCH_ROUNDS=3
//
// One- and two-node rows alternate for BENCH_ROUNDS rounds (medians reported), both nodes running all along
// (the proxy routes to one or to both), so background load on a shared machine hits both alike. Each row
// also reports CPU time per request of the Switchboard processes and of this process (proxy + load
// generator), from /proc: what bounds throughput on a machine with few cores.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';

import { startRoundRobinProxy } from '../support/round-robin-proxy.mjs';
import { cli, freePort, jsonHeaders, MODERN, openLegacySession, root } from './support.mjs';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const CONTROLS = process.env.BENCH_CONTROLS ?? 'ratelimit,audit';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOOL = 'test_simple_text';

if (!DATABASE_URL || !REDIS_URL) {
  process.stderr.write(
    'bench:cluster needs PostgreSQL and Redis: set BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*)\n',
  );
  process.exit(2);
}

async function startNode(env) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SWITCHBOARD_DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-cb-')),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 90_000) throw new Error('node not ready after 90 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child };
}

async function stopNode(node) {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.kill('SIGTERM');
  await exited;
}

/** CPU time (ms) a process used so far, from /proc (user + system; clock ticks of 10 ms). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function body(era, id) {
  const params = { name: TOOL, arguments: {} };
  if (era === 'modern') {
    params._meta = {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params });
}

/** One autocannon run; legacy runs give each connection a session of its own. */
async function load(url, auth, era, { duration = DURATION, during, nodes = [], proxy } = {}) {
  const sessions =
    era === 'legacy'
      ? await Promise.all(Array.from({ length: CONNECTIONS }, () => openLegacySession(url, auth)))
      : [];
  let id = 1;
  let client = 0;
  const modern = { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': 'tools/call', 'Mcp-Name': TOOL };
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    method: 'POST',
    headers: { ...jsonHeaders, ...auth, ...(era === 'modern' ? modern : {}) },
    setupClient: (c) => {
      if (era === 'legacy') c.setHeaders({ ...jsonHeaders, ...sessions[client++ % sessions.length] });
    },
    requests: [{ setupRequest: (req) => ({ ...req, body: body(era, id++) }) }],
  });
  const pids = nodes.map((n) => n.child.pid);
  const nodeCpu0 = pids.reduce((a, pid) => a + cpuMs(pid), 0);
  const selfCpu0 = process.cpuUsage();
  const proxyFailures0 = proxy?.stats.failures ?? 0;
  if (during) void during();
  const result = await run;
  const nodeCpu = pids.reduce((a, pid) => a + cpuMs(pid), 0) - nodeCpu0;
  const self = process.cpuUsage(selfCpu0);
  const total = Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + ((proxy?.stats.failures ?? 0) - proxyFailures0),
    non2xx: result.non2xx,
    total: result.requests.total,
    // A node killed during the row has no /proc entry to read at its end: no CPU figure then.
    nodeCpuUs: nodes.every((n) => n.child.exitCode === null && n.child.signalCode === null)
      ? Math.round((nodeCpu * 1000) / total)
      : null,
    benchCpuUs: Math.round((self.user + self.system) / total),
  };
}

async function main() {
  const build = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');

  const dbName = `bench_cluster_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(DATABASE_URL);
  dbUrl.pathname = `/${dbName}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const proxy = await startRoundRobinProxy();
  const cliDir = await mkdtemp(join(tmpdir(), 'sb-cb-cli-'));
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
    SWITCHBOARD_DATA_DIR: cliDir,
    PUBLIC_URL: proxy.url,
    SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
    SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
    SWITCHBOARD_COOKIE_KEYS: randomBytes(32).toString('hex'),
    SWITCHBOARD_CONTROLS: CONTROLS,
    SWITCHBOARD_SEED_DEMO: 'false',
    SWITCHBOARD_SESSION_IDLE_SECONDS: '600',
    LOG_LEVEL: 'warn',
  };
  const nodes = [];
  try {
    // Once, as a release would (the nodes then only check the schema).
    const migrated = spawnSync(process.execPath, ['apps/cli/bin/switchboard.js', 'db', 'migrate'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`db migrate failed: ${migrated.stderr}`);
    cli(['tenant', 'create', 'bench', '--owner', 'bench@example.com'], env);
    cli(['pack', 'enable', 'protocol-test-kit', '--tenant', 'bench'], env);
    cli(['plan', 'set', '--tenant', 'bench', '--plan', 'unlimited'], env);
    const { key } = cli(['key', 'create', '--tenant', 'bench'], env);
    const auth = { Authorization: `Bearer ${key}` };
    const mcpUrl = `${proxy.url}/t/bench/mcp`;
    const rows = [];
    const row = (name, r) => {
      rows.push({ name, ...r });
      process.stdout.write(
        `${name.padEnd(42)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  errors ${r.errors}  non-2xx ${r.non2xx}  node CPU ${r.nodeCpuUs ?? '—'} µs/req  proxy+load CPU ${r.benchCpuUs} µs/req\n`,
      );
    };

    process.stdout.write(
      `\n${cpus().length} CPU(s), load average ${loadavg()[0].toFixed(1)}; ${CONNECTIONS} connections, ${DURATION} s per row, ${ROUNDS} round(s), controls: ${CONTROLS}\n\n`,
    );
    const fresh = { ...env, SWITCHBOARD_MIGRATE_ON_BOOT: 'false' };
    nodes.push(await startNode(fresh), await startNode(fresh));
    const one = [nodes[0]];
    const both = [nodes[0], nodes[1]];
    proxy.setUpstreams(both.map((n) => n.url));
    await load(mcpUrl, auth, 'modern', { duration: 3 }); // warm-up, both nodes
    await load(mcpUrl, auth, 'legacy', { duration: 3 });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const era of ['modern', 'legacy']) {
        for (const set of [one, both]) {
          proxy.setUpstreams(set.map((n) => n.url));
          const label = `${set.length === 1 ? '1 node ' : '2 nodes'}  ${era === 'modern' ? 'modern (stateless)' : set.length === 1 ? 'legacy (sessions)' : 'legacy (sessions bounce A↔B)'}`;
          row(`${label} #${round}`, await load(mcpUrl, auth, era, { nodes: set, proxy }));
        }
      }
    }
    const median = (prefix) => {
      const rs = rows.filter((r) => r.name.startsWith(prefix)).sort((a, b) => a.rps - b.rps);
      return rs[Math.floor(rs.length / 2)];
    };
    process.stdout.write('\nmedians:\n');
    const medians = {};
    for (const label of [
      '1 node   modern (stateless)',
      '2 nodes  modern (stateless)',
      '1 node   legacy (sessions)',
      '2 nodes  legacy (sessions bounce A↔B)',
    ]) {
      medians[label] = median(label);
      row(label, medians[label]);
    }

    process.stdout.write('\nlosing a node:\n');
    proxy.setUpstreams(both.map((n) => n.url));
    const victim = nodes[1];
    row(
      '2 nodes  modern, one SIGKILLed half-way',
      await load(mcpUrl, auth, 'modern', {
        nodes: both,
        proxy,
        during: async () => {
          await new Promise((r) => setTimeout(r, (DURATION * 1000) / 2));
          victim.child.kill('SIGKILL');
        },
      }),
    );
    nodes[1] = await startNode(fresh);
    proxy.setUpstreams([nodes[0], nodes[1]].map((n) => n.url));
    row(
      '2 nodes  legacy, one SIGKILLed half-way',
      await load(mcpUrl, auth, 'legacy', {
        nodes: [nodes[0], nodes[1]],
        proxy,
        during: async () => {
          await new Promise((r) => setTimeout(r, (DURATION * 1000) / 2));
          nodes[1].child.kill('SIGKILL');
        },
      }),
    );

    const ratio = (era) => {
      const names = Object.keys(medians).filter((n) => n.includes(era));
      return (medians[names[1]].rps / medians[names[0]].rps).toFixed(2);
    };
    process.stdout.write(
      `\ntwo-node / one-node throughput: modern ${ratio('modern')}, legacy ${ratio('legacy')}\n`,
    );
    process.stdout.write(
      `proxy: ${proxy.stats.requests} requests, ${proxy.stats.retries} retried on another node (refused or reset before any answer), ${proxy.stats.failures} failed; load average now ${loadavg()[0].toFixed(1)}\n`,
    );
  } finally {
    await Promise.all(nodes.map(stopNode));
    await proxy.close();
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length > 0) await r.del(...keys);
    await r.quit();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(cliDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench:cluster failed: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
