/**
 * Tenants, platform operators, endpoints and tool selection through the admin API, each test on its own
 * tenant; overrides checked on the MCP surface with the official client.
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

describe('tenant', () => {
  it('reads and renames; viewers cannot; another tenant is "not found" exactly like a missing one', async () => {
    const t = await adminTenant(app);
    const other = await adminTenant(app);
    const s = await sessions(app, t);
    expect((await s.viewer.get(`/tenants/${t.slug}`)).body).toMatchObject({
      slug: t.slug,
      role: 'viewer',
      mcpUrl: `${app.config.publicUrl}/t/${t.slug}/mcp`,
    });
    expectError(await s.viewer.patch(`/tenants/${t.slug}`, { name: 'Nope' }), 403, 'forbidden');
    expectError(await s.member.patch(`/tenants/${t.slug}`, { name: 'Nope' }), 403, 'forbidden');
    expectError(await s.admin.patch(`/tenants/${t.slug}`, { name: '' }), 400, 'invalid_argument');
    expectError(await s.admin.patch(`/tenants/${t.slug}`, { surprise: 1 }), 400, 'invalid_argument');
    const renamed = await s.admin.patch(`/tenants/${t.slug}`, { name: 'Acme Inc' });
    expect(renamed.body).toMatchObject({ name: 'Acme Inc', role: 'admin' });
    const [event] = await auditEvents(app, t, 'tenant.update');
    expect(event).toMatchObject({
      actor: { type: 'user', id: t.people.admin.userId },
      data: { before: { name: t.slug }, after: { name: 'Acme Inc' } },
    });

    const crossSession = await s.owner.patch(`/tenants/${other.slug}`, { name: 'Hijack' });
    const crossKey = await AdminClient.key(app, t.ownerKey).patch(`/tenants/${other.slug}`, {
      name: 'Hijack',
    });
    const missing = await s.owner.patch('/tenants/no-such-tenant', { name: 'Hijack' });
    for (const r of [crossSession, crossKey, missing]) expectError(r, 404, 'not_found');
    expect(crossSession.body).toEqual({
      error: { code: 'not_found', message: `tenant "${other.slug}" not found` },
    });
    expect(missing.body).toEqual({
      error: { code: 'not_found', message: 'tenant "no-such-tenant" not found' },
    });
    expect((await AdminClient.key(app, other.ownerKey).get(`/tenants/${other.slug}`)).body).toMatchObject({
      name: other.slug,
    });
  });
});

describe('platform operators', () => {
  it('list, create, suspend and reactivate tenants; everyone else is refused', async () => {
    const t = await adminTenant(app);
    await app.accounts.setOperator(t.people.viewer.email, true);
    const operator = await signIn(app, t.people.viewer);
    expect((await operator.get('/session')).body).toMatchObject({ platformRole: 'operator' });
    const owner = await signIn(app, t.people.owner);
    expectError(await owner.get('/platform/tenants'), 403, 'forbidden');
    expectError(await AdminClient.key(app, t.ownerKey).get('/platform/tenants'), 403, 'forbidden');

    const slug = `p-${t.slug.slice(2)}`;
    const created = await operator.post('/platform/tenants', {
      slug,
      name: 'Platform made',
      ownerEmail: `boss@${slug}.example`,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug, name: 'Platform made', status: 'active' });
    expectError(
      await operator.post('/platform/tenants', { slug, ownerEmail: `boss@${slug}.example` }),
      409,
      'conflict',
    );
    expectError(
      await operator.post('/platform/tenants', { slug: 'Bad Slug', ownerEmail: 'x' }),
      400,
      'invalid_argument',
    );

    const page = await operator.get<{ items: { slug: string }[]; nextCursor: string | null }>(
      `/platform/tenants?q=${slug}&limit=1`,
    );
    expect(page.body.items.map((i) => i.slug)).toEqual([slug]);

    // Suspension: the MCP URL says so, changes are refused, reads still work.
    const mcpUrl = `${app.url}/t/${t.slug}/mcp`;
    expect((await operator.post(`/platform/tenants/${t.slug}/suspend`)).body).toMatchObject({
      status: 'suspended',
    });
    const refused = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${t.ownerKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'tenant_suspended',
      message: expect.stringMatching(/suspended/),
    });
    expectError(
      await owner.patch(`/tenants/${t.slug}`, { name: 'While suspended' }),
      412,
      'failed_precondition',
    );
    expect((await owner.get(`/tenants/${t.slug}`)).body).toMatchObject({ status: 'suspended' });
    // A tenant that never existed still looks like nothing at all.
    expect((await fetch(`${app.url}/t/never-existed/mcp`, { method: 'POST' })).status).toBe(404);

    expect((await operator.post(`/platform/tenants/${t.slug}/reactivate`)).body).toMatchObject({
      status: 'active',
    });
    const back = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${t.ownerKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(back.status).not.toBe(403);
    const statuses = (await auditEvents(app, t, 'tenant.status')).map((e) => e.data.after);
    expect(statuses).toEqual([{ status: 'active' }, { status: 'suspended' }]);
    expectError(await operator.post('/platform/tenants/no-such-tenant/suspend'), 404, 'not_found');
  });
});

async function toolsOnMcp(
  url: string,
  key: string,
): Promise<{ name: string; title?: string; description?: string }[]> {
  const client = new Client({ name: 'admin-e2e', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

describe('endpoints and tool selection', () => {
  it('creates, lists, changes and deletes endpoints; the default one stays', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/endpoints`;
    expectError(await s.viewer.post(base, { slug: 'sales' }), 403, 'forbidden');
    expectError(await s.admin.post(base, { slug: 'Sales!' }), 400, 'invalid_argument');
    const created = await s.admin.post(base, {
      slug: 'sales',
      name: 'Sales',
      description: 'For the sales team',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'sales',
      mcpUrl: `${app.config.publicUrl}/t/${t.slug}/e/sales/mcp`,
      isDefault: false,
    });
    expectError(await s.admin.post(base, { slug: 'sales' }), 409, 'conflict');
    const page1 = await s.viewer.get<{ items: { slug: string }[]; nextCursor: string }>(`${base}?limit=1`);
    expect(page1.body.items.map((e) => e.slug)).toEqual(['default']);
    const page2 = await s.viewer.get<{ items: { slug: string }[]; nextCursor: null }>(
      `${base}?limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ items: [{ slug: 'sales' }], nextCursor: null });
    expectError(await s.viewer.get(`${base}?cursor=bogus!`), 400, 'invalid_argument');
    expect((await s.admin.patch(`${base}/sales`, { description: null, public: true })).body).toMatchObject({
      description: null,
      public: true,
    });
    expectError(await s.admin.delete(`${base}/default`), 412, 'failed_precondition');
    expectError(await s.member.delete(`${base}/sales`), 403, 'forbidden');
    expect((await s.owner.delete(`${base}/sales`)).status).toBe(204);
    expectError(await s.viewer.get(`${base}/sales`), 404, 'not_found');
    const actions = (await auditEvents(app, t, 'endpoint.*')).map((e) => e.action);
    expect(actions).toEqual(['endpoint.delete', 'endpoint.update', 'endpoint.create']);
  });

  it('shows the catalogue grouped by connection with annotations; selection and overrides reach tools/list', async () => {
    const t = await adminTenant(app);
    const admin = await signIn(app, t.people.admin);
    const conn = await admin.post<{ id: string }>(`/tenants/${t.slug}/connections`, {
      packId: ADMIN_PACK,
      name: 'Sales CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    expect(conn.status).toBe(201);
    const ep = `/tenants/${t.slug}/endpoints/default`;
    const cat = await admin.get<{
      groups: { connectionName: string; attached: boolean; tools: Record<string, unknown>[] }[];
    }>(`${ep}/tools`);
    const group = cat.body.groups.find((g) => g.connectionName === 'Sales CRM')!;
    expect(group.attached).toBe(false);
    expect(group.tools).toEqual([
      expect.objectContaining({
        name: 'find_contact',
        readOnly: true,
        destructive: false,
        enabled: false,
        permission: 'read',
      }),
      expect.objectContaining({
        name: 'delete_contact',
        readOnly: false,
        destructive: true,
        enabled: false,
        permission: 'write',
      }),
    ]);
    expect(
      (await admin.get<{ groups: { tools: unknown[] }[] }>(`${ep}/tools?q=delete`)).body.groups.find(
        (g) => (g as { connectionName?: string }).connectionName === 'Sales CRM',
      )?.tools,
    ).toHaveLength(1);

    const toolPath = `${ep}/tools/${conn.body.id}/find_contact`;
    const viewer = await signIn(app, t.people.viewer);
    expectError(await viewer.patch(toolPath, { enabled: true }), 403, 'forbidden');
    expectError(await admin.patch(toolPath, { title: '' }), 400, 'invalid_argument');
    expectError(
      await admin.patch(`${ep}/tools/${conn.body.id}/no_such_tool`, { enabled: true }),
      404,
      'not_found',
    );
    const set = await admin.patch(toolPath, {
      enabled: true,
      title: 'Look up a customer',
      description: 'Finds a customer in the sales CRM.',
    });
    expect(set.body).toMatchObject({
      enabled: true,
      title: 'Look up a customer',
      titleOverride: 'Look up a customer',
      defaultTitle: 'Find contact',
    });

    const tools = await toolsOnMcp(`${app.url}/t/${t.slug}/mcp`, t.ownerKey);
    const names = tools.map((x) => x.name);
    expect(names).toContain('find_contact');
    expect(names).not.toContain('delete_contact'); // attached with only the chosen tool
    expect(tools.find((x) => x.name === 'find_contact')).toMatchObject({
      title: 'Look up a customer',
      description: 'Finds a customer in the sales CRM.',
    });
    // Restoring the default and switching the whole connection on.
    await admin.patch(toolPath, { title: null, description: null });
    const attached = await admin.put(`${ep}/connections/${conn.body.id}`, { mode: 'all' });
    expect(attached.body).toMatchObject({
      connections: expect.arrayContaining([expect.objectContaining({ name: 'Sales CRM', mode: 'all' })]),
    });
    const after = await toolsOnMcp(`${app.url}/t/${t.slug}/mcp`, t.ownerKey);
    expect(after.find((x) => x.name === 'find_contact')?.title).toBe('Find contact');
    expect(after.map((x) => x.name)).toContain('delete_contact');
    expect((await admin.delete(`${ep}/connections/${conn.body.id}`)).status).toBe(200);
    expectError(await admin.delete(`${ep}/connections/${conn.body.id}`), 404, 'not_found');
    expect((await toolsOnMcp(`${app.url}/t/${t.slug}/mcp`, t.ownerKey)).map((x) => x.name)).not.toContain(
      'find_contact',
    );
    const [toolEvent] = await auditEvents(app, t, 'endpoint.tool.update');
    expect(toolEvent!.data).toMatchObject({ tool: 'find_contact', after: { enabled: true, title: null } });
  });
});
