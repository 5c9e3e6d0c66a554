/**
 * The checker against a healthy Switchboard endpoint: real server, real database, our own sign-in and
 * consent pages. Signed in as a test principal over HTTP, by a person in a real browser (the interactive
 * strategy), and with an API key; plus the ways a sign-in goes wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  interactiveAuthorization,
  renderReport,
  runCheck,
  STEPS,
  switchboardTestPrincipal,
  type CheckEvent,
  type CheckFetch,
  type CheckReport,
} from '@switchboard/checker';
import type { Browser } from 'playwright-core';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import {
  CIMD_ORIGIN,
  createOAuthTenant,
  launchBrowser,
  startOAuthTestApp,
  type OAuthTestApp,
} from '../oauth/support.js';

let app: OAuthTestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startOAuthTestApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A fetch that records every exchange (and every token the server hands out) on its way through. */
function recordingFetch(log: string[], tokens: string[]): CheckFetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    log.push(`${init?.method ?? 'GET'} ${String(input).split('?')[0]} ${res.status}`);
    if (String(input).endsWith('/oauth/token') && res.ok) {
      const body = (await res.clone().json()) as Record<string, unknown>;
      for (const k of ['access_token', 'refresh_token'])
        if (typeof body[k] === 'string') tokens.push(body[k]);
    }
    return res;
  };
}

function byId(report: CheckReport) {
  return Object.fromEntries(report.steps.map((s) => [s.id, s]));
}

describe('checker against a healthy Switchboard endpoint', () => {
  it('passes every step in both eras with the test principal, and reports no credential', async () => {
    const t = await createOAuthTenant(app, 'member');
    const events: CheckEvent[] = [];
    const log: string[] = [];
    const tokens: string[] = [];
    const report = await runCheck(
      {
        url: t.mcpUrl,
        auth: { kind: 'oauth', strategy: switchboardTestPrincipal(t.member) },
        fetch: recordingFetch(log, tokens),
      },
      (e) => events.push(e),
    );
    process.stdout.write(`${renderReport(report)}\n${log.length} requests through the given fetch\n`);

    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0, unverifiedSteps: [] });
    const steps = byId(report);
    // Plain http on loopback: nothing to inspect. Everything else passes, in both eras.
    for (const s of report.steps)
      expect(`${s.id}: ${s.outcome}`).toBe(`${s.id}: ${s.id === 'tls' ? 'skipped' : 'pass'}`);
    expect(steps['legacy.initialize']!.data).toMatchObject({ protocolVersion: '2025-11-25', session: true });
    expect(steps['modern.discover']!.data).toMatchObject({ protocolVersion: '2026-07-28' });
    expect(steps['legacy.tool-call']!.data).toMatchObject({ tool: 'read_notes', isError: false });
    expect(steps['modern.tool-call']!.data).toMatchObject({ tool: 'read_notes', isError: false });
    expect(steps['token-audience']!.data).toMatchObject({ format: 'jwt', aud: [t.mcpUrl] });
    expect(steps['client-registration']!.data).toMatchObject({
      redirectUris: [
        'https://claude.ai/api/mcp/auth_callback',
        'https://claude.com/api/mcp/auth_callback',
        'http://127.0.0.1/switchboard-check/callback',
      ],
    });
    expect(steps.latency!.data).toMatchObject({ requests: 20, ok: 20, failed: 0 });

    // Events: announced plan, a start and a finish per step that ran, the report last.
    expect(events[0]).toMatchObject({ type: 'check-started', url: t.mcpUrl, steps: STEPS });
    expect(events.at(-1)).toEqual({ type: 'check-finished', report });
    const finished = events.flatMap((e) => (e.type === 'step-finished' ? [e.step.id] : []));
    expect(finished.sort()).toEqual(STEPS.map((s) => s.id).sort());

    // Every request went through the given fetch; no credential reached the report or the events.
    expect(log).toEqual(
      expect.arrayContaining([
        `POST ${t.mcpUrl} 401`,
        `POST ${app.url}/oauth/reg 201`,
        `POST ${app.url}/oauth/token 200`,
      ]),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const everything = JSON.stringify(events);
    for (const secret of [...tokens, t.member.password]) expect(everything).not.toContain(secret);
  });

  it('passes with an API key, skipping the OAuth flow', async () => {
    const t = await createOAuthTenant(app, 'member');
    const { key } = await app.running.app.get(ApiKeyService).create(t.slug, { userEmail: t.member.email });
    const report = await runCheck({ url: t.mcpUrl, auth: { kind: 'api-key', key }, burst: 5 });
    expect(report.outcome).toBe('pass');
    expect(report.authMode).toBe('api-key');
    const steps = byId(report);
    expect(steps['protected-resource-metadata']!.outcome).toBe('pass');
    for (const id of ['client-registration', 'authorization', 'token-exchange', 'token-audience']) {
      expect(steps[id]!.skip).toBe('not-applicable');
    }
    expect(steps['legacy.tool-call']!.outcome).toBe('pass');
    expect(steps['modern.tool-call']!.outcome).toBe('pass');
    expect(JSON.stringify(report)).not.toContain(key);
  });

  it('passes identifying itself with a client metadata document instead of registering', async () => {
    const t = await createOAuthTenant(app, 'member');
    const clientId = `${CIMD_ORIGIN}/clients/checker-${t.slug}.json`;
    app.fixture.serve(`/clients/checker-${t.slug}.json`, {
      client_id: clientId,
      client_name: 'Connection checker',
      redirect_uris: ['http://127.0.0.1/switchboard-check/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    const report = await runCheck({
      url: t.mcpUrl,
      auth: { kind: 'oauth', strategy: switchboardTestPrincipal(t.member), clientMetadataUrl: clientId },
      burst: 3,
    });
    expect(report.outcome).toBe('pass');
    expect(byId(report)['client-registration']).toMatchObject({
      skip: 'not-applicable',
      summary: `identifying with the client metadata document ${clientId}`,
    });
    expect(byId(report)['token-audience']!.outcome).toBe('pass');
  });

  it('passes with a person signing in through a real browser (interactive strategy)', async () => {
    const t = await createOAuthTenant(app, 'member');
    let browsing: Promise<string> | null = null;
    const context = await browser.newContext();
    try {
      const report = await runCheck(
        {
          url: t.mcpUrl,
          auth: { kind: 'oauth', strategy: interactiveAuthorization({ waitMs: 60_000 }) },
          burst: 5,
        },
        (event) => {
          if (event.type !== 'action-required') return;
          browsing = (async () => {
            const page = await context.newPage();
            await page.goto(event.action.url);
            await page.getByLabel('Email').fill(t.member.email);
            await page.getByLabel('Password').fill(t.member.password);
            await page.getByRole('button', { name: 'Sign in' }).click();
            await page.getByRole('button', { name: 'Allow' }).click();
            await page.getByText('Done: return to the terminal').waitFor();
            return page.url();
          })();
        },
      );
      expect(browsing).not.toBeNull();
      const landed = await browsing!;
      expect(landed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
      expect(report.outcome).toBe('pass');
      expect(report.strategy).toBe('interactive');
      expect(byId(report).authorization!.summary).toBe(
        'authorized through interactive; code received with iss',
      );
    } finally {
      await context.close();
    }
  });

  it('names the authorization step when the test principal cannot sign in', async () => {
    const t = await createOAuthTenant(app, 'member');
    const report = await runCheck({
      url: t.mcpUrl,
      auth: {
        kind: 'oauth',
        strategy: switchboardTestPrincipal({ email: t.member.email, password: 'not-the-password' }),
      },
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary.failedSteps).toEqual(['authorization']);
    const authorization = byId(report).authorization!;
    expect(authorization.summary).toMatch(/^sign-in refused: /);
    expect(authorization.hint).toMatch(/set-password/);
    expect(byId(report)['legacy.initialize']!.summary).toBe(
      'not run: Authorization (sign-in and consent) did not pass',
    );
    expect(JSON.stringify(report)).not.toContain('not-the-password');
  });

  it('names the authorization step when the user is not a member of the tenant', async () => {
    const t = await createOAuthTenant(app, 'member');
    const other = await createOAuthTenant(app, 'member');
    const report = await runCheck({
      url: t.mcpUrl,
      auth: { kind: 'oauth', strategy: switchboardTestPrincipal(other.member) },
    });
    expect(report.summary.failedSteps).toEqual(['authorization']);
    expect(byId(report).authorization!.summary).toContain(
      `${other.member.email} is not a member of ${t.slug}`,
    );
  });

  it('is incomplete without a strategy: discovery and registration checked, nobody signed in', async () => {
    const t = await createOAuthTenant(app, 'member');
    const report = await runCheck({ url: t.mcpUrl });
    expect(report.outcome).toBe('incomplete');
    expect(report.summary.unverifiedSteps).toEqual(['authorization']);
    expect(byId(report)['client-registration']!.outcome).toBe('pass');
    expect(byId(report)['token-exchange']!.summary).toBe(
      'not run: Authorization (sign-in and consent) could not be verified',
    );
    expect(renderReport(report)).toContain('Result: INCOMPLETE');
  });

  it('names reachability when the injected fetch refuses to connect (the egress guard of the server)', async () => {
    const t = await createOAuthTenant(app, 'member');
    const refusing: CheckFetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    };
    const report = await runCheck({ url: t.mcpUrl, fetch: refusing });
    expect(report.summary.failedSteps).toEqual(['reachability']);
    expect(byId(report).reachability!.summary).toMatch(/nothing accepts connections/);
  });
});
