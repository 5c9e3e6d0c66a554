/**
 * Telemetry on the running server, driven by the official MCP client: the span tree and attributes of a
 * tool call (from an in-memory exporter), no raw argument anywhere in a span, /metrics counters moving and
 * refusing scrapers without the token.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';

import { loadConfig } from '../../../src/config/index.js';
import { RateLimitPolicyService } from '../../../src/ratelimit/rate-limit-policy.service.js';
import { startTelemetry, type TelemetryRuntime } from '../../../src/telemetry/otel.js';
import { createTenant, startTestApp, type TestApp } from '../../support/app.js';

const MODERN = '2026-07-28';
const METRICS_TOKEN = randomBytes(24).toString('hex');
const TOOL = 'json_schema_2020_12_tool';

let exporter: InMemorySpanExporter;
let runtime: TelemetryRuntime;
let app: TestApp;

beforeAll(async () => {
  exporter = new InMemorySpanExporter();
  // As main.ts does, but without the loader hook (jest loads modules itself): the MCP spans and metrics
  // are what is checked here; test/integration/telemetry/instrumented-server.test.ts covers the hook.
  runtime = await startTelemetry(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }), {
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    keepAlive: true,
  });
  app = await startTestApp({ SWITCHBOARD_METRICS_TOKEN: METRICS_TOKEN });
});

afterAll(async () => {
  await app?.close();
  await runtime?.shutdown();
});

beforeEach(() => exporter.reset());

async function connect(url: string, key: string, era: 'legacy' | 'modern'): Promise<Client> {
  const client = new Client(
    { name: `telemetry-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

/** Spans end when the response has gone out, which may be just after the client has read it. */
async function spansWhere(predicate: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (predicate(spans)) return spans;
    if (Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function toolSpan(spans: ReadableSpan[], tenant: string, tool: string): ReadableSpan | undefined {
  return spans.find((s) => s.name === `tools/call ${tool}` && s.attributes['switchboard.tenant'] === tenant);
}

describe.each(['modern', 'legacy'] as const)('spans of a tool call (%s era)', (era) => {
  it('has a request span with a tool-call child, with attributes and no argument values', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const client = await connect(t.mcpUrl, t.key, era);
    try {
      const result = await client.callTool({
        name: TOOL,
        arguments: { name: canary, address: { city: canary } },
      });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }

    const spans = await spansWhere((s) => toolSpan(s, t.slug, TOOL) !== undefined);
    const tool = toolSpan(spans, t.slug, TOOL);
    expect(tool).toBeDefined();
    const request = spans.find((s) => s.spanContext().spanId === tool!.parentSpanContext?.spanId);
    expect(request).toBeDefined();
    expect(request!.name).toBe('tools/call');
    expect(request!.kind).toBe(SpanKind.SERVER);
    expect(request!.parentSpanContext).toBeUndefined();
    expect(tool!.spanContext().traceId).toBe(request!.spanContext().traceId);
    expect(tool!.kind).toBe(SpanKind.INTERNAL);

    const tenant = await app.tenancy.getTenant(t.slug);
    const common = {
      'mcp.method.name': 'tools/call',
      'switchboard.tenant': t.slug,
      'switchboard.tenant.id': tenant.id,
      'switchboard.endpoint': 'default',
      'switchboard.principal.type': 'api_key',
    };
    expect(request!.attributes).toMatchObject({
      ...common,
      'switchboard.outcome': 'ok',
      'http.response.status_code': 200,
    });
    expect(tool!.attributes).toMatchObject({
      ...common,
      'gen_ai.tool.name': TOOL,
      'gen_ai.operation.name': 'execute_tool',
      'switchboard.tool.pack': 'protocol-test-kit',
      'switchboard.tool.pack_tool': TOOL,
      'switchboard.outcome': 'ok',
    });
    if (era === 'modern') expect(request!.attributes['mcp.protocol.version']).toBe(MODERN);

    // Whatever else ran inside (the audit write, database spans) belongs to the same trace.
    const children = spans.filter((s) => s.parentSpanContext?.spanId === tool!.spanContext().spanId);
    for (const child of children) expect(child.spanContext().traceId).toBe(tool!.spanContext().traceId);

    // No argument value in any span of any kind: names, attributes, events, links, status.
    const everything = JSON.stringify(
      spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        links: s.links,
        status: s.status,
        resource: s.resource.attributes,
      })),
    );
    expect(everything).not.toContain(canary);
  });
});

describe('tool-call outcomes on spans', () => {
  it("marks a tool's own error result as tool_error without flagging the span as failed", async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    const client = await connect(t.mcpUrl, t.key, 'modern');
    try {
      const result = await client.callTool({ name: 'test_error_handling', arguments: {} });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
    const spans = await spansWhere((s) => toolSpan(s, t.slug, 'test_error_handling') !== undefined);
    const tool = toolSpan(spans, t.slug, 'test_error_handling');
    expect(tool?.attributes).toMatchObject({
      'switchboard.outcome': 'tool_error',
      'error.type': 'tool_error',
    });
    expect(tool?.status.code).not.toBe(2); // SpanStatusCode.ERROR
  });

  it('marks a call refused by a rate limit as rejected', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    await app.running.app
      .get(RateLimitPolicyService)
      .set(
        t.slug,
        { overrides: { tools: { test_simple_text: { points: 1, windowSeconds: 60 } } } },
        { type: 'system', id: null },
        'merge',
      );
    const client = await connect(t.mcpUrl, t.key, 'modern');
    try {
      await client.callTool({ name: 'test_simple_text', arguments: {} });
      const refused = await client
        .callTool({ name: 'test_simple_text', arguments: {} })
        .catch((e: unknown) => e);
      expect(refused).toBeDefined();
    } finally {
      await client.close();
    }
    const spans = await spansWhere(
      (s) =>
        s.filter(
          (x) => x.name === 'tools/call test_simple_text' && x.attributes['switchboard.tenant'] === t.slug,
        ).length >= 2,
    );
    const outcomes = spans
      .filter(
        (s) => s.name === 'tools/call test_simple_text' && s.attributes['switchboard.tenant'] === t.slug,
      )
      .map((s) => s.attributes['switchboard.outcome']);
    expect(outcomes.sort()).toEqual(['ok', 'rejected']);
  });
});

/** The value of one Prometheus sample (0 when absent), matching a metric name and label subset. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

async function scrape(authorization?: string): Promise<Response> {
  return fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });
}

describe('/metrics', () => {
  it('refuses scrapers without the token, with a wrong one, and with another scheme', async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scrape(`Bearer ${METRICS_TOKEN.slice(0, -1)}x`)).status).toBe(401);
    expect((await scrape(`Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`)).status).toBe(401);
    const body = await none.text();
    expect(body).not.toContain('switchboard_');
  });

  it('shows request, tool-call, latency, session and rate-limit counters moving', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    const auth = `Bearer ${METRICS_TOKEN}`;
    const before = await (await scrape(auth)).text();
    const tool = {
      switchboard_tenant: t.slug,
      switchboard_tool_pack_tool: 'test_simple_text',
      switchboard_outcome: 'ok',
    };
    expect(sample(before, 'switchboard_tool_calls_total', tool)).toBe(0);

    const client = await connect(t.mcpUrl, t.key, 'legacy');
    try {
      await client.callTool({ name: 'test_simple_text', arguments: {} });
      await client.callTool({ name: 'test_simple_text', arguments: {} });
      const during = await scrape(auth);
      expect(during.status).toBe(200);
      expect(during.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(sample(await during.text(), 'switchboard_mcp_legacy_sessions', {})).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
    await spansWhere(
      (s) =>
        s.filter((x) => x.attributes['switchboard.tenant'] === t.slug && x.name === 'tools/call').length >= 2,
    );

    const after = await (await scrape(auth)).text();
    expect(sample(after, 'switchboard_tool_calls_total', tool)).toBe(2);
    expect(
      sample(after, 'switchboard_mcp_requests_total', {
        switchboard_tenant: t.slug,
        mcp_method_name: 'tools/call',
        switchboard_outcome: 'ok',
      }),
    ).toBe(2);
    expect(
      sample(after, 'switchboard_tool_call_duration_count', {
        switchboard_tool_pack_tool: 'test_simple_text',
        switchboard_outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(after, 'switchboard_mcp_request_duration_bucket', { mcp_method_name: 'tools/call', le: '+Inf' }),
    ).toBeGreaterThanOrEqual(2);
    // The controls' own numbers, read at scrape time.
    expect(after).toMatch(/^switchboard_audit_write_duration_count(\{[^}]*\})? [1-9]/m);
    expect(sample(after, 'switchboard_audit_events_written_total', {})).toBeGreaterThanOrEqual(2);
    expect(after).toContain('switchboard_vault_operations_total');
    expect(after).toContain('switchboard_ratelimit_limit_hits_total');
  });

  it('counts rate-limit rejections per tenant', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    await app.running.app
      .get(RateLimitPolicyService)
      .set(
        t.slug,
        { overrides: { tools: { test_simple_text: { points: 1, windowSeconds: 60 } } } },
        { type: 'system', id: null },
        'merge',
      );
    const client = await connect(t.mcpUrl, t.key, 'modern');
    try {
      await client.callTool({ name: 'test_simple_text', arguments: {} });
      await client.callTool({ name: 'test_simple_text', arguments: {} }).catch(() => undefined);
    } finally {
      await client.close();
    }
    await spansWhere(
      (s) =>
        s.filter((x) => x.attributes['switchboard.tenant'] === t.slug && x.name === 'tools/call').length >= 2,
    );
    const text = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
    expect(
      sample(text, 'switchboard_ratelimit_rejections_total', {
        switchboard_tenant: t.slug,
        switchboard_ratelimit_scope: 'tool',
      }),
    ).toBe(1);
    expect(
      sample(text, 'switchboard_tool_calls_total', {
        switchboard_tenant: t.slug,
        switchboard_outcome: 'rejected',
      }),
    ).toBe(1);
  });
});
