/**
 * Helpers for the cluster tests: Switchboard nodes as separate `node dist/src/main.js` processes sharing
 * one PostgreSQL database and one Redis (under a key prefix of the test's own), a round-robin proxy in
 * front of them, the `switchboard` CLI in process, and MCP clients (the official SDK v2 client, with a
 * fetch that chooses the node of each request).
 *
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL (`.ci/run` sets both) and the build (`npm test` builds
 * before the integration suite; the tests build when dist/ is missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, type FetchLike } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';
import pg from 'pg';

import { run } from '../../../apps/cli/src/main.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy.mjs';
import { freePort } from '../ratelimit/support.js';

export const databaseUrl = process.env.TEST_DATABASE_URL;
export const redisUrl = process.env.TEST_REDIS_URL;

/** `describe` when PostgreSQL and Redis are there; under CI their absence is an error, never a skip. */
export function clusterSuite(file: string): typeof describe | typeof describe.skip {
  if (databaseUrl && redisUrl) return describe;
  if (process.env.CI === 'true') throw new Error('CI must set TEST_DATABASE_URL and TEST_REDIS_URL');
  process.stderr.write(`\n!!! ${file} NOT RUN: set TEST_DATABASE_URL and TEST_REDIS_URL\n\n`);
  return describe.skip;
}

const MAIN = join(process.cwd(), 'dist/src/main.js');

export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  const build = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('nest build failed');
}

export interface NodeProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One installation: its database, Redis prefix, shared keys, proxy and nodes. */
export class Cluster {
  readonly prefix = `sbtest-cluster-${randomBytes(4).toString('hex')}:`;
  readonly nodes: NodeProcess[] = [];
  db!: TestDatabase;
  proxy!: RoundRobinProxy;
  private dataDirs: string[] = [];
  private env: Record<string, string> = {};

  async start(): Promise<void> {
    ensureBuilt();
    this.db = await createTestDatabase('postgres');
    this.proxy = await startRoundRobinProxy();
    const cliDir = await this.dataDir();
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: this.db.url!,
      REDIS_URL: redisUrl!,
      SWITCHBOARD_REDIS_KEY_PREFIX: this.prefix,
      SWITCHBOARD_DATA_DIR: cliDir,
      PUBLIC_URL: this.proxy.url,
      // What every node of one installation shares.
      SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_COOKIE_KEYS: randomBytes(32).toString('hex'),
      SWITCHBOARD_CONTROLS: 'ratelimit,audit',
      SWITCHBOARD_SEED_DEMO: 'false',
      SWITCHBOARD_SHUTDOWN_TIMEOUT_SECONDS: '20',
      // Few failures before a lockout, so the shared brute-force counter shows quickly.
      SWITCHBOARD_LOCKOUT_THRESHOLD: '3',
      LOG_LEVEL: 'info',
    };
  }

  /** Starts a node and puts it behind the proxy. */
  async startNode(name: string, env: Record<string, string> = {}): Promise<NodeProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        ...this.env,
        SWITCHBOARD_DATA_DIR: await this.dataDir(),
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 90_000);
      const onData = (): void => {
        if (!output.includes('Switchboard is ready')) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      };
      child.stdout!.on('data', onData);
      void exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code}:\n${output}`));
      });
    });
    const node: NodeProcess = {
      name,
      url: `http://127.0.0.1:${port}`,
      child,
      output: () => output,
      exited,
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await exited;
      },
    };
    this.nodes.push(node);
    this.route();
    return node;
  }

  /** Puts the nodes still running behind the proxy (or only `only`). */
  route(only?: readonly NodeProcess[]): void {
    const live = (only ?? this.nodes).filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    this.proxy.setUpstreams(live.map((n) => n.url));
  }

  /** `switchboard …` in process against this installation (`--json` output parsed). */
  async cli<T = unknown>(...argv: string[]): Promise<T> {
    const out: string[] = [];
    const code = await run([...argv, '--json'], this.env, {
      out: (s) => void out.push(s),
      err: (s) => void out.push(s),
    });
    if (code !== 0) throw new Error(`switchboard ${argv.join(' ')} exited with ${code}: ${out.join('')}`);
    return JSON.parse(out.join('')) as T;
  }

  /** A tenant with the protocol test kit, raw tool arguments kept in its audit log, and an owner's key. */
  async tenant(scopes = 'mcp'): Promise<{ slug: string; key: string; keyId: string }> {
    const slug = `cl-${randomBytes(4).toString('hex')}`;
    await this.cli('tenant', 'create', slug, '--owner', `owner@${slug}.example`);
    await this.cli('pack', 'enable', 'protocol-test-kit', '--tenant', slug);
    await this.cli('audit', 'settings', '--tenant', slug, '--raw-arguments', 'on');
    const { key, id } = await this.cli<{ key: string; id: string }>(
      'key',
      'create',
      '--tenant',
      slug,
      '--scopes',
      scopes,
    );
    return { slug, key, keyId: id };
  }

  /** Tool-call audit events of a tenant, read straight from PostgreSQL. */
  async auditedNames(slug: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: this.db.url });
    await client.connect();
    try {
      const res = await client.query<{ name: string | null }>(
        `SELECT e.data->'args'->>'name' AS name FROM "AuditEvent" e JOIN "Tenant" t ON t.id = e."tenantId"
          WHERE t.slug = $1 AND e.action = 'tool.call'`,
        [slug],
      );
      return res.rows.flatMap((r) => (r.name ? [r.name] : []));
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (n.child.exitCode !== null || n.child.signalCode !== null) return;
        n.child.kill('SIGKILL');
        await n.exited;
      }),
    );
    await this.proxy?.close();
    const r = new Redis(redisUrl!);
    try {
      const keys = await r.keys(`${this.prefix}*`);
      if (keys.length > 0) await r.del(...keys);
    } finally {
      await r.quit();
    }
    await this.db?.dispose();
    await Promise.all(this.dataDirs.map((d) => rm(d, { recursive: true, force: true })));
  }

  private async dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'sb-cluster-'));
    this.dataDirs.push(dir);
    return dir;
  }
}

/** A fetch that sends each request to the node `pick` names (by rewriting the origin), for the SDK client. */
export function fetchVia(pick: (url: URL, init: RequestInit | undefined) => NodeProcess): FetchLike {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const node = new URL(pick(url, init).url);
    url.protocol = node.protocol;
    url.host = node.host;
    return fetch(url, init);
  };
}

/** The official SDK v2 client on a 2025-era session, with the fetch given. */
export async function legacyClient(mcpUrl: string, key: string, customFetch?: FetchLike): Promise<Client> {
  const client = new Client({ name: 'cluster-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
    ...(customFetch && { fetch: customFetch }),
    reconnectionOptions: {
      initialReconnectionDelay: 200,
      maxReconnectionDelay: 2000,
      reconnectionDelayGrowFactor: 1.5,
      maxRetries: 30,
    },
  });
  await client.connect(transport);
  return client;
}

/** Plain text of a tool result. */
export function text(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('');
}

export const MODERN_VERSION = '2026-07-28';

/** One stateless 2026-07-28 request; returns status and parsed body (JSON or the last SSE message). */
export async function modernCall(
  url: string,
  key: string,
  method: string,
  params: Record<string, unknown> = {},
  id: number | string = 1,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'cluster-test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': MODERN_VERSION,
      'Mcp-Method': method,
      ...(typeof params.name === 'string' ? { 'Mcp-Name': params.name } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } }),
    // A request caught on a node that dies gets no answer: a client gives up on it and moves on.
    signal: AbortSignal.timeout(15_000),
  });
  const raw = await res.text();
  let body: unknown = raw;
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    const data = raw
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .filter((l) => l.trim() !== '');
    body = data.length > 0 ? (JSON.parse(data[data.length - 1]!) as unknown) : null;
  } else if (raw) {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      body = raw;
    }
  }
  return { status: res.status, headers: res.headers, body };
}
