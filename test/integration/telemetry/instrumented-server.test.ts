/**
 * The server as `npm start` runs it (`node dist/src/main.js`, so `npm run build` first; `npm test` builds
 * before its test steps): the SDK starts before the server's modules load, hooks the ES module loader and
 * instruments HTTP, Express, Nest, pg, ioredis and Prisma. Spans reach a collector over OTLP/HTTP — here
 * a receiver in the test — and each access-log line carries the request id, tenant and trace id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import { startApp } from '../../../src/bootstrap.js';
import { loadConfig } from '../../../src/config/index.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { e2eDatabaseKind } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');
const TOOL = 'json_schema_2020_12_tool';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

interface ReceivedSpan {
  readonly scope: string;
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly attributes: Record<string, unknown>;
}

/** A minimal OTLP/HTTP (JSON) trace receiver. */
function otlpReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[]; raw: string[] }> {
  const spans: ReceivedSpan[] = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/v1/traces') {
        raw.push(body);
        const parsed = JSON.parse(body) as {
          resourceSpans?: {
            scopeSpans?: {
              scope: { name: string };
              spans?: {
                name: string;
                kind: number;
                traceId: string;
                spanId: string;
                parentSpanId?: string;
                attributes?: { key: string; value: Record<string, unknown> }[];
              }[];
            }[];
          }[];
        };
        for (const rs of parsed.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                scope: ss.scope.name,
                name: s.name,
                kind: s.kind,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                attributes: Object.fromEntries(
                  (s.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
                ),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, raw }),
    ),
  );
}

let db: TestDatabase;
let dataDir: string;
let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
let child: ChildProcess;
let output = '';
let baseUrl: string;
let tenant: { slug: string; id: string; key: string };
const redisUrl = process.env.TEST_REDIS_URL;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  db = await createTestDatabase(e2eDatabaseKind());
  dataDir = await mkdtemp(join(tmpdir(), 'sb-otel-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
    SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...(redisUrl
      ? {
          REDIS_URL: redisUrl,
          SWITCHBOARD_REDIS_KEY_PREFIX: `sbtest-otel-${randomBytes(4).toString('hex')}:`,
        }
      : {}),
  };
  // The embedded database lives at SWITCHBOARD_DATA_DIR/pglite: move this test's copy there.
  let database = db.config;
  if (database.kind === 'pglite') {
    await rename(database.dataDir, join(dataDir, 'pglite'));
    database = { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  }

  // A tenant, a pack and a key, written through the platform's own services, then the process is closed
  // so the child can open the database (the embedded one admits one process).
  const setup = await startApp(
    { ...loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent', SWITCHBOARD_CONTROLS: 'none' }), database },
    { seed: false },
  );
  try {
    const slug = `otel-${randomBytes(4).toString('hex')}`;
    const tenancy = setup.app.get(TenancyService);
    await tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
    await tenancy.enablePack(slug, 'protocol-test-kit', { endpointSlug: 'default' });
    const { key } = await setup.app.get(ApiKeyService).create(slug, {});
    tenant = { slug, id: (await tenancy.getTenant(slug)).id, key };
  } finally {
    await setup.close();
  }

  receiver = await otlpReceiver();
  child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      PORT: '0',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /listening on (http:\/\/[^\s,]+)/.exec(output);
    if (m) {
      baseUrl = m[1]!.replace('127.0.0.1', 'localhost');
      break;
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  receiver?.server.close();
  await db?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the server started as npm start does', () => {
  let canary: string;
  let requestSpan: ReceivedSpan | undefined;

  beforeAll(async () => {
    canary = `canary-${randomBytes(8).toString('hex')}`;
    const client = new Client(
      { name: 'otel-check', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    // The caller's own trace: the MCP server span must continue it.
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${baseUrl}/t/${tenant.slug}/mcp`), {
        requestInit: {
          headers: {
            Authorization: `Bearer ${tenant.key}`,
            traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
          },
        },
      }),
    );
    try {
      const result = await client.callTool({
        name: TOOL,
        arguments: { name: canary, address: { city: canary } },
      });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    // A route the generic HTTP, Express and Nest instrumentations trace (the MCP URLs have their own).
    const prm = await fetch(`${baseUrl}/.well-known/oauth-protected-resource/t/${tenant.slug}/mcp`);
    expect(prm.status).toBe(200);
    // A graceful stop flushes the span batch to the collector.
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(output).not.toMatch(/"level":50/);
    expect([0, null]).toContain(code);
    requestSpan = receiver.spans.find((s) => s.scope === 'switchboard.mcp' && s.name === 'tools/call');
  });

  it('exports spans from the automatic instrumentations and its own, in one trace per request', () => {
    const scopes = new Set(receiver.spans.map((s) => s.scope));
    for (const scope of [
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-nestjs-core',
      'prisma',
      'switchboard.mcp',
    ]) {
      expect(scopes).toContain(scope);
    }
    if (db.kind === 'postgres') expect(scopes).toContain('@opentelemetry/instrumentation-pg');
    if (redisUrl) expect(scopes).toContain('@opentelemetry/instrumentation-ioredis');

    expect(requestSpan).toBeDefined();
    const trace = receiver.spans.filter((s) => s.traceId === requestSpan!.traceId);
    // The MCP request span is the server span of the POST, continuing the caller's trace; the tool call
    // is its child. The generic HTTP instrumentation leaves MCP URLs to it: no HTTP, Express or Nest span
    // in this trace.
    const tool = trace.find((s) => s.name === `tools/call ${TOOL}`);
    expect(tool?.parentSpanId).toBe(requestSpan!.spanId);
    expect(requestSpan!.traceId).toBe(CALLER_TRACE);
    expect(requestSpan!.parentSpanId).toBe(CALLER_SPAN);
    expect(requestSpan!.kind).toBe(2); // SERVER
    expect(
      trace.filter((s) =>
        [
          '@opentelemetry/instrumentation-http',
          '@opentelemetry/instrumentation-express',
          '@opentelemetry/instrumentation-nestjs-core',
        ].includes(s.scope),
      ),
    ).toEqual([]);
    // Other routes keep the generic spans: HTTP server span at the root, Nest's handler inside it.
    const prmTrace = receiver.spans.find(
      (s) => s.scope === '@opentelemetry/instrumentation-http' && s.name.startsWith('GET /.well-known/'),
    );
    expect(prmTrace?.kind).toBe(2);
    expect(
      receiver.spans.some(
        (s) => s.traceId === prmTrace?.traceId && s.scope === '@opentelemetry/instrumentation-nestjs-core',
      ),
    ).toBe(true);
    expect(Number(requestSpan!.attributes['http.response.status_code'])).toBe(200);
    expect(requestSpan!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/t/:tenant/mcp',
      'switchboard.tenant': tenant.slug,
      'switchboard.tenant.id': tenant.id,
      'switchboard.principal.type': 'api_key',
      'switchboard.outcome': 'ok',
    });
  });

  it('exports no argument value and no credential', () => {
    const everything = receiver.raw.join('\n');
    expect(everything).not.toContain(canary);
    expect(everything).not.toContain(tenant.key);
  });

  it("writes the request's access-log line with its request id, tenant and trace id", () => {
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.find(
      (l) =>
        l.msg === 'request completed' &&
        (l.req as { path?: string } | undefined)?.path === `/t/${tenant.slug}/mcp` &&
        l.traceId === requestSpan?.traceId,
    );
    expect(access).toBeDefined();
    expect(access).toMatchObject({ tenant: tenant.slug, tenantId: tenant.id });
    expect(access!.requestId).toBe((access!.req as { id: string }).id);
    expect(JSON.stringify(lines)).not.toContain(tenant.key);
  });
});
