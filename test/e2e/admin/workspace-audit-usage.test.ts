/**
 * Prompts and resources, rate-limit policy, audit query / tail / export / verify / settings, usage charts
 * from real MCP calls, and the tenant home, through the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { OAuthTestApp } from '../oauth/support.js';
import {
  ADMIN_PACK,
  AdminClient,
  adminTenant,
  auditEvents,
  expectError,
  sessions,
  signIn,
  startAdminApp,
} from './support.js';

let app: OAuthTestApp;

beforeAll(async () => {
  app = await startAdminApp();
});

afterAll(async () => {
  await app?.close();
});

describe('prompts and resources', () => {
  it('creates, lists, reads, replaces and deletes them; viewers only read; MCP clients see them', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const p = `/tenants/${t.slug}/prompts`;
    expectError(await s.viewer.put(`${p}/greet`, { template: 'Hi {{name}}' }), 403, 'forbidden');
    expectError(await s.admin.put(`${p}/greet`, { template: '' }), 400, 'invalid_argument');
    expectError(await s.admin.put(`${p}/bad name`, { template: 'x' }), 400, 'invalid_argument');
    const put = await s.admin.put(`${p}/greet`, {
      title: 'Greet',
      template: 'Say hello to {{name}}',
      arguments: [{ name: 'name', required: true }],
    });
    expect(put.body).toMatchObject({
      name: 'greet',
      title: 'Greet',
      arguments: [{ name: 'name', required: true }],
    });
    expect((await s.viewer.get<{ items: { name: string }[] }>(p)).body.items.map((x) => x.name)).toEqual([
      'greet',
    ]);
    expect((await s.viewer.get(`${p}/greet`)).body).toMatchObject({ template: 'Say hello to {{name}}' });
    expectError(await s.viewer.get(`${p}/missing`), 404, 'not_found');

    const r = `/tenants/${t.slug}/resources`;
    const doc = await s.admin.put(`${r}/handbook`, { mimeType: 'text/markdown', content: '# Handbook' });
    expect(doc.body).toMatchObject({ name: 'handbook', size: 10, content: '# Handbook' });
    const listed = await s.viewer.get<{ items: Record<string, unknown>[] }>(r);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: 'handbook', size: 10 })]);
    expect(listed.body.items[0]).not.toHaveProperty('content');
    expect((await s.viewer.get(`${r}/handbook`)).body).toMatchObject({
      content: '# Handbook',
      mimeType: 'text/markdown',
    });
    expectError(await s.member.put(`${r}/handbook`, { content: 'x' }), 403, 'forbidden');

    const client = new Client({ name: 'admin-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/t/${t.slug}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${t.ownerKey}` } },
      }),
    );
    try {
      expect((await client.listPrompts()).prompts.map((x) => x.name)).toContain('greet');
    } finally {
      await client.close();
    }
    expect((await s.admin.delete(`${p}/greet`)).status).toBe(204);
    expect((await s.admin.delete(`${r}/handbook`)).status).toBe(204);
    expectError(await s.admin.delete(`${r}/handbook`), 404, 'not_found');
    expect((await auditEvents(app, t, 'prompt.*')).map((e) => e.action)).toEqual([
      'prompt.delete',
      'prompt.set',
    ]);
    expect((await auditEvents(app, t, 'resource.set'))[0]!.data).toMatchObject({
      after: { contentChars: 10 },
    });
  });
});

describe('rate-limit policy', () => {
  it('shows and replaces the policy; viewers read it; bad policies name each problem', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const path = `/tenants/${t.slug}/rate-limit-policy`;
    expect((await s.viewer.get(path)).body).toMatchObject({ source: 'default' });
    expectError(await s.viewer.put(path, { plan: 'free' }), 403, 'forbidden');
    const bad = await s.admin.put<{ error: { details: { issues: string[] } } }>(path, { plan: 'gold' });
    expectError(bad, 400, 'invalid_argument');
    expect(bad.body.error.details.issues.join(' ')).toMatch(/plan/);
    const put = await s.admin.put(path, {
      plan: 'free',
      overrides: { tool: { points: 5, windowSeconds: 60 } },
    });
    expect(put.body).toMatchObject({
      plan: 'free',
      source: 'tenant',
      limits: { tool: { points: 5, windowSeconds: 60 } },
    });
    expect((await auditEvents(app, t, 'ratelimit.policy.update'))[0]).toMatchObject({
      actor: { type: 'user', id: t.people.admin.userId },
      data: { after: { plan: 'free' } },
    });
  });
});

async function callTools(
  slug: string,
  key: string,
  calls: { name: string; args: Record<string, unknown> }[],
): Promise<void> {
  const client = new Client({ name: 'admin-usage', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${app.url}/t/${slug}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  try {
    for (const c of calls) await client.callTool({ name: c.name, arguments: c.args });
  } finally {
    await client.close();
  }
}

describe('audit', () => {
  it('queries with filters and cursors, tails after a seq, exports, verifies and changes settings', async () => {
    const t = await adminTenant(app);
    const admin = await signIn(app, t.people.admin);
    const member = await signIn(app, t.people.member);
    const base = `/tenants/${t.slug}/audit`;
    expectError(await member.get(base), 403, 'forbidden');
    expectError(await admin.get(`${base}?outcome=maybe`), 400, 'invalid_argument');
    expectError(await admin.get(`${base}?after=1&cursor=abc`), 400, 'invalid_argument');
    const first = await admin.get<{ events: { seq: string }[]; nextCursor: string }>(`${base}?limit=2`);
    expect(first.body.events).toHaveLength(2);
    const older = await admin.get<{ events: { seq: string }[] }>(
      `${base}?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(BigInt(older.body.events[0]!.seq)).toBeLessThan(BigInt(first.body.events[1]!.seq));

    const head = first.body.events[0]!.seq;
    const idle = await admin.get<{ events: unknown[]; nextAfter: string }>(`${base}?after=${head}`);
    expect(idle.body).toEqual({ events: [], nextAfter: head });
    await admin.patch(`/tenants/${t.slug}`, { name: 'Tail me' });
    const tail = await admin.get<{ events: { action: string; seq: string }[]; nextAfter: string }>(
      `${base}?after=${head}`,
    );
    expect(tail.body.events.map((e) => e.action)).toEqual(['tenant.update']);
    expect(tail.body.nextAfter).toBe(tail.body.events[0]!.seq);

    const exp = await admin.get<string>(`${base}/export?format=csv&action=tenant.update`);
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exp.body.split('\r\n')[0]).toMatch(/^seq,id,tenantId/);
    expect(exp.body).toContain('tenant.update');
    expectError(await admin.get(`${base}/export?format=xml`), 400, 'invalid_argument');
    expect((await auditEvents(app, t, 'audit.export'))[0]).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { format: 'csv' },
    });

    expect((await admin.get(`${base}/verify`)).body).toMatchObject({ ok: true, break: null });
    expect((await admin.get(`${base}/settings`)).body).toMatchObject({ recordRawArguments: false });
    expectError(await admin.put(`${base}/settings`, { retentionDays: -1 }), 400, 'invalid_argument');
    expect((await admin.put(`${base}/settings`, { retentionDays: 30 })).body).toMatchObject({
      retentionDays: 30,
      retentionIsDefault: false,
    });
  });
});

describe('usage and home', () => {
  it('charts real calls per bucket, tool and endpoint, and shows endpoint health on the home page', async () => {
    const t = await adminTenant(app);
    const key = AdminClient.key(app, t.ownerKey);
    const conn = await key.post<{ id: string }>(`/tenants/${t.slug}/connections`, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    await key.put(`/tenants/${t.slug}/endpoints/default/connections/${conn.body.id}`, { mode: 'all' });
    const home0 = await key.get<{
      endpoints: { slug: string; health: { status: string; problems: string[] } }[];
    }>(`/tenants/${t.slug}/home`);
    expect(home0.body.endpoints[0]).toMatchObject({
      slug: 'default',
      health: { status: 'needs_attention', problems: ['CRM: secret token is not set'] },
    });
    await key.put(`/tenants/${t.slug}/connections/${conn.body.id}/secrets/token`, {
      value: 'any-token-value',
    });
    await callTools(t.slug, t.ownerKey, [
      { name: 'find_contact', args: { name: 'ada' } },
      { name: 'find_contact', args: { name: 'bob' } },
      { name: 'delete_contact', args: { id: '7' } },
      { name: 'find_contact', args: {} }, // invalid arguments: a failed call
    ]);

    const viewer = await signIn(app, t.people.viewer);
    const usage = await viewer.get<{
      totals: { calls: number; errors: number; p95LatencyMs: number | null };
      series: { calls: number }[];
      topTools: { tool: string; calls: number }[];
      endpoints: { endpoint: string; calls: number }[];
    }>(`/tenants/${t.slug}/usage?bucket=5m`);
    expect(usage.status).toBe(200);
    expect(usage.body.totals.calls).toBeGreaterThanOrEqual(3);
    expect(usage.body.totals.p95LatencyMs).not.toBeNull();
    // 24 h of 5-minute buckets, aligned on the bucket size: 288, or 289 when the window straddles one more.
    expect([288, 289]).toContain(usage.body.series.length);
    expect(usage.body.series.reduce((n, b) => n + b.calls, 0)).toBe(usage.body.totals.calls);
    expect(usage.body.topTools[0]).toMatchObject({ tool: 'find_contact' });
    expect(usage.body.topTools.map((x) => x.tool)).toContain('delete_contact');
    expect(usage.body.endpoints).toEqual([
      expect.objectContaining({ endpoint: 'default', calls: usage.body.totals.calls }),
    ]);
    const filtered = await viewer.get<{ totals: { calls: number } }>(
      `/tenants/${t.slug}/usage?endpoint=other`,
    );
    expect(filtered.body.totals.calls).toBe(0);
    expectError(
      await viewer.get(`/tenants/${t.slug}/usage?bucket=1m&from=2020-01-01T00:00:00Z`),
      400,
      'invalid_argument',
    );
    expectError(await viewer.get(`/tenants/${t.slug}/usage?bucket=2h`), 400, 'invalid_argument');

    const home = await viewer.get<{
      endpoints: { health: Record<string, unknown>; mcpUrl: string }[];
      lastCalls: { tool: string }[];
    }>(`/tenants/${t.slug}/home`);
    expect(home.body.endpoints[0]).toMatchObject({
      mcpUrl: `${app.config.publicUrl}/t/${t.slug}/mcp`,
      health: { calls24h: usage.body.totals.calls, problems: [] },
    });
    expect(['ok', 'degraded']).toContain(home.body.endpoints[0]!.health.status);
    expect(home.body.lastCalls.map((c) => c.tool)).toContain('delete_contact');
    expectError(
      await (await signIn(app, (await adminTenant(app)).people.owner)).get(`/tenants/${t.slug}/usage`),
      404,
      'not_found',
    );
  });
});
