/**
 * Per-endpoint and per-tool access rules through the admin API, seen where they matter: on the MCP
 * surface of the endpoint they name.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import { mcpSession, TEST_PACK, type OAuthTestApp } from '../oauth/support.js';
import { adminTenant, auditEvents, expectError, sessions, startAdminApp } from './support.js';

let app: OAuthTestApp;

beforeAll(async () => {
  app = await startAdminApp();
});

afterAll(async () => {
  await app?.close();
});

/** The tool names a credential sees on an endpoint (2025-era session). */
async function toolNames(url: string, key: string): Promise<string[]> {
  const session = await mcpSession(url, key);
  expect(session.response.status).toBe(200);
  const res = await session.send({ method: 'tools/list', params: {} });
  const text = await res.text();
  const json = JSON.parse(text.startsWith('{') ? text : (/^data: (.+)$/m.exec(text)?.[1] ?? '{}')) as {
    result?: { tools?: { name: string }[] };
  };
  return (json.result?.tools ?? []).map((t) => t.name).sort();
}

describe('access rules', () => {
  it('lists, creates and removes rules; a deny hides the tool on that endpoint at once', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
    const s = await sessions(app, t);
    const { key } = await app.running.app
      .get(ApiKeyService)
      .create(t.slug, { userEmail: t.people.member.email, scopes: ['mcp'] });
    const url = `${app.url}/t/${t.slug}/mcp`;
    expect(await toolNames(url, key)).toEqual(['read_notes', 'write_note']);

    const base = `/tenants/${t.slug}/access-rules`;
    expect((await s.admin.get(base)).body).toEqual({ items: [] });
    const created = await s.admin.post<{ id: string }>(base, {
      endpoint: 'default',
      tool: 'write_note',
      subject: { type: 'role', role: 'member' },
      effect: 'deny',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      endpoint: 'default',
      tool: 'write_note',
      subject: { type: 'role', role: 'member' },
      effect: 'deny',
    });
    expect(await toolNames(url, key)).toEqual(['read_notes']);

    // A tool allow for this one person lifts the role ceiling for that tool only.
    const lift = await s.admin.post<{ id: string }>(base, {
      tool: 'purge_notes',
      subject: { type: 'user', userId: t.people.member.userId },
      effect: 'allow',
    });
    expect(lift.body).toMatchObject({
      endpoint: null,
      subject: { type: 'user', userId: t.people.member.userId, email: t.people.member.email },
    });
    expect(await toolNames(url, key)).toEqual(['purge_notes', 'read_notes']);
    expect((await s.admin.get<{ items: unknown[] }>(base)).body.items).toHaveLength(2);

    expect((await s.admin.delete(`${base}/${created.body.id}`)).status).toBe(204);
    expect(await toolNames(url, key)).toEqual(['purge_notes', 'read_notes', 'write_note']);
    expectError(await s.admin.delete(`${base}/${created.body.id}`), 404, 'not_found');

    // Validation, permissions, tenancy.
    const rule = { subject: { type: 'everyone' }, effect: 'deny' };
    expectError(await s.admin.post(base, { ...rule, endpoint: 'nope' }), 404, 'not_found');
    expectError(await s.admin.post(base, { ...rule, tool: 'bad name!' }), 400, 'invalid_argument');
    expectError(await s.admin.post(base, { ...rule, effect: 'maybe' }), 400, 'invalid_argument');
    expectError(
      await s.admin.post(base, { ...rule, subject: { type: 'user', userId: randomUUID() } }),
      404,
      'not_found',
    );
    expectError(await s.member.get(base), 403, 'forbidden');
    expectError(await s.viewer.post(base, rule), 403, 'forbidden');
    const other = await adminTenant(app);
    expectError(await (await sessions(app, other)).owner.get(base), 404, 'not_found');

    const events = await auditEvents(app, t, 'access.rule.*');
    expect(events.map((e) => e.action).sort()).toEqual([
      'access.rule.create',
      'access.rule.create',
      'access.rule.delete',
    ]);
    expect(events.find((e) => e.action === 'access.rule.delete')).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { before: { tool: 'write_note', effect: 'deny' }, after: null },
    });
  });
});
