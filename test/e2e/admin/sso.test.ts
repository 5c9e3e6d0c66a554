/**
 * Dashboard sign-in through a tenant's own OpenID Connect provider (a second oidc-provider on loopback),
 * walked over HTTP with a cookie jar: the same redirect URI as the OAuth sign-in, a session bound to
 * that tenant, refusals sent back to the dashboard with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IdentityProviderService } from '../../../src/oauth/upstream/identity-provider.service.js';
import { HttpBrowser, startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.js';
import type { OAuthTestApp } from '../oauth/support.js';
import {
  AdminClient,
  adminTenant,
  auditEvents,
  expectError,
  startAdminApp,
  type AdminTenant,
} from './support.js';

let app: OAuthTestApp;
let idp: CompanyIdp;

beforeAll(async () => {
  app = await startAdminApp({}, { idpLoopback: true });
  idp = await startCompanyIdp(`${app.url}/oauth/upstream/callback`);
});

afterAll(async () => {
  await idp?.close();
  await app?.close();
});

async function withIdp(t: AdminTenant): Promise<void> {
  await app.running.app.get(IdentityProviderService).set(t.slug, {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    displayName: 'Company Login',
    allowedDomains: [`${t.slug}.example`],
  });
}

/** POST /session/sso, then the provider's pages, until the browser lands back on the dashboard. */
async function signInThroughIdp(b: HttpBrowser, tenant: string, login: string): Promise<URL> {
  const start = await b.request(`${app.url}/api/v1/session/sso`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: app.url },
    body: JSON.stringify({ tenant, returnTo: '/admin/home' }),
  });
  expect(start.status).toBe(200);
  let url = ((await start.json()) as { redirectUrl: string }).redirectUrl;
  expect(url.startsWith(idp.issuer)).toBe(true);
  for (let step = 0; step < 15; step++) {
    const res = await b.request(url);
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin === new URL(app.url).origin && next.pathname.startsWith('/admin/')) return next;
      url = next.href;
      continue;
    }
    const body = await res.text();
    const action = /action="([^"]+)"/.exec(body)?.[1];
    if (res.status !== 200 || !action)
      throw new Error(`stuck at ${url}: ${res.status} ${body.slice(0, 200)}`);
    const submitted = await b.form(new URL(action, url).href, { login });
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the sign-in did not come back');
}

function sessionCookie(b: HttpBrowser): string {
  const jars = (b as unknown as { jars: Map<string, Map<string, string>> }).jars;
  const value = jars.get(new URL(app.url).host)?.get('sb_session');
  if (!value) throw new Error('no session cookie');
  return `sb_session=${value}`;
}

describe('single sign-on for the dashboard', () => {
  it('signs a member in through the tenant’s provider; the session acts in that tenant only', async () => {
    const t = await adminTenant(app);
    const other = await adminTenant(app);
    await withIdp(t);
    await app.tenancy.addMember(other.slug, t.people.admin.email, 'admin');
    await app.accounts.setOperator(t.people.admin.email, true);
    idp.addAccount(`alice-${t.slug}`, { email: t.people.admin.email, email_verified: true });

    const providers = await AdminClient.anonymous(app).get(`/session/providers?tenant=${t.slug}`);
    expect(providers.body).toEqual({ providers: [{ tenant: t.slug, name: 'Company Login' }] });
    expect((await AdminClient.anonymous(app).get(`/session/providers?tenant=${other.slug}`)).body).toEqual({
      providers: [],
    });
    expectError(
      await AdminClient.anonymous(app).post('/session/sso', { tenant: other.slug }),
      404,
      'not_found',
    );
    expectError(
      await AdminClient.anonymous(app).post('/session/sso', { tenant: t.slug, returnTo: '//evil.example/' }),
      400,
      'invalid_argument',
    );

    const b = new HttpBrowser();
    const landed = await signInThroughIdp(b, t.slug, `alice-${t.slug}`);
    expect(landed.pathname).toBe('/admin/home');
    expect(landed.searchParams.get('signin_error')).toBeNull();
    const cookie = sessionCookie(b);
    const session = await fetch(`${app.url}/api/v1/session`, { headers: { Cookie: cookie } });
    const body = (await session.json()) as { csrfToken: string; tenants: { slug: string }[] };
    expect(body).toMatchObject({
      method: 'oidc',
      boundTenant: t.slug,
      platformRole: null,
      tenants: [{ slug: t.slug }],
    });
    const client = new AdminClient(app, { kind: 'session', cookie, csrf: body.csrfToken });
    expect((await client.get(`/tenants/${t.slug}/endpoints`)).status).toBe(200);
    // A member of the other tenant too, but this session was opened by this tenant's provider.
    expectError(await client.get(`/tenants/${other.slug}`), 404, 'not_found');
    expectError(await client.get('/platform/tenants'), 403, 'forbidden');
    const [event] = await auditEvents(app, t, 'signin.success');
    expect(event).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { method: 'oidc', surface: 'admin' },
    });
  });

  it('sends a refused identity back to the dashboard with the reason, and opens no session', async () => {
    const t = await adminTenant(app);
    await withIdp(t);
    idp.addAccount(`stranger-${t.slug}`, { email: `stranger@${t.slug}.example`, email_verified: true });
    const b = new HttpBrowser();
    const landed = await signInThroughIdp(b, t.slug, `stranger-${t.slug}`);
    expect(landed.searchParams.get('signin_error')).toBe('not_member');
    expect(() => sessionCookie(b)).toThrow();
    const [event] = await auditEvents(app, t, 'signin.failure');
    expect(event).toMatchObject({
      outcome: 'denied',
      data: { method: 'oidc', surface: 'admin', reason: 'not_member' },
    });
  });
});
