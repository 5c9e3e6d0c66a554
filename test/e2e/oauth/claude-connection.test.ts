/**
 * Claude's whole connection, played with the official SDK v2 client's OAuth support and a real browser on
 * the real sign-in and consent pages: 401 with resource_metadata → protected-resource metadata →
 * authorization-server metadata → client identification (CIMD, or DCR) → authorize (sign in, approve) →
 * code + PKCE → token → tools in both protocol eras → refresh → revoke → refused.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { auth, Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import {
  CIMD_ORIGIN,
  createOAuthTenant,
  launchBrowser,
  recordingFetch,
  signInAndApprove,
  startOAuthTestApp,
  TestOAuthProvider,
  type Exchange,
  type OAuthTestApp,
} from './support.js';

const MODERN = '2026-07-28';

jest.setTimeout(90_000);

let app: OAuthTestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startOAuthTestApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

async function connect(url: string, provider: TestOAuthProvider, era: 'legacy' | 'modern', log: Exchange[]) {
  const client = new Client(
    { name: `claude-like-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: recordingFetch(log) }),
  );
  return client;
}

/** Runs the whole connection; returns the exchanges it took, for the round-trip count. */
async function playConnection(kind: 'cimd' | 'dcr'): Promise<Exchange[]> {
  const t = await createOAuthTenant(app, 'member');
  const log: Exchange[] = [];
  const clientId = `${CIMD_ORIGIN}/clients/${t.slug}.json`;
  const provider = new TestOAuthProvider(app.fixture.callbackUrl, kind === 'cimd' ? clientId : undefined);
  if (kind === 'cimd') {
    app.fixture.serve(`/clients/${t.slug}.json`, {
      client_id: clientId,
      client_name: 'E2E MCP client (CIMD)',
      client_uri: `${CIMD_ORIGIN}/`,
      redirect_uris: [app.fixture.callbackUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
  }

  // 1. Unauthenticated: the SDK follows the challenge, discovers, identifies itself and asks to redirect.
  const transport = new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
    authProvider: provider,
    fetch: recordingFetch(log),
  });
  const first = new Client({ name: 'claude-like', version: '1.0.0' });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(log[0]).toMatchObject({ url: t.mcpUrl, status: 401 });
  expect(
    log.some(
      (e) => e.url === `${app.url}/.well-known/oauth-protected-resource/t/${t.slug}/mcp` && e.status === 200,
    ),
  ).toBe(true);
  expect(
    log.some((e) => e.url === `${app.url}/.well-known/oauth-authorization-server/oauth` && e.status === 200),
  ).toBe(true);
  if (kind === 'dcr') {
    expect(log.some((e) => e.url === `${app.url}/oauth/reg` && e.status === 201)).toBe(true);
    expect(provider.clientInformation()?.client_id).toMatch(/^dcr_/);
  } else {
    expect(log.some((e) => e.url.endsWith('/oauth/reg'))).toBe(false);
  }
  const authorizationUrl = provider.authorizationUrl!;
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorizationUrl.searchParams.get('resource')).toBe(t.mcpUrl);
  if (kind === 'cimd') expect(authorizationUrl.searchParams.get('client_id')).toBe(clientId);

  // 2. A person signs in and approves in a real browser; the code comes back with iss (RFC 9207).
  const callback = await signInAndApprove(browser, app.fixture, authorizationUrl, t.member);
  expect(callback.get('iss')).toBe(`${app.url}/oauth`);
  expect(callback.get('code')).toBeTruthy();
  await transport.finishAuth(callback);
  const tokens = provider.tokens()!;
  expect(tokens.token_type).toMatch(/^bearer$/i);
  expect(tokens.refresh_token).toBeTruthy();
  const claims = JSON.parse(
    Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
  ) as Record<string, unknown>;
  expect(claims).toMatchObject({
    aud: t.mcpUrl,
    iss: `${app.url}/oauth`,
    client_id: provider.clientInformation()?.client_id ?? clientId,
  });
  expect((claims.exp as number) - (claims.iat as number)).toBe(app.config.oauth.accessTokenTtlSeconds);

  // 3. Tools in both eras: a member sees read and write tools, not the admin one.
  for (const era of ['legacy', 'modern'] as const) {
    const client = await connect(t.mcpUrl, provider, era, log);
    try {
      if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual(['read_notes', 'write_note']);
      const result = await client.callTool({ name: 'write_note', arguments: {} });
      expect(textOf(result)).toMatch(/^write_note by oauth_client:/);
    } finally {
      await client.close();
    }
  }

  // 4. Refresh: a new access token and a rotated refresh token.
  expect(await auth(provider, { serverUrl: t.mcpUrl, fetchFn: recordingFetch(log) })).toBe('AUTHORIZED');
  const refreshed = provider.tokens()!;
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(refreshed.refresh_token).toBeTruthy();
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

  // 5. Revoke (RFC 7009) the refresh token: the grant goes, and with it the access token.
  const clientIdUsed = provider.clientInformation()?.client_id ?? clientId;
  const revoked = await recordingFetch(log)(`${app.url}/oauth/token/revocation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      token: refreshed.refresh_token!,
      token_type_hint: 'refresh_token',
      client_id: clientIdUsed,
    }),
  });
  expect(revoked.status).toBe(200);

  // 6. Refused: the access token at the endpoint, and the refresh token at the token endpoint.
  const refused = await fetch(t.mcpUrl, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${refreshed.access_token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
  expect(refused.headers.get('www-authenticate')).toContain(
    `resource_metadata="${app.url}/.well-known/oauth-protected-resource/t/${t.slug}/mcp"`,
  );
  const refresh = await fetch(`${app.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refresh_token!,
      client_id: clientIdUsed,
    }),
  });
  expect(refresh.status).toBe(400);
  expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  return log;
}

describe('connecting like Claude', () => {
  it('with a Client ID Metadata Document', async () => {
    const log = await playConnection('cimd');
    process.stdout.write(
      `CIMD connection: ${log.length} client round trips\n${log.map((e) => `  ${e.method} ${e.url} ${e.status}`).join('\n')}\n`,
    );
  });

  it('with Dynamic Client Registration', async () => {
    const log = await playConnection('dcr');
    process.stdout.write(
      `DCR connection: ${log.length} client round trips\n${log.map((e) => `  ${e.method} ${e.url} ${e.status}`).join('\n')}\n`,
    );
  });
});
