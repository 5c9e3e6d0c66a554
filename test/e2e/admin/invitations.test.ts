/**
 * Invitations: an admin creates a link, the person looks it up and accepts it (choosing a password, or
 * proving an existing account), and is signed in as that member. Links work once and for 7 days, never
 * reset a password, and their tokens never appear anywhere but the creation answer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaService } from '../../../src/database/prisma.service.js';
import type { OAuthTestApp } from '../oauth/support.js';
import {
  AdminClient,
  adminTenant,
  auditEvents,
  expectError,
  sessions,
  signIn,
  startAdminApp,
  type AdminTenant,
} from './support.js';

let app: OAuthTestApp;

beforeAll(async () => {
  app = await startAdminApp();
});

afterAll(async () => {
  await app?.close();
});

interface Created {
  readonly invitation: { id: string; email: string; role: string; expiresAt: string; createdAt: string };
  readonly acceptUrl: string;
}

function tokenOf(acceptUrl: string): string {
  const url = new URL(acceptUrl);
  expect(url.search).toBe('');
  expect(url.pathname).toBe('/admin/invite');
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${acceptUrl}`);
  return token;
}

async function invite(client: AdminClient, t: AdminTenant, email: string, role = 'member') {
  const res = await client.post<Created>(`/tenants/${t.slug}/invitations`, { email, role });
  expect(res.status).toBe(201);
  return { ...res.body, token: tokenOf(res.body.acceptUrl) };
}

/** A browser on the invitation page: no cookie unless given, our Origin on posts. */
function publicPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: app.url, ...headers },
    body: JSON.stringify(body),
  });
}

const newPassword = () => `pw-${randomBytes(12).toString('base64url')}`;

describe('invitations', () => {
  it('round trip: create, look up, accept with a password, signed in as that member; once only', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const email = `New.Person@${t.slug}.example`;
    const created = await invite(s.admin, t, email, 'member');
    expect(created.acceptUrl.startsWith(`${app.url}/admin/invite#token=`)).toBe(true);
    expect(created.invitation).toMatchObject({ email: email.toLowerCase(), role: 'member' });
    const ttl = Date.parse(created.invitation.expiresAt) - Date.parse(created.invitation.createdAt);
    expect(Math.round(ttl / 3_600_000)).toBe(7 * 24);

    const pending = await s.viewer.get<{ items: { id: string }[] }>(`/tenants/${t.slug}/invitations`);
    expect(pending.body.items.map((i) => i.id)).toEqual([created.invitation.id]);

    const lookup = await publicPost('/invitations/lookup', { token: created.token });
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toEqual({
      tenant: { slug: t.slug, name: expect.any(String) },
      email: email.toLowerCase(),
      role: 'member',
      expiresAt: created.invitation.expiresAt,
      needsPassword: true,
      accountExists: false,
      canSignInWithPassword: false,
    });

    // A new account needs a password, and the same rules as `user set-password`.
    const noPassword = await publicPost('/invitations/accept', { token: created.token });
    expect(noPassword.status).toBe(400);
    const short = await publicPost('/invitations/accept', { token: created.token, password: 'short' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(await short.json())).toMatch(/at least 12 characters/);

    const password = newPassword();
    const accepted = await publicPost('/invitations/accept', { token: created.token, password });
    expect(accepted.status).toBe(201);
    const session = (await accepted.json()) as {
      user: { email: string };
      csrfToken: string;
      tenants: { slug: string; role: string }[];
    };
    expect(session.user.email).toBe(email.toLowerCase());
    expect(session.tenants).toEqual([expect.objectContaining({ slug: t.slug, role: 'member' })]);
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^sb_session=/);
    const asMember = new AdminClient(app, { kind: 'session', cookie, csrf: session.csrfToken });
    expect((await asMember.get(`/tenants/${t.slug}/members`)).status).toBe(200);
    expectError(
      await asMember.post(`/tenants/${t.slug}/invitations`, { email: 'x@y.example', role: 'viewer' }),
      403,
      'forbidden',
    );
    // The password chosen works for ordinary sign-in too.
    await signIn(app, { email, password });

    // The link works once.
    const again = await publicPost('/invitations/accept', { token: created.token, password: newPassword() });
    expect(again.status).toBe(412);
    expect(await again.json()).toMatchObject({ error: { details: { reason: 'used' } } });
    const lookupAgain = await publicPost('/invitations/lookup', { token: created.token });
    expect(lookupAgain.status).toBe(412);
    expect((await s.viewer.get<{ items: unknown[] }>(`/tenants/${t.slug}/invitations`)).body.items).toEqual(
      [],
    );

    const members = await s.viewer.get<{ items: { email: string; role: string }[] }>(
      `/tenants/${t.slug}/members`,
    );
    expect(members.body.items).toContainEqual(
      expect.objectContaining({ email: email.toLowerCase(), role: 'member' }),
    );
    const actions = (await auditEvents(app, t)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.create', 'invitation.accept', 'member.add']));

    // The token is in no stored row, log of the tenant, or answer other than the creation's.
    const everything = JSON.stringify([
      await auditEvents(app, t),
      await app.running.app.get(PrismaService).invitation.findMany({ where: { email: email.toLowerCase() } }),
      pending.body,
    ]);
    expect(everything).not.toContain(created.token);
    expect(everything).not.toContain(created.token.slice(4));
  });

  it('an existing account proves itself with its own password or session; the invitation never resets it', async () => {
    const t = await adminTenant(app);
    const other = await adminTenant(app);
    const s = await sessions(app, t);
    // A member of another tenant, with a password of their own.
    const person = other.people.member;
    const created = await invite(s.admin, t, person.email, 'viewer');
    const lookup = (await (
      await publicPost('/invitations/lookup', { token: created.token })
    ).json()) as Record<string, unknown>;
    expect(lookup).toMatchObject({ needsPassword: false, accountExists: true, canSignInWithPassword: true });

    const without = await publicPost('/invitations/accept', { token: created.token });
    expect(without.status).toBe(401);
    const wrong = await publicPost('/invitations/accept', { token: created.token, password: newPassword() });
    expect(wrong.status).toBe(401);
    // Neither attempt changed the password nor used the link.
    await signIn(app, person);

    const ok = await publicPost('/invitations/accept', { token: created.token, password: person.password });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { tenants: { slug: string; role: string }[] };
    expect(body.tenants.map((x) => [x.slug, x.role]).sort()).toEqual(
      [
        [other.slug, 'member'],
        [t.slug, 'viewer'],
      ].sort(),
    );
    await signIn(app, person);

    // Signed in already (a password session from our own page): no password needed.
    const third = await adminTenant(app);
    const link = await invite((await sessions(app, third)).owner, third, person.email, 'member');
    const asPerson = await signIn(app, person);
    const auth = asPerson.auth as { cookie: string; csrf: string };
    const forgedOrigin = await publicPost(
      '/invitations/accept',
      { token: link.token },
      { Cookie: auth.cookie, 'X-CSRF-Token': auth.csrf, Origin: 'https://evil.example' },
    );
    expect(forgedOrigin.status).toBe(403);
    const noCsrf = await publicPost('/invitations/accept', { token: link.token }, { Cookie: auth.cookie });
    expect(noCsrf.status).toBe(401);
    const bySession = await publicPost(
      '/invitations/accept',
      { token: link.token },
      { Cookie: auth.cookie, 'X-CSRF-Token': auth.csrf },
    );
    expect(bySession.status).toBe(201);
    expect(
      ((await bySession.json()) as { tenants: { slug: string }[] }).tenants.map((x) => x.slug),
    ).toContain(third.slug);
  });

  it('refuses expired, withdrawn and unknown links, existing members, and non-admins', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/invitations`;
    expectError(await s.admin.post(base, { email: t.people.viewer.email, role: 'member' }), 409, 'conflict');
    expectError(
      await s.member.post(base, { email: `m@${t.slug}.example`, role: 'member' }),
      403,
      'forbidden',
    );
    expectError(await s.viewer.delete(`${base}/${randomUUID()}`), 403, 'forbidden');
    expectError(await s.admin.post(base, { email: 'not an email', role: 'member' }), 400, 'invalid_argument');
    expectError(
      await s.admin.post(base, { email: `x@${t.slug}.example`, role: 'king' }),
      400,
      'invalid_argument',
    );
    // Only owners invite owners.
    expectError(await s.admin.post(base, { email: `o@${t.slug}.example`, role: 'owner' }), 403, 'forbidden');
    expect((await s.owner.post(base, { email: `o@${t.slug}.example`, role: 'owner' })).status).toBe(201);

    // Expired.
    const expired = await invite(s.admin, t, `late@${t.slug}.example`);
    await app.running.app.get(PrismaService).invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await publicPost('/invitations/accept', { token: expired.token, password: newPassword() });
    expect(late.status).toBe(412);
    expect(await late.json()).toMatchObject({ error: { details: { reason: 'expired' } } });

    // Withdrawn, and replaced by a newer invitation for the same email.
    const first = await invite(s.admin, t, `twice@${t.slug}.example`);
    const second = await invite(s.admin, t, `twice@${t.slug}.example`, 'viewer');
    expect((await publicPost('/invitations/lookup', { token: first.token })).status).toBe(412);
    expect((await s.admin.delete(`${base}/${second.invitation.id}`)).status).toBe(204);
    expectError(await s.admin.delete(`${base}/${second.invitation.id}`), 404, 'not_found');
    const withdrawn = await publicPost('/invitations/lookup', { token: second.token });
    expect(await withdrawn.json()).toMatchObject({ error: { details: { reason: 'revoked' } } });

    expect((await publicPost('/invitations/lookup', { token: `sbi_${'A'.repeat(43)}` })).status).toBe(404);
    expect((await publicPost('/invitations/lookup', { token: 'garbage' })).status).toBe(404);
    expect(
      (await publicPost('/invitations/lookup', { token: first.token }, { Origin: 'https://evil.example' }))
        .status,
    ).toBe(403);

    // Another tenant's admin sees none of it.
    const other = await adminTenant(app);
    const outsider = (await sessions(app, other)).admin;
    expectError(await outsider.get(base), 404, 'not_found');
    expectError(await outsider.delete(`${base}/${first.invitation.id}`), 404, 'not_found');
    const actions = (await auditEvents(app, t, 'invitation.*')).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.create', 'invitation.revoke']));
  });
});
