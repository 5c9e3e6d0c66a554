/**
 * Helpers for the rate-limit integration tests: server nodes on a database of the test's choosing (two
 * nodes may share one), a private redis-server child that a test may stop and start again, and raw MCP
 * requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import { startApp, type RunningApp } from '../../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../../src/config/index.js';
import { RateLimitPolicyService, RateLimitService } from '../../../src/ratelimit/index.js';
import { RedisService } from '../../../src/redis/index.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import type { TestDatabase } from '../../support/database.js';

export interface Node {
  readonly running: RunningApp;
  readonly url: string;
  readonly config: AppConfig;
  readonly tenancy: TenancyService;
  readonly apiKeys: ApiKeyService;
  readonly policies: RateLimitPolicyService;
  readonly limits: RateLimitService;
  readonly redis: RedisService;
  close(): Promise<void>;
}

/** What every node of one installation shares (keys that would otherwise be generated per data folder). */
const INSTALLATION = {
  SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
  SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
  SWITCHBOARD_COOKIE_KEYS: randomBytes(32).toString('hex'),
};

/** One server node on `database` (several nodes may share it), on a free loopback port. */
export async function startNode(
  database: TestDatabase['config'],
  env: Record<string, string> = {},
): Promise<Node> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-rl-'));
  const base = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    // Telemetry registers process-wide OpenTelemetry globals: two nodes in one process would clash.
    SWITCHBOARD_CONTROLS: 'ratelimit,audit',
    ...INSTALLATION,
    ...env,
  });
  const config: AppConfig = { ...base, database };
  const running = await startApp(config, { seed: false });
  const app = running.app;
  return {
    running,
    url: `http://localhost:${new URL(running.url).port}`,
    config,
    tenancy: app.get(TenancyService),
    apiKeys: app.get(ApiKeyService),
    policies: app.get(RateLimitPolicyService),
    limits: app.get(RateLimitService),
    redis: app.get(RedisService),
    async close() {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestTenant {
  readonly slug: string;
  readonly id: string;
  readonly key: string;
  readonly keyId: string;
  readonly mcpUrl: (node: Node) => string;
}

/** A tenant with the protocol test kit enabled and an owner's API key (scopes given, default `mcp`). */
export async function createTenant(node: Node, scopes: readonly string[] = ['mcp']): Promise<TestTenant> {
  const slug = `rl-${randomBytes(4).toString('hex')}`;
  const tenant = await node.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  await node.tenancy.enablePack(slug, 'protocol-test-kit', { endpointSlug: 'default' });
  const { key, view } = await node.apiKeys.create(slug, { scopes });
  return { slug, id: tenant.id, key, keyId: view.id, mcpUrl: (n) => `${n.url}/t/${slug}/mcp` };
}

export const MODERN_VERSION = '2026-07-28';

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** One 2026-07-28 request (stateless, so any node can serve it). */
export async function mcpRequest(
  url: string,
  key: string,
  method: string,
  params: Record<string, unknown> = {},
  id: number | string = 1,
): Promise<RawResponse> {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'ratelimit-test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return rawPost(
    url,
    key,
    { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } },
    {
      'MCP-Protocol-Version': MODERN_VERSION,
      'Mcp-Method': method,
      ...(typeof params.name === 'string' ? { 'Mcp-Name': params.name } : {}),
    },
  );
}

export async function rawPost(
  url: string,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${key}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parseBody(res.headers.get('content-type'), text) };
}

function parseBody(contentType: string | null, text: string): unknown {
  if (!text) return null;
  if (contentType?.includes('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim());
    return data.length > 0 ? JSON.parse(data[data.length - 1]!) : null;
  }
  return JSON.parse(text) as unknown;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server child on its own port, without persistence, that a test may stop and start again. */
export class RedisChild {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisChild> {
    const r = new RedisChild(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      // redis-server (without persistence to load) serves as soon as it accepts connections.
      if (await accepts(this.port)) return;
      await sleep(25);
    }
    throw new Error('redis-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether the redis-server binary can be run here. */
export async function redisServerAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn('redis-server', ['--version'], { stdio: 'ignore' });
    p.once('error', () => resolve(false));
    p.once('exit', (code) => resolve(code === 0));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** A key prefix no other test run uses. */
export function uniquePrefix(): string {
  return `sbtest-${randomBytes(6).toString('hex')}:`;
}
