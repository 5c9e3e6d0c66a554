/**
 * Dashboard sessions against the running server: sign-in with the OAuth password check, the cookie's
 * attributes, the CSRF token and origin check on changes, idle and absolute expiry, sign-out, and the
 * throttle shared with the OAuth sign-in page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { hashToken } from '../../../src/admin/session/admin-session.service.js';
import type { OAuthTestApp } from '../oauth/support.js';
import { AdminClient, adminTenant, auditEvents, expectError, signIn, startAdminApp } from './support.js';

let app: OAuthTestApp;

beforeAll(async () => {
  app = await startAdminApp({ SWITCHBOARD_LOCKOUT_THRESHOLD: '3' });
});

afterAll(async () => {
  await app?.close();
});

function post(body: unknown, origin: string | null = null): Promise<Response> {
  return fetch(`${app.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
    body: JSON.stringify(body),
  });
}

describe('sign-in', () => {
  it('opens a session: HttpOnly, SameSite=Lax cookie, CSRF token, the tenants it may act in; audited', async () => {
    const t = await adminTenant(app);
    const res = await post({ email: t.people.admin.email, password: t.people.admin.password }, app.url);
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sb_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      user: { email: t.people.admin.email },
      platformRole: null,
      method: 'password',
      tenants: [{ slug: t.slug, role: 'admin', status: 'active' }],
    });
    expect(String(body.csrfToken)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const session = new AdminClient(app, {
      kind: 'session',
      cookie: cookie.split(';')[0]!,
      csrf: String(body.csrfToken),
    });
    const current = await session.get('/session');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ user: { email: t.people.admin.email }, csrfToken: body.csrfToken });
    const [event] = await auditEvents(app, t, 'signin.success');
    expect(event).toMatchObject({ kind: 'auth', actor: { type: 'user', id: t.people.admin.userId } });
    expect(event!.data).toMatchObject({ method: 'password', surface: 'admin' });
  });

  it('refuses a wrong password with 401 and records it; a malformed body is a structured 400', async () => {
    const t = await adminTenant(app);
    const wrong = await post({ email: t.people.viewer.email, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.json()).toEqual({
      error: { code: 'unauthenticated', message: 'The email or password is incorrect.' },
    });
    const [event] = await auditEvents(app, t, 'signin.failure');
    expect(event).toMatchObject({ outcome: 'failure', data: { reason: 'invalid', surface: 'admin' } });

    const bad = await post({ email: 'x' });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; details: { issues: string[] } } };
    expect(err.error.code).toBe('invalid_argument');
    expect(err.error.details.issues.join('\n')).toMatch(/password/);
    // A browser post from another site is refused before any password is checked.
    const foreign = await post(
      { email: t.people.viewer.email, password: t.people.viewer.password },
      'https://evil.example',
    );
    expect(foreign.status).toBe(403);
  });

  it('locks the account after repeated failures, with Retry-After, like the OAuth sign-in page', async () => {
    const t = await adminTenant(app);
    for (let i = 0; i < 3; i++) await post({ email: t.people.member.email, password: `wrong-${i}-password` });
    const locked = await post({ email: t.people.member.email, password: t.people.member.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});

describe('CSRF and origin', () => {
  it('refuses cookie-authenticated changes without the token or from another origin; API keys need neither', async () => {
    const t = await adminTenant(app);
    const admin = await signIn(app, t.people.admin);
    const path = `/tenants/${t.slug}`;
    expectError(await admin.request('PATCH', path, { name: 'No token' }, { csrf: null }), 403, 'forbidden');
    expectError(
      await admin.request('PATCH', path, { name: 'Wrong token' }, { csrf: 'x'.repeat(43) }),
      403,
      'forbidden',
    );
    expectError(
      await admin.request('PATCH', path, { name: 'Other site' }, { origin: 'https://evil.example' }),
      403,
      'forbidden',
    );
    expectError(
      await admin.request('PATCH', path, { name: 'No origin' }, { origin: null }),
      403,
      'forbidden',
    );
    // Nothing changed.
    expect((await admin.get(path)).body).toMatchObject({ name: t.slug });
    expect((await admin.patch(path, { name: 'With token' })).status).toBe(200);
    const key = AdminClient.key(app, t.ownerKey);
    expect((await key.request('PATCH', path, { name: 'By key' }, { origin: null })).status).toBe(200);
  });
});

describe('expiry and sign-out', () => {
  it('ends a session left idle, one past its absolute expiry, and one signed out — on the server', async () => {
    const t = await adminTenant(app);
    const prisma = app.running.app.get(PrismaService);
    const idOf = (c: AdminClient) =>
      c.auth.kind === 'session' ? hashToken(c.auth.cookie.slice(c.auth.cookie.indexOf('=') + 1)) : '';

    const idle = await signIn(app, t.people.viewer);
    expect((await idle.get('/session')).status).toBe(200);
    await prisma.adminSession.update({
      where: { id: idOf(idle) },
      data: { lastSeenAt: new Date(Date.now() - (app.config.admin.sessionIdleMinutes + 1) * 60_000) },
    });
    const idleRes = await idle.get('/session');
    expectError(idleRes, 401, 'unauthenticated');
    expect(idleRes.headers.get('set-cookie')).toMatch(/sb_session=;/);
    expect(await prisma.adminSession.findUnique({ where: { id: idOf(idle) } })).toBeNull();

    const old = await signIn(app, t.people.viewer);
    await prisma.adminSession.update({
      where: { id: idOf(old) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expectError(await old.get(`/tenants/${t.slug}`), 401, 'unauthenticated');

    const live = await signIn(app, t.people.viewer);
    expectError(await live.request('DELETE', '/session', undefined, { csrf: null }), 403, 'forbidden');
    const out = await live.delete('/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/sb_session=;/);
    expect(await prisma.adminSession.findUnique({ where: { id: idOf(live) } })).toBeNull();
    expectError(await live.get('/session'), 401, 'unauthenticated');
    expect((await auditEvents(app, t, 'signout')).length).toBe(1);
  });

  it('answers 401 with a Bearer challenge without credentials, and for a bad key', async () => {
    const t = await adminTenant(app);
    const none = await AdminClient.anonymous(app).get(`/tenants/${t.slug}`);
    expectError(none, 401, 'unauthenticated');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="switchboard"');
    expectError(await AdminClient.key(app, 'sb_nope').get(`/tenants/${t.slug}`), 401, 'unauthenticated');
    expectError(await AdminClient.anonymous(app).get('/session'), 401, 'unauthenticated');
    // The session routes are for the dashboard, not for keys.
    expectError(await AdminClient.key(app, t.ownerKey).get('/session'), 403, 'forbidden');
  });
});
