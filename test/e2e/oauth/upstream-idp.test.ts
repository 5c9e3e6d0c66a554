/**
 * Sign-in through a tenant's own OpenID Connect identity provider. A second oidc-provider on loopback
 * plays the company's IdP (one confidential client, a few static accounts, no consent step). The whole
 * Claude connection runs with the official SDK v2 client and a real Chromium that presses "Continue with
 * …", signs in at the IdP, comes back and approves; the refusals are driven over plain HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { textResult, type ToolPack } from '@switchboard/integration-kit';
import { Command } from 'commander';
import type { Browser } from 'playwright-core';
import { z } from 'zod';
import { idpCommands } from '../../../apps/cli/src/commands/idp.command.js';
import { createKit } from '../../../apps/cli/src/kit.js';
import { AuditService } from '../../../src/audit/audit.service.js';
import { IdentityProviderRepository } from '../../../src/oauth/upstream/identity-provider.repository.js';
import {
  IdentityProviderService,
  type IdentityProviderInput,
} from '../../../src/oauth/upstream/identity-provider.service.js';
import { MembershipRepository } from '../../../src/tenancy/membership.repository.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { UserRepository } from '../../../src/tenancy/user.repository.js';
import { e2eDatabaseKind, uniqueSlug } from '../../support/app.js';
import { createTestDatabase } from '../../support/database.js';
import { HttpBrowser, startCompanyIdp, type CompanyIdp } from './company-idp.js';
import {
  launchBrowser,
  pkcePair,
  registerClient,
  startOAuthTestApp,
  TestOAuthProvider,
  tokenRequest,
  type OAuthTestApp,
} from './support.js';

jest.setTimeout(120_000);

const PACK = 'oauth-upstream-e2e';

let app: OAuthTestApp;
let idps: IdentityProviderService;
let idp: CompanyIdp;
let browser: Browser;

beforeAll(async () => {
  app = await startPlatform();
  idps = app.running.app.get(IdentityProviderService);
  [idp, browser] = await Promise.all([
    startCompanyIdp(`${app.url}/oauth/upstream/callback`),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await app?.close();
});

// --- the platform, with loopback identity providers allowed (test-only setting, never from the environment)

function startPlatform(env: Record<string, string> = {}): Promise<OAuthTestApp> {
  return startOAuthTestApp(env, { idpLoopback: true, pack: whoamiPack() });
}

/** One tool that says who called it. */
function whoamiPack(): ToolPack {
  return {
    id: PACK,
    title: 'Upstream e2e',
    description: 'Says who the caller is.',
    version: '1',
    configSchema: z.object({}),
    secrets: [],
    exposeByDefault: false,
    surface: async () => ({
      tools: [
        {
          name: 'whoami',
          title: 'whoami',
          description: 'The calling user.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: true },
          permission: 'read' as const,
          handler: async (_args: Record<string, unknown>, ctx: { principal: { userId: string | null } }) =>
            textResult(`user:${ctx.principal.userId}`),
        },
      ],
    }),
  };
}

/** A tenant whose default endpoint has the whoami tool, and the company domain its people use. */
async function companyTenant(
  platform: OAuthTestApp = app,
): Promise<{ slug: string; mcpUrl: string; domain: string; tenantId: string }> {
  const slug = uniqueSlug('u');
  const tenant = await platform.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  await platform.tenancy.enablePack(slug, PACK, { endpointSlug: 'default' });
  return { slug, mcpUrl: `${platform.url}/t/${slug}/mcp`, domain: `${slug}.example`, tenantId: tenant.id };
}

function settings(over: Partial<IdentityProviderInput> = {}): IdentityProviderInput {
  return {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    displayName: 'Company Login',
    ...over,
  };
}

/**
 * Serves a discovery document claiming to be issuer `<its own URL>` but pointing at the real IdP's
 * endpoints: whatever the real IdP issues names another issuer.
 */
async function startImpostor(real: CompanyIdp): Promise<{ issuer: string; close(): Promise<void> }> {
  const metadata = (await (await fetch(`${real.issuer}/.well-known/openid-configuration`)).json()) as Record<
    string,
    unknown
  >;
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
    const { authorization_response_iss_parameter_supported: _iss, ...rest } = metadata;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ...rest, issuer }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

// --- a browser over plain HTTP (cookies per host), for the refusals ---------------------------------

interface Walked {
  /** The redirect that left the platform and the IdP (the client's callback), if any. */
  readonly redirect: URL | null;
  readonly status: number;
  readonly body: string;
  /** Where the walk stopped (the last URL requested). */
  readonly url: string;
}

/**
 * Follows an authorization request like a person would: presses "Continue with …" on our sign-in page,
 * signs in at the IdP as `login`, and approves (or stops at) our consent page. `onCallback` may rewrite
 * the IdP's redirect back to us (an attacker's edit).
 */
async function walk(
  b: HttpBrowser,
  start: string,
  opts: {
    login: string;
    approve?: boolean;
    onCallback?: (url: URL) => URL;
    platform?: OAuthTestApp;
    idp?: CompanyIdp;
  },
): Promise<Walked> {
  const platform = opts.platform ?? app;
  const company = opts.idp ?? idp;
  const ours = new URL(platform.url).origin;
  let next: (() => Promise<Response>) | null = () => b.request(start);
  let url = start;
  for (let step = 0; step < 25 && next; step++) {
    const res: Response = await next();
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      let target = new URL(location, url);
      if (target.origin !== ours && target.origin !== company.issuer) {
        return { redirect: target, status: res.status, body: '', url };
      }
      if (target.pathname === '/oauth/upstream/callback' && opts.onCallback) target = opts.onCallback(target);
      url = target.href;
      next = () => b.request(target.href);
      continue;
    }
    const body = await res.text();
    const here = new URL(url);
    if (here.origin !== ours && res.status === 200 && body.includes('name="login"')) {
      const action = /action="([^"]+)"/.exec(body)![1]!;
      url = new URL(action, here).href;
      next = () => b.form(url, { login: opts.login });
      continue;
    }
    const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
    const uid = /action="\/interaction\/([^/]+)\//.exec(body)?.[1];
    if (res.status === 200 && csrf && uid && body.includes(`/interaction/${uid}/sso`)) {
      url = `${platform.url}/interaction/${uid}/sso`;
      next = () => b.form(url, { csrf });
      continue;
    }
    if (res.status === 200 && csrf && uid && body.includes(`/interaction/${uid}/confirm`) && opts.approve) {
      url = `${platform.url}/interaction/${uid}/confirm`;
      next = () => b.form(url, { csrf });
      continue;
    }
    return { redirect: null, status: res.status, body, url };
  }
  throw new Error('the walk did not finish');
}

/** A DCR client and an authorization request for `resource`; the pieces to redeem its code. */
async function authorizationRequest(resource: string, platform: OAuthTestApp = app) {
  const clientId = await registerClient(platform, [platform.fixture.callbackUrl]);
  const { verifier, challenge } = pkcePair();
  const url = `${platform.url}/oauth/auth?${new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: platform.fixture.callbackUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource,
    scope: 'mcp',
    state: 'client-state',
  })}`;
  return { clientId, verifier, url };
}

async function auditEvents(slug: string, action: string) {
  const audit = app.running.app.get(AuditService);
  return (await audit.list(slug, audit.parseFilter({ action }), {})).events as unknown as {
    outcome: string;
    target: string | null;
    data: Record<string, unknown>;
  }[];
}

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

// --- the tests -------------------------------------------------------------------------------------

describe('signing in through the company identity provider', () => {
  it('connects Claude end to end: Continue with …, sign in at the IdP, approve, use the tools', async () => {
    const t = await companyTenant();
    const email = `ada@${t.domain}`;
    const { user } = await app.tenancy.addMember(t.slug, email, 'member');
    idp.addAccount('ada', { email, email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));

    const provider = new TestOAuthProvider(app.fixture.callbackUrl);
    const first = new Client({ name: 'claude-like', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(t.mcpUrl), { authProvider: provider });
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const authorizationUrl = provider.authorizationUrl!;

    const context = await browser.newContext();
    const page = await context.newPage();
    let callback: URLSearchParams;
    try {
      const arrived = app.fixture.nextCallback();
      await page.goto(authorizationUrl.href);
      await page.getByRole('button', { name: 'Continue with Company Login' }).click();
      await page.getByLabel('Company username').fill('ada');
      await page.getByRole('button', { name: 'Sign in to Company' }).click();
      const allow = page.getByRole('button', { name: 'Allow' });
      await allow.waitFor({ timeout: 15_000 }).catch(async () => {
        const text = await page
          .locator('body')
          .innerText()
          .catch(() => '');
        throw new Error(`consent page not reached; at ${page.url()}: ${text.slice(0, 500)}`);
      });
      expect(await page.locator('body').innerText()).toContain(`${email}, member`);
      await allow.click();
      callback = await arrived;
    } finally {
      await context.close();
    }
    expect(callback.get('iss')).toBe(`${app.url}/oauth`);
    await transport.finishAuth(callback);

    const client = new Client({ name: 'claude-like', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(t.mcpUrl), { authProvider: provider }));
    try {
      expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['whoami']);
      expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(`user:${user.id}`);
    } finally {
      await client.close();
    }

    const [success] = await auditEvents(t.slug, 'signin.success');
    expect(success).toMatchObject({
      outcome: 'success',
      target: email,
      data: { method: 'oidc', issuer: idp.issuer },
    });
  });

  it('makes a first-time user a member with the configured role when JIT is on', async () => {
    const t = await companyTenant();
    const email = `grace-${randomBytes(3).toString('hex')}@${t.domain}`;
    idp.addAccount(email, { email, email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain], jitRole: 'viewer' }));
    const request = await authorizationRequest(t.mcpUrl);
    const outcome = await walk(new HttpBrowser(), request.url, { login: email, approve: true });
    const code = outcome.redirect?.searchParams.get('code');
    expect(code).toBeTruthy();
    const user = await app.running.app.get(UserRepository).findByEmail(email);
    const membership = await app.running.app
      .get(MembershipRepository)
      .find({ tenantId: t.tenantId }, user!.id);
    expect(membership?.role).toBe('viewer');
    const token = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: code!,
      code_verifier: request.verifier,
      redirect_uri: app.fixture.callbackUrl,
      client_id: request.clientId,
      resource: t.mcpUrl,
    });
    expect(token.status).toBe(200);
    const [event] = await auditEvents(t.slug, 'signin.success');
    expect(event?.data).toMatchObject({ method: 'oidc', joinedAs: 'viewer' });
  });

  it('keeps a session opened by one tenant’s IdP out of every other tenant', async () => {
    const t = await companyTenant();
    const other = await companyTenant();
    const email = `lin@${t.domain}`;
    await app.tenancy.addMember(t.slug, email, 'member');
    await app.tenancy.addMember(other.slug, email, 'member');
    idp.addAccount('lin', { email, email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));
    const b = new HttpBrowser();
    const signedIn = await walk(b, (await authorizationRequest(t.mcpUrl)).url, {
      login: 'lin',
      approve: true,
    });
    expect(signedIn.redirect?.searchParams.get('code')).toBeTruthy();

    // The same browser at the same tenant: signed in already, straight to consent.
    const again = await walk(b, (await authorizationRequest(t.mcpUrl)).url, { login: 'nobody' });
    expect(again.body).toContain('/confirm');
    // At the other tenant the IdP's word does not count: a sign-in page, not consent.
    const elsewhere = await walk(b, (await authorizationRequest(other.mcpUrl)).url, { login: 'nobody' });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toContain('name="password"');
    expect(elsewhere.body).not.toContain('/confirm');
    // Nor does the session open the other tenant's connected apps.
    expect((await b.request(`${app.url}/api/v1/tenants/${t.slug}/me/connected-apps`)).status).toBe(200);
    expect((await b.request(`${app.url}/api/v1/tenants/${other.slug}/me/connected-apps`)).status).toBe(401);
  });
});

describe('refusals', () => {
  it('refuses a callback whose state was tampered with, or that arrives in another browser', async () => {
    const t = await companyTenant();
    const email = `eve@${t.domain}`;
    await app.tenancy.addMember(t.slug, email, 'member');
    idp.addAccount('eve', { email, email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));

    const tampered = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'eve',
      onCallback: (u) => {
        u.searchParams.set('state', randomBytes(32).toString('base64url'));
        return u;
      },
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain('does not match a sign-in started in this browser');
    expect(tampered.body).not.toMatch(/code=|eyJ/);

    let stolen: URL | null = null;
    const stopped = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'eve',
      onCallback: (u) => {
        stolen = new URL(u);
        u.searchParams.delete('state');
        return u;
      },
    });
    expect(stopped.status).toBe(400);
    const elsewhere = await new HttpBrowser().request(stolen!.href);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('does not match a sign-in started in this browser');
  });

  it('says so when the person cancels at the IdP, without repeating its text', async () => {
    const t = await companyTenant();
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));
    const outcome = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'cancel',
    });
    expect(outcome.status).toBe(400);
    expect(outcome.body).toContain('The identity provider did not sign you in (access_denied).');
    expect(outcome.body).not.toContain('cancelled');
    expect(outcome.body).toMatch(/action="\/interaction\/[^/]+\/abort"/);
    const [event] = await auditEvents(t.slug, 'signin.failure');
    expect(event?.data).toMatchObject({ method: 'oidc', reason: 'idp_error' });
  });

  it('refuses an email outside the allowed domains', async () => {
    const t = await companyTenant();
    idp.addAccount('mallory', { email: 'mallory@elsewhere.example', email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain], jitRole: 'member' }));
    const outcome = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'mallory',
    });
    expect(outcome.status).toBe(403);
    expect(outcome.body).toContain(
      'Accounts of elsewhere.example cannot sign in through Company Login here.',
    );
    expect(await app.running.app.get(UserRepository).findByEmail('mallory@elsewhere.example')).toBeNull();
    const [event] = await auditEvents(t.slug, 'signin.failure');
    expect(event).toMatchObject({
      outcome: 'denied',
      data: { method: 'oidc', reason: 'domain_not_allowed' },
    });
  });

  it('refuses an unverified email unless configured otherwise', async () => {
    const t = await companyTenant();
    const email = `unverified@${t.domain}`;
    await app.tenancy.addMember(t.slug, email, 'member');
    idp.addAccount('unverified', { email, email_verified: false });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));
    const refused = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'unverified',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('has not verified the email address');

    await idps.set(t.slug, settings({ allowedDomains: [t.domain], requireEmailVerified: false }));
    const accepted = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'unverified',
    });
    expect(accepted.body).toContain('/confirm');
  });

  it('refuses a non-member when first-sign-in membership is off', async () => {
    const t = await companyTenant();
    const email = `stranger@${t.domain}`;
    idp.addAccount('stranger', { email, email_verified: true });
    await idps.set(t.slug, settings({ allowedDomains: [t.domain] }));
    const outcome = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'stranger',
    });
    expect(outcome.status).toBe(403);
    expect(outcome.body).toContain(`${email} is not a member of ${t.slug}`);
    // The page still offers the way back to the application.
    expect(outcome.body).toMatch(/action="\/interaction\/[^/]+\/abort"/);
    expect(await app.running.app.get(UserRepository).findByEmail(email)).toBeNull();
    const [event] = await auditEvents(t.slug, 'signin.failure');
    expect(event).toMatchObject({ target: email, data: { reason: 'not_member' } });
  });

  it('refuses identity providers on private and metadata addresses', async () => {
    const t = await companyTenant();
    for (const issuer of [
      'https://10.20.30.40',
      'https://169.254.169.254',
      'https://192.168.1.5/realms/acme',
    ]) {
      for (const verify of [true, false]) {
        await expect(idps.set(t.slug, settings({ issuer }), { verify })).rejects.toMatchObject({
          code: 'invalid_argument',
          message: expect.stringMatching(/refused: .*(not a public address|cloud metadata)/),
        });
      }
    }
    // One that got into the database anyway is refused when someone presses the button.
    await app.running.app.get(IdentityProviderRepository).upsert(
      { tenantId: t.tenantId },
      {
        issuer: 'https://10.20.30.40',
        clientId: 'x',
        sealedSecret: null,
        displayName: 'Internal',
        enabled: true,
        allowedDomains: [],
        emailClaim: 'email',
        requireEmailVerified: true,
        jitRole: null,
      },
    );
    const outcome = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
      login: 'nobody',
    });
    expect(outcome.status).toBe(502);
    expect(outcome.body).toContain('10.20.30.40 is not a public address');
    const [event] = await auditEvents(t.slug, 'signin.failure');
    expect(event?.data).toMatchObject({ reason: 'address_refused', stage: 'start' });
  });

  it('refuses an ID token or an authorization response from another issuer', async () => {
    const t = await companyTenant();
    const email = `ivan@${t.domain}`;
    await app.tenancy.addMember(t.slug, email, 'member');
    idp.addAccount('ivan', { email, email_verified: true });
    const impostor = await startImpostor(idp);
    try {
      await idps.set(t.slug, settings({ issuer: impostor.issuer, allowedDomains: [t.domain] }));
      // RFC 9207: the response says which issuer sent it, and it is not the configured one.
      const response = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
        login: 'ivan',
      });
      expect(response.status).toBe(400);
      expect(response.body).toContain('unexpected &quot;iss&quot; (issuer) response parameter value');
      // Without that parameter the code is redeemed, and the ID token names the other issuer.
      const token = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl)).url, {
        login: 'ivan',
        onCallback: (u) => {
          u.searchParams.delete('iss');
          return u;
        },
      });
      expect(token.status).toBe(400);
      expect(token.body).toMatch(/unexpected JWT &quot;iss&quot;/);
      const failures = await auditEvents(t.slug, 'signin.failure');
      expect(failures.map((e) => e.data.reason)).toEqual(['invalid_response', 'invalid_response']);
    } finally {
      await impostor.close();
    }
  });
});

describe('brute force', () => {
  it('refuses the callback from an address that sent too many forged responses, even a genuine one', async () => {
    const platform = await startPlatform({ SWITCHBOARD_LOCKOUT_THRESHOLD: '3' });
    const company = await startCompanyIdp(`${platform.url}/oauth/upstream/callback`);
    try {
      const t = await companyTenant(platform);
      const email = `kim@${t.domain}`;
      await platform.tenancy.addMember(t.slug, email, 'member');
      company.addAccount('kim', { email, email_verified: true });
      await platform.running.app.get(IdentityProviderService).set(t.slug, {
        issuer: company.issuer,
        clientId: company.clientId,
        clientSecret: company.clientSecret,
        allowedDomains: [t.domain],
      });
      for (let i = 0; i < 3; i++) {
        const forged = await fetch(
          `${platform.url}/oauth/upstream/callback?code=guess-${i}&state=${randomBytes(32).toString('base64url')}`,
          { redirect: 'manual' },
        );
        expect(forged.status).toBe(400);
      }
      const genuine = await walk(new HttpBrowser(), (await authorizationRequest(t.mcpUrl, platform)).url, {
        login: 'kim',
        platform,
        idp: company,
      });
      expect(genuine.status).toBe(429);
      expect(genuine.body).toContain('Too many failed sign-ins from here');
    } finally {
      await company.close();
      await platform.close();
    }
  });
});

describe('switchboard idp', () => {
  it('sets, shows and removes a tenant’s identity provider; the secret comes from stdin only', async () => {
    // Its own database: on PostgreSQL a fresh one, otherwise an embedded one in its own data folder.
    const db = e2eDatabaseKind() === 'postgres' ? await createTestDatabase('postgres') : null;
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-idp-cli-'));
    const env: Record<string, string> = {
      SWITCHBOARD_DATA_DIR: dataDir,
      ...(db?.url ? { DATABASE_URL: db.url } : {}),
    };
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    let out = '';
    const cli = async (stdin: string, ...argv: string[]) => {
      out = '';
      const program = new Command('switchboard')
        .option('--json')
        .exitOverride()
        .configureOutput({
          writeOut: () => undefined,
          writeErr: () => undefined,
        });
      const kit = createKit(env, (s) => void (out += s));
      idpCommands({ read: async () => Buffer.from(stdin) })(program, kit);
      try {
        await program.parseAsync(argv, { from: 'user' });
        return { ok: true as const, json: JSON.parse(out) as Record<string, unknown> };
      } catch (e) {
        return { ok: false as const, error: e as { code?: string; message: string } };
      }
    };
    try {
      const ctxKit = createKit(env, () => undefined);
      await ctxKit.withContext(async (ctx) => {
        await ctx.get(TenancyService).createTenant({ slug: 'idp-cli', ownerEmail: 'owner@idp-cli.example' });
      });
      const set = await cli(
        `${secret}\n`,
        'idp',
        'set',
        '--tenant',
        'idp-cli',
        '--issuer',
        'https://login.idp-cli.example',
        '--client-id',
        'switchboard',
        '--name',
        'Acme SSO',
        '--domains',
        'Idp-Cli.example, b.example',
        '--jit-role',
        'member',
        '--skip-check',
        '--json',
      );
      expect(set).toMatchObject({
        ok: true,
        json: {
          tenant: 'idp-cli',
          issuer: 'https://login.idp-cli.example',
          clientId: 'switchboard',
          hasClientSecret: true,
          displayName: 'Acme SSO',
          allowedDomains: ['idp-cli.example', 'b.example'],
          emailClaim: 'email',
          requireEmailVerified: true,
          jitRole: 'member',
          redirectUri: 'http://localhost:3000/oauth/upstream/callback',
        },
      });
      expect(out).not.toContain(secret);
      const shown = await cli('', 'idp', 'show', '--tenant', 'idp-cli', '--json');
      expect(shown).toMatchObject({ ok: true, json: { hasClientSecret: true, jitRole: 'member' } });
      expect(out).not.toContain(secret);

      for (const issuer of ['https://10.0.0.8', 'http://login.idp-cli.example', 'https://127.0.0.1:8443']) {
        const refused = await cli(
          secret,
          'idp',
          'set',
          '--tenant',
          'idp-cli',
          '--issuer',
          issuer,
          '--client-id',
          'x',
          '--skip-check',
        );
        expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      }
      expect(
        await cli(
          '',
          'idp',
          'set',
          '--tenant',
          'idp-cli',
          '--issuer',
          'https://login.idp-cli.example',
          '--client-id',
          'x',
          '--skip-check',
        ),
      ).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('no client secret on standard input') },
      });
      expect(
        await cli(
          secret,
          'idp',
          'set',
          '--tenant',
          'idp-cli',
          '--issuer',
          'https://login.idp-cli.example',
          '--client-id',
          'x',
          '--jit-role',
          'member',
          '--skip-check',
        ),
      ).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('needs at least one allowed email domain') },
      });
      // Discovery runs by default, through the same address guard (the CLI has no test-only loopback).
      expect(
        await cli(secret, 'idp', 'set', '--tenant', 'idp-cli', '--issuer', idp.issuer, '--client-id', 'x'),
      ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });

      expect(await cli('', 'idp', 'remove', '--tenant', 'idp-cli', '--json')).toMatchObject({
        ok: true,
        json: { removed: true },
      });
      expect(await cli('', 'idp', 'show', '--tenant', 'idp-cli', '--json')).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    } finally {
      await db?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
