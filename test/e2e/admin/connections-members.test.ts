/**
 * Connections (config validated by the pack, write-only secrets, the pack's connection test), members
 * and roles, API keys and connected apps through the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PACK, obtainTokens, type OAuthTestApp } from '../oauth/support.js';
import {
  ADMIN_PACK,
  AdminClient,
  GOOD_TOKEN,
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

describe('connections and secrets', () => {
  it('adds an integration from its pack schema, keeps secrets write-only and tests the connection', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const packs = await s.viewer.get<{
      items: { id: string; configSchema: Record<string, unknown>; secrets: unknown[]; testable: boolean }[];
    }>(`/tenants/${t.slug}/packs`);
    const pack = packs.body.items.find((p) => p.id === ADMIN_PACK)!;
    expect(pack.testable).toBe(true);
    expect(pack.secrets).toEqual([{ name: 'token', description: 'API token of the CRM', required: true }]);
    expect(pack.configSchema).toMatchObject({
      type: 'object',
      properties: { baseUrl: { type: 'string' } },
      required: ['baseUrl'],
    });

    const base = `/tenants/${t.slug}/connections`;
    expectError(await s.member.post(base, { packId: ADMIN_PACK, name: 'CRM', config: {} }), 403, 'forbidden');
    const invalid = await s.admin.post<{ error: { details: { issues: string[] } } }>(base, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'not a url', region: 'mars' },
    });
    expectError(invalid, 400, 'invalid_argument');
    expect(invalid.body.error.details.issues.join('\n')).toMatch(/baseUrl[\s\S]*region|region[\s\S]*baseUrl/);
    expectError(
      await s.admin.post(base, { packId: 'no-such-pack', name: 'CRM', config: {} }),
      404,
      'not_found',
    );
    const created = await s.admin.post<{ id: string; missingSecrets: string[]; config: unknown }>(base, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      missingSecrets: ['token'],
      config: { baseUrl: 'https://crm.example', region: 'eu' },
    });
    expectError(
      await s.admin.post(base, { packId: ADMIN_PACK, name: 'CRM', config: { baseUrl: 'https://x.example' } }),
      409,
      'conflict',
    );
    const id = created.body.id;

    // Testing without the secret, with a wrong one, then the right one.
    expect((await s.member.post(`${base}/${id}/test`)).body).toMatchObject({
      supported: true,
      ok: false,
      message: 'The API token is not set.',
    });
    expectError(await s.viewer.post(`${base}/${id}/test`), 403, 'forbidden');
    const value1 = 'tok-wrong-secret-value-1';
    expectError(await s.member.put(`${base}/${id}/secrets/token`, { value: value1 }), 403, 'forbidden');
    expectError(
      await s.admin.put(`${base}/${id}/secrets/bad name`, { value: value1 }),
      400,
      'invalid_argument',
    );
    expectError(await s.admin.put(`${base}/${id}/secrets/token`, { value: '' }), 400, 'invalid_argument');
    const set1 = await s.admin.put(`${base}/${id}/secrets/token`, { value: value1 });
    expect(set1.body).toMatchObject({ name: 'token', set: true, version: 1, required: true });
    expect((await s.member.post(`${base}/${id}/test`)).body).toMatchObject({
      ok: false,
      message: 'The CRM refused the API token.',
    });
    const set2 = await s.admin.put(`${base}/${id}/secrets/token`, { value: GOOD_TOKEN });
    expect(set2.body).toMatchObject({ version: 2 });
    const ok = await s.member.post(`${base}/${id}/test`);
    expect(ok.body).toMatchObject({
      supported: true,
      ok: true,
      message: 'Signed in to the CRM.',
      details: { region: 'eu' },
    });

    const listed = await s.viewer.get(base);
    const one = await s.viewer.get(`${base}/${id}`);
    const secrets = await s.viewer.get(`${base}/${id}/secrets`);
    for (const r of [set1, set2, listed, one, secrets, ...(await Promise.all([auditEvents(app, t)]))]) {
      const text = JSON.stringify('body' in r ? r.body : r);
      expect(text).not.toContain(value1);
      expect(text).not.toContain(GOOD_TOKEN);
    }
    expect(one.body).toMatchObject({
      missingSecrets: [],
      secrets: [{ name: 'token', set: true, version: 2 }],
      testable: true,
    });
    expect((await auditEvents(app, t, 'secret.*')).map((e) => [e.action, e.data.after])).toEqual([
      ['secret.rotate', { version: 2 }],
      ['secret.set', { version: 1 }],
    ]);
    expect((await auditEvents(app, t, 'connection.test')).map((e) => e.outcome)).toEqual([
      'success',
      'failure',
      'failure',
    ]);

    // Reconfigure, rename, delete the secret and the connection.
    expectError(
      await s.admin.patch(`${base}/${id}`, { config: { baseUrl: 'nope' } }),
      400,
      'invalid_argument',
    );
    expect(
      (
        await s.admin.patch(`${base}/${id}`, {
          name: 'Sales CRM',
          config: { baseUrl: 'https://crm2.example', region: 'us' },
        })
      ).body,
    ).toMatchObject({
      name: 'Sales CRM',
      config: { region: 'us' },
    });
    expect((await s.admin.delete(`${base}/${id}/secrets/token`)).status).toBe(204);
    expectError(await s.admin.delete(`${base}/${id}/secrets/token`), 404, 'not_found');
    expect((await s.admin.delete(`${base}/${id}`)).status).toBe(204);
    expectError(await s.viewer.get(`${base}/${id}`), 404, 'not_found');
    expect((await auditEvents(app, t, 'connection.*')).map((e) => e.action)).toEqual(
      expect.arrayContaining(['connection.create', 'connection.update', 'connection.delete']),
    );

    // Another tenant's admin cannot see or touch it.
    const other = await adminTenant(app);
    const c2 = await AdminClient.key(app, other.ownerKey).post<{ id: string }>(
      `/tenants/${other.slug}/connections`,
      {
        packId: ADMIN_PACK,
        name: 'Theirs',
        config: { baseUrl: 'https://theirs.example' },
      },
    );
    expectError(await s.owner.get(`/tenants/${other.slug}/connections/${c2.body.id}`), 404, 'not_found');
    expectError(await s.owner.get(`${base}/${c2.body.id}`), 404, 'not_found');
    expectError(
      await s.owner.put(`${base}/${c2.body.id}/secrets/token`, { value: 'x-secret-value' }),
      404,
      'not_found',
    );
  });
});

describe('members and roles', () => {
  it('invites, changes roles and removes; owners only manage owners; the last owner stays', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/members`;
    const list = await s.viewer.get<{ items: { email: string; role: string }[] }>(`${base}?role=admin`);
    expect(list.body.items.map((m) => m.email)).toEqual([t.people.admin.email]);
    expectError(
      await s.viewer.post(base, { email: `new@${t.slug}.example`, role: 'member' }),
      403,
      'forbidden',
    );
    expectError(await s.admin.post(base, { email: 'not-an-email', role: 'member' }), 400, 'invalid_argument');
    expectError(
      await s.admin.post(base, { email: `boss@${t.slug}.example`, role: 'owner' }),
      403,
      'forbidden',
    );
    const added = await s.admin.post<{ userId: string; role: string }>(base, {
      email: `New@${t.slug}.example`,
      role: 'member',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      email: `new@${t.slug}.example`,
      role: 'member',
      canSignInWithPassword: false,
    });
    expectError(
      await s.admin.post(base, { email: `new@${t.slug}.example`, role: 'viewer' }),
      409,
      'conflict',
    );
    const newId = added.body.userId;
    expect((await s.admin.patch(`${base}/${newId}`, { role: 'viewer' })).body).toMatchObject({
      role: 'viewer',
    });
    expectError(await s.admin.patch(`${base}/${newId}`, { role: 'owner' }), 403, 'forbidden');
    expectError(await s.admin.patch(`${base}/${t.people.owner.userId}`, { role: 'admin' }), 403, 'forbidden');
    expectError(
      await s.owner.patch(`${base}/${t.people.owner.userId}`, { role: 'admin' }),
      412,
      'failed_precondition',
    );
    expectError(await s.owner.delete(`${base}/${t.people.owner.userId}`), 412, 'failed_precondition');
    expect((await s.owner.patch(`${base}/${newId}`, { role: 'owner' })).body).toMatchObject({
      role: 'owner',
    });
    // Now there are two owners: one may step down.
    expect((await s.owner.patch(`${base}/${t.people.owner.userId}`, { role: 'admin' })).body).toMatchObject({
      role: 'admin',
    });
    expect((await s.admin.delete(`${base}/${t.people.member.userId}`)).status).toBe(204);
    expectError(await s.member.get(`/tenants/${t.slug}`), 404, 'not_found'); // no longer a member
    expectError(await s.admin.delete(`${base}/${t.people.member.userId}`), 404, 'not_found');
    const actions = (await auditEvents(app, t, 'member.*')).map((e) => [e.action, e.data.after]);
    expect(actions.slice(0, 4)).toEqual([
      ['member.remove', null],
      ['member.update', { role: 'admin' }],
      ['member.update', { role: 'owner' }],
      ['member.update', { role: 'viewer' }],
    ]);
  });
});

describe('API keys', () => {
  it('shows a new key once, then only its prefix; members manage their own keys only', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/api-keys`;
    expectError(await s.viewer.post(base, { name: 'mine' }), 403, 'forbidden');
    expectError(await s.member.post(base, { name: 'mine', scopes: ['root'] }), 400, 'invalid_argument');
    expectError(
      await s.member.post(base, { name: 'theirs', userId: t.people.viewer.userId }),
      403,
      'forbidden',
    );
    const mine = await s.member.post<{ key: string; apiKey: { id: string; prefix: string } }>(base, {
      name: 'mine',
      scopes: ['mcp:read'],
      expiresInDays: 30,
    });
    expect(mine.status).toBe(201);
    expect(mine.body.key).toMatch(/^sb_[a-z2-7]{12}_/);
    expect(mine.body.key.startsWith(mine.body.apiKey.prefix)).toBe(true);
    const forViewer = await s.admin.post<{ apiKey: { id: string } }>(base, {
      name: 'ci',
      scopes: ['admin'],
      userId: t.people.viewer.userId,
    });
    expect(forViewer.body).toMatchObject({ apiKey: { userEmail: t.people.viewer.email, scopes: ['admin'] } });

    const memberList = await s.member.get<{ items: { id: string }[] }>(base);
    expect(memberList.body.items.map((k) => k.id)).toEqual([mine.body.apiKey.id]);
    const all = await s.admin.get<{ items: Record<string, unknown>[] }>(base);
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(all.body)).not.toContain(mine.body.key);
    expect(all.body.items.every((k) => !('hash' in k))).toBe(true);

    expectError(await s.member.delete(`${base}/${forViewer.body.apiKey.id}`), 404, 'not_found');
    expect((await s.member.delete(`${base}/${mine.body.apiKey.id}`)).body).toMatchObject({
      revokedAt: expect.any(String),
    });
    expect((await s.member.get<{ items: unknown[] }>(base)).body.items).toEqual([]);
    expect((await s.member.get<{ items: unknown[] }>(`${base}?includeRevoked=true`)).body.items).toHaveLength(
      1,
    );
    // The viewer's admin-scoped key reads the admin API but changes nothing (the role decides).
    const viewerKey = await s.admin.post<{ key: string }>(base, {
      name: 'viewer-admin',
      scopes: ['admin'],
      userId: t.people.viewer.userId,
    });
    const asViewer = AdminClient.key(app, viewerKey.body.key);
    expect((await asViewer.get(`/tenants/${t.slug}/endpoints`)).status).toBe(200);
    expectError(await asViewer.post(`/tenants/${t.slug}/endpoints`, { slug: 'nope' }), 403, 'forbidden');
    // A key without the admin scope cannot use the admin API at all.
    expectError(await AdminClient.key(app, mine.body.key).get(`/tenants/${t.slug}`), 401, 'unauthenticated');
    const [created] = await auditEvents(app, t, 'key.create');
    expect(JSON.stringify(created)).not.toContain(viewerKey.body.key);
    expect((await auditEvents(app, t, 'key.revoke'))[0]).toMatchObject({
      actor: { type: 'user', id: t.people.member.userId },
    });
  });
});

describe('connected apps', () => {
  it('lists the tenant’s OAuth grants for admins and revokes one', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
    const tokens = await obtainTokens(
      app,
      `${app.config.publicUrl}/t/${t.slug}/mcp`,
      t.people.member,
      `${app.fixture.url}/callback`,
    );
    const admin = await signIn(app, t.people.admin);
    const member = await signIn(app, t.people.member);
    const base = `/tenants/${t.slug}/grants`;
    expectError(await member.get(base), 403, 'forbidden');
    const list = await admin.get<{ items: { grantId: string; clientId: string; userEmail: string }[] }>(base);
    expect(list.body.items).toEqual([
      expect.objectContaining({ clientId: tokens.clientId, userEmail: t.people.member.email }),
    ]);
    const grantId = list.body.items[0]!.grantId;
    expectError(await member.delete(`${base}/${grantId}`), 403, 'forbidden');
    expect((await admin.delete(`${base}/${grantId}`)).status).toBe(204);
    expect((await admin.get<{ items: unknown[] }>(base)).body.items).toEqual([]);
    expectError(await admin.delete(`${base}/${grantId}`), 404, 'not_found');
    expect((await auditEvents(app, t, 'token.revoked'))[0]).toMatchObject({
      data: { grantId, reason: 'revoked_by_admin' },
    });
  });
});
