/**
 * MCP rate limits on one node (embedded or PostgreSQL database, in-memory counters): the 429 answer, the
 * RateLimit fields, the per-tool refusal as the official client sees it, and the policy REST API.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { e2eDatabaseKind } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { createTenant, mcpRequest, rawPost, startNode, type Node } from './support.js';

// Booting a node on a fresh database takes seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

let db: TestDatabase;
let node: Node;

beforeAll(async () => {
  db = await createTestDatabase(e2eDatabaseKind());
  node = await startNode(db.config);
});

afterAll(async () => {
  await node?.close();
  await db?.dispose();
});

describe('per-principal and per-tenant limits on MCP requests', () => {
  it('answers 429 with Retry-After, RateLimit fields and a JSON-RPC error carrying the request id', async () => {
    const t = await createTenant(node);
    await node.policies.set(
      t.slug,
      { plan: 'free', overrides: { principal: { points: 2, windowSeconds: 60 } } },
      { type: 'system', id: null },
      'replace',
    );
    const url = t.mcpUrl(node);
    const first = await mcpRequest(url, t.key, 'tools/list', {}, 1);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"tenant";q=600;w=60, "principal";q=2;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"tenant";r=599;t=60, "principal";r=1;t=60$/);
    expect((await mcpRequest(url, t.key, 'tools/list', {}, 2)).status).toBe(200);

    const refused = await mcpRequest(url, t.key, 'tools/list', {}, 'req-3');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toMatch(/"principal";r=0;t=\d+$/);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(refused.body).toEqual({
      jsonrpc: '2.0',
      id: 'req-3',
      error: {
        code: -32000,
        message: expect.stringContaining('Retry after'),
        data: {
          code: 'rate_limited',
          scope: 'principal',
          limit: 2,
          windowSeconds: 60,
          retryAfterSeconds: retryAfter,
        },
      },
    });

    // A batch has no single id to answer with.
    const batch = await rawPost(url, t.key, [
      { jsonrpc: '2.0', id: 7, method: 'ping' },
      { jsonrpc: '2.0', id: 8, method: 'ping' },
    ]);
    expect(batch.status).toBe(429);
    expect(batch.body).toMatchObject({ id: null, error: { data: { scope: 'principal' } } });

    // Audited once per key and window, not once per refused request; the policy change is audited too.
    const events = await node.running.app.get(PrismaService).auditEvent.findMany({
      where: { tenantId: t.id, action: { startsWith: 'ratelimit.' } },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => [e.kind, e.action, e.outcome])).toEqual([
      ['admin', 'ratelimit.policy.update', 'success'],
      ['denial', 'ratelimit.request', 'denied'],
    ]);
    expect(events[1]).toMatchObject({ actorType: 'api_key', actorId: t.keyId, target: `/t/${t.slug}/mcp` });

    // Another credential of the same tenant has its own principal budget.
    const other = await node.apiKeys.create(t.slug, { name: 'second' });
    expect((await mcpRequest(url, other.key, 'tools/list')).status).toBe(200);
  });

  it('refuses past the tenant limit whichever credential asks', async () => {
    const t = await createTenant(node);
    await node.policies.set(
      t.slug,
      { plan: 'team', overrides: { tenant: { points: 3, windowSeconds: 120 } } },
      { type: 'system', id: null },
      'replace',
    );
    const keys = [
      t.key,
      (await node.apiKeys.create(t.slug, {})).key,
      (await node.apiKeys.create(t.slug, {})).key,
    ];
    for (const key of keys) expect((await mcpRequest(t.mcpUrl(node), key, 'tools/list')).status).toBe(200);
    const refused = await mcpRequest(t.mcpUrl(node), keys[0]!, 'tools/list');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: { data: { scope: 'tenant', limit: 3, windowSeconds: 120 } },
    });
  });

  it('applies no limit and sends no RateLimit fields on the unlimited plan', async () => {
    const t = await createTenant(node);
    await node.policies.set(t.slug, { plan: 'unlimited' }, { type: 'system', id: null }, 'replace');
    const res = await mcpRequest(t.mcpUrl(node), t.key, 'tools/list');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeNull();
  });
});

describe('per-tool limits', () => {
  it('refuses the call past the limit with an isError result carrying the wait, seen by the official client', async () => {
    const t = await createTenant(node);
    await node.policies.set(
      t.slug,
      { plan: 'free', overrides: { tools: { test_simple_text: { points: 2, windowSeconds: 300 } } } },
      { type: 'system', id: null },
      'replace',
    );
    const client = new Client({ name: 'rl-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(t.mcpUrl(node)), {
        requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
      }),
    );
    try {
      for (let i = 0; i < 2; i++) {
        const ok = await client.callTool({ name: 'test_simple_text', arguments: {} });
        expect(ok.isError).toBeFalsy();
      }
      const refused = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('Retry after');
      const meta = refused._meta?.['io.switchboard/rate-limit'] as Record<string, unknown>;
      expect(meta).toMatchObject({
        code: 'rate_limited',
        scope: 'tool',
        tool: 'test_simple_text',
        limit: 2,
        windowSeconds: 300,
      });
      expect(meta.retryAfterSeconds).toBeGreaterThan(200);
      // Other tools keep their own budget (the plan's default per-tool limit).
      const other = await client.callTool({ name: 'test_image_content', arguments: {} });
      expect(other.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    expect(node.limits.stats().rejections.tool).toBeGreaterThanOrEqual(1);
  });
});

describe('policy REST API', () => {
  const api = (tenant: string) => `${node.url}/api/v1/tenants/${tenant}/rate-limit-policy`;
  const call = async (url: string, key: string | null, method = 'GET', body?: unknown) => {
    const res = await fetch(url, {
      method,
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('shows and replaces a policy with an admin-scoped key; the change applies at once', async () => {
    const t = await createTenant(node, ['admin', 'mcp']);
    const shown = await call(api(t.slug), t.key);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      tenant: t.slug,
      plan: node.config.rateLimit.defaultPlan,
      source: 'default',
    });

    // Warm the cache with the default policy first: the PUT must invalidate it.
    expect((await mcpRequest(t.mcpUrl(node), t.key, 'tools/list')).status).toBe(200);
    const put = await call(api(t.slug), t.key, 'PUT', {
      plan: 'enterprise',
      overrides: { principal: { points: 42, windowSeconds: 30 } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      plan: 'enterprise',
      source: 'tenant',
      overrides: { principal: { points: 42, windowSeconds: 30 } },
      limits: { tenant: { points: 60_000, windowSeconds: 60 }, principal: { points: 42, windowSeconds: 30 } },
    });
    const after = await mcpRequest(t.mcpUrl(node), t.key, 'tools/list');
    expect(after.headers.get('ratelimit-policy')).toBe('"tenant";q=60000;w=60, "principal";q=42;w=30');

    // PUT replaces: omitted overrides are cleared.
    const cleared = await call(api(t.slug), t.key, 'PUT', { plan: 'team' });
    expect(cleared.body).toMatchObject({ plan: 'team', overrides: {} });
  });

  it('validates the policy and names every problem', async () => {
    const t = await createTenant(node, ['admin']);
    const bad = await call(api(t.slug), t.key, 'PUT', {
      plan: 'gold',
      overrides: { principal: { points: -1, windowSeconds: 60 }, surprise: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_argument' } });
    const issues = (bad.body.error as { details: { issues: string[] } }).details.issues.join('\n');
    expect(issues).toMatch(/plan/);
    expect(issues).toMatch(/overrides\.principal\.points/);
    expect(issues).toMatch(/surprise/);
    expect((await call(api(t.slug), t.key, 'PUT', { overrides: {} })).status).toBe(400);
  });

  it('refuses keys without the admin scope (403), bad keys (401), other and unknown tenants alike (404)', async () => {
    const t = await createTenant(node, ['mcp']);
    const admin = await createTenant(node, ['admin']);
    const forbidden = await call(api(t.slug), t.key);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'forbidden' } });
    for (const [url, key] of [
      [api(t.slug), null],
      [api(t.slug), 'sb_nope'],
    ] as const) {
      const r = await call(url, key);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="switchboard"');
    }
    for (const url of [api(t.slug), api('no-such-tenant')]) {
      const r = await call(url, admin.key);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
