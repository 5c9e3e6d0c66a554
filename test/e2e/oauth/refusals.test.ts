/**
 * Every refusal the authorization server and the MCP gate owe, each with its precise answer.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateKeyPair, SignJWT, type JWK, importJWK } from 'jose';
import { OAuthSweeperService } from '../../../src/oauth/oauth-sweeper.service.js';
import { SigningKeysService } from '../../../src/oauth/signing-keys.service.js';
import {
  addMember,
  authorizeOverHttp,
  CIMD_ORIGIN,
  createOAuthTenant,
  mcpSession,
  probe,
  obtainTokens,
  pkcePair,
  registerClient,
  startOAuthTestApp,
  TEST_PACK,
  tokenRequest,
  type OAuthTestApp,
} from './support.js';

jest.setTimeout(60_000);

let app: OAuthTestApp;
let callback: string;

beforeAll(async () => {
  app = await startOAuthTestApp();
  callback = app.fixture.callbackUrl;
});

afterAll(async () => {
  await app?.close();
});

async function bodyOf(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const line = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('"id"'));
    if (!line) throw new Error(`no response in stream (${res.status}): ${text.slice(0, 300)}`);
    return JSON.parse(line.slice(6)) as Record<string, unknown>;
  }
  if (!text) throw new Error(`empty body (${res.status})`);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('tokens are bound to one endpoint', () => {
  it('is refused at another endpoint of the tenant and at another tenant', async () => {
    const a = await createOAuthTenant(app);
    await app.tenancy.createEndpoint(a.slug, { slug: 'other' });
    const b = await createOAuthTenant(app);
    const { accessToken } = await obtainTokens(app, a.mcpUrl, a.member, callback);
    expect((await probe(a.mcpUrl, accessToken)).status).toBe(200);
    for (const url of [`${app.url}/t/${a.slug}/e/other/mcp`, b.mcpUrl]) {
      const res = await probe(url, accessToken);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('refuses a request without resource, and a resource that is not an endpoint', async () => {
    const t = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { challenge } = pkcePair();
    const base = {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'x',
    };
    const none = await authorizeOverHttp(app, base, t.member);
    expect(none.redirect?.searchParams.get('error')).toBe('invalid_target');
    const bogus = await authorizeOverHttp(
      app,
      { ...base, resource: `${app.url}/t/${t.slug}/e/nope/mcp` },
      t.member,
    );
    expect(bogus.redirect?.searchParams.get('error')).toBe('invalid_target');
  });
});

describe('forged and stale JWTs', () => {
  it('refuses expired, tampered and wrong-issuer tokens, and one signed by a stranger', async () => {
    const t = await createOAuthTenant(app);
    const { accessToken } = await obtainTokens(app, t.mcpUrl, t.member, callback);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const { privateJwks } = await app.running.app.get(SigningKeysService).load();
    const ours = privateJwks[0] as JWK;
    const key = await importJWK(ours, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const mint = (
      over: Record<string, unknown>,
      signWith: CryptoKey | Uint8Array = key as CryptoKey,
      kid = ours.kid!,
    ) =>
      new SignJWT({ ...claims, ...over })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .sign(signWith);

    // Control: a token minted the same way with valid claims is accepted, so each refusal below is precise.
    expect((await probe(t.mcpUrl, await mint({ iat: now, exp: now + 300 }))).status).toBe(200);

    const expired = await mint({ iat: now - 3600, exp: now - 60 });
    const wrongIssuer = await mint({ iss: 'https://evil.example/oauth', exp: now + 300 });
    const [head, payload, sig] = accessToken.split('.') as [string, string, string];
    const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, scope: 'mcp mcp:admin' })).toString(
      'base64url',
    );
    const tampered = `${head}.${tamperedPayload}.${sig}`;
    const stranger = await generateKeyPair('RS256');
    const foreign = await mint({ exp: now + 300 }, stranger.privateKey);
    const idTokenShaped = await new SignJWT({ ...claims, exp: now + 300 })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: ours.kid! })
      .sign(key as CryptoKey);
    for (const token of [expired, wrongIssuer, tampered, foreign, idTokenShaped, `${payload}`]) {
      const res = await probe(t.mcpUrl, token);
      expect(res.status).toBe(401);
    }
  });
});

describe('the authorization request', () => {
  async function attempt(over: Record<string, string | undefined>) {
    const t = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { challenge } = pkcePair();
    const query: Record<string, string> = {};
    const all = {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: t.mcpUrl,
      state: 'st',
      ...over,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) query[k] = v;
    return authorizeOverHttp(app, query, t.member);
  }

  it('requires PKCE, and S256 only', async () => {
    const missing = await attempt({ code_challenge: undefined, code_challenge_method: undefined });
    expect(missing.redirect?.searchParams.get('error')).toBe('invalid_request');
    expect(missing.redirect?.searchParams.get('error_description')).toMatch(/PKCE/);
    const plain = await attempt({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(plain.redirect?.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI that was not registered, without redirecting to it', async () => {
    const res = await attempt({ redirect_uri: 'https://attacker.example/cb' });
    expect(res.redirect).toBeNull();
    expect(res.status).toBe(400);
    expect(res.body).toContain('redirect_uri');
  });

  it('accepts the registered loopback callback on another port (RFC 8252), nothing else on loopback', async () => {
    const other = new URL(callback);
    other.port = String(Number(other.port) === 65000 ? 65001 : 65000);
    const ok = await attempt({ redirect_uri: other.href });
    expect(ok.redirect?.searchParams.get('code')).toBeTruthy();
    const otherPath = await attempt({ redirect_uri: `${new URL(callback).origin}/elsewhere` });
    expect(otherPath.redirect).toBeNull();
  });

  it('answers access_denied when the user denies consent', async () => {
    const t = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { challenge } = pkcePair();
    const res = await authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        state: 'd',
      },
      t.member,
      'deny',
    );
    expect(res.redirect?.searchParams.get('error')).toBe('access_denied');
    expect(res.redirect?.searchParams.get('iss')).toBe(`${app.url}/oauth`);
    expect(res.redirect?.searchParams.get('state')).toBe('d');
  });

  it('does not issue a code to someone who is not a member of the tenant', async () => {
    const t = await createOAuthTenant(app);
    const elsewhere = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { challenge } = pkcePair();
    const res = await authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        state: 'm',
      },
      elsewhere.member,
    );
    expect(res.redirect).toBeNull();
    expect(res.status).toBe(403);
    expect(res.body).toContain('is not a member of');
  });
});

describe('codes and refresh tokens', () => {
  it('refuses a replayed code and revokes what it issued', async () => {
    const t = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { verifier, challenge } = pkcePair();
    const outcome = await authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        state: 'r',
      },
      t.member,
    );
    const code = outcome.redirect!.searchParams.get('code')!;
    const params = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: callback,
      client_id: clientId,
      resource: t.mcpUrl,
    };
    const first = await tokenRequest(app, params);
    expect(first.status).toBe(200);
    const replay = await tokenRequest(app, params);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
      client_id: clientId,
    });
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await probe(t.mcpUrl, first.body.access_token as string)).status).toBe(401);
  });

  it('refuses a wrong code verifier', async () => {
    const t = await createOAuthTenant(app);
    const clientId = await registerClient(app, [callback]);
    const { challenge } = pkcePair();
    const outcome = await authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        state: 'v',
      },
      t.member,
    );
    const res = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: outcome.redirect!.searchParams.get('code')!,
      code_verifier: pkcePair().verifier,
      redirect_uri: callback,
      client_id: clientId,
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('treats reuse of a rotated refresh token as theft: the whole grant is revoked', async () => {
    const t = await createOAuthTenant(app);
    const first = await obtainTokens(app, t.mcpUrl, t.member, callback);
    const rotated = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken,
      client_id: first.clientId,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(first.refreshToken);
    const reuse = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken,
      client_id: first.clientId,
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const afterTheft = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: rotated.body.refresh_token as string,
      client_id: first.clientId,
    });
    expect(afterTheft.body.error).toBe('invalid_grant');
    expect((await probe(t.mcpUrl, rotated.body.access_token as string)).status).toBe(401);
  });

  it('answers invalid_client with 401 for a client that no longer exists', async () => {
    const t = await createOAuthTenant(app);
    const tokens = await obtainTokens(app, t.mcpUrl, t.member, callback);
    // Unused registrations expire; the sweeper run far in the future deletes this one.
    const future = new Date(Date.now() + (app.config.oauth.dcrClientTtlDays + 1) * 86_400_000);
    const counts = await app.running.app.get(OAuthSweeperService).sweep(future);
    expect(counts.Client).toBeGreaterThanOrEqual(1);
    const res = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: tokens.clientId,
    });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});

describe('roles, rules and scopes on the MCP endpoint', () => {
  async function tools(url: string, token: string): Promise<string[]> {
    const res = await (await mcpSession(url, token)).send({ method: 'tools/list', params: {} });
    const body = await bodyOf(res);
    return ((body.result as { tools: { name: string }[] }).tools ?? []).map((t) => t.name).sort();
  }

  it('shows a viewer only read-only tools', async () => {
    const t = await createOAuthTenant(app, 'viewer');
    const { accessToken } = await obtainTokens(app, t.mcpUrl, t.member, callback);
    expect(await tools(t.mcpUrl, accessToken)).toEqual(['read_notes']);
  });

  it('refuses a member calling an admin-only tool with a precise JSON-RPC error', async () => {
    const t = await createOAuthTenant(app, 'member');
    const { accessToken } = await obtainTokens(app, t.mcpUrl, t.member, callback);
    expect(await tools(t.mcpUrl, accessToken)).toEqual(['read_notes', 'write_note']);
    const res = await (
      await mcpSession(t.mcpUrl, accessToken)
    ).send({ method: 'tools/call', params: { name: 'purge_notes', arguments: {} } });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.error).toMatchObject({ code: -32003 });
    expect((body.error as { message: string }).message).toMatch(/purge_notes needs the admin permission/);
  });

  it('answers 403 insufficient_scope when only the token scope is missing', async () => {
    const t = await createOAuthTenant(app, 'admin');
    const clientId = await registerClient(app, [callback]);
    const { verifier, challenge } = pkcePair();
    const outcome = await authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        scope: 'mcp:read',
        state: 's',
      },
      t.member,
    );
    const token = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: outcome.redirect!.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: callback,
      client_id: clientId,
    });
    expect(token.body.scope).toBe('mcp:read');
    const accessToken = token.body.access_token as string;
    // Scopes narrow the admin's role: only the read tool is listed.
    expect(await tools(t.mcpUrl, accessToken)).toEqual(['read_notes']);
    const res = await (
      await mcpSession(t.mcpUrl, accessToken)
    ).send({ method: 'tools/call', params: { name: 'write_note', arguments: {} } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_scope", scope="mcp:write", resource_metadata="/,
    );
  });

  it('applies per-tool and per-endpoint rules on top of roles', async () => {
    const t = await createOAuthTenant(app, 'member');
    const tenant = await app.tenancy.getTenant(t.slug);
    const endpoint = (await app.tenancy.listEndpoints(t.slug)).find((e) => e.isDefault)!;
    const rbac = app.running.app.get((await import('../../../src/rbac/rbac.service.js')).RbacService);
    await rbac.addRule(
      { tenantId: tenant.id },
      {
        endpointId: endpoint.id,
        toolName: 'write_note',
        subjectUserId: null,
        subjectRole: 'member',
        effect: 'deny',
      },
    );
    await rbac.addRule(
      { tenantId: tenant.id },
      {
        endpointId: endpoint.id,
        toolName: 'purge_notes',
        subjectUserId: null,
        subjectRole: 'member',
        effect: 'allow',
      },
    );
    const { accessToken } = await obtainTokens(app, t.mcpUrl, t.member, callback);
    expect(await tools(t.mcpUrl, accessToken)).toEqual(['purge_notes', 'read_notes']);
    const viewer = await addMember(app, t.slug, 'viewer');
    const viewerTokens = await obtainTokens(app, t.mcpUrl, viewer, callback);
    await rbac.addRule(
      { tenantId: tenant.id },
      { endpointId: endpoint.id, toolName: null, subjectUserId: null, subjectRole: 'viewer', effect: 'deny' },
    );
    const res = await probe(t.mcpUrl, viewerTokens.accessToken);
    expect(res.status).toBe(403);
    expect(TEST_PACK).toBe('oauth-e2e');
  });
});

describe('Client ID Metadata Documents', () => {
  async function withClientId(clientId: string) {
    const t = await createOAuthTenant(app);
    const { challenge } = pkcePair();
    return authorizeOverHttp(
      app,
      {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: t.mcpUrl,
        state: 'c',
      },
      t.member,
    );
  }
  const doc = (clientId: string, extra: Record<string, unknown> = {}) => ({
    client_id: clientId,
    client_name: 'cimd',
    redirect_uris: [callback],
    token_endpoint_auth_method: 'none',
    ...extra,
  });

  it('refuses documents on private, loopback and metadata addresses', async () => {
    for (const id of [
      'https://127.0.0.1/client.json',
      'https://localhost/client.json',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/c.json',
      'https://[::1]/c.json',
    ]) {
      const res = await withClientId(id);
      expect(res.redirect).toBeNull();
      expect(res.status).toBe(400);
    }
  });

  it('refuses a document that is too large, too slow, or names another client_id', async () => {
    const big = `${CIMD_ORIGIN}/big.json`;
    app.fixture.serve('/big.json', doc(big, { padding: 'x'.repeat(8 * 1024) }));
    const slow = `${CIMD_ORIGIN}/slow.json`;
    app.fixture.serve('/slow.json', doc(slow), { delayMs: 4_000 });
    const mismatched = `${CIMD_ORIGIN}/mismatch.json`;
    app.fixture.serve('/mismatch.json', doc(`${CIMD_ORIGIN}/someone-else.json`));
    for (const id of [big, slow, mismatched]) {
      const res = await withClientId(id);
      expect(res.redirect).toBeNull();
      expect(res.status).toBe(400);
    }
    // Control: the same document served right is accepted.
    const good = `${CIMD_ORIGIN}/good.json`;
    app.fixture.serve('/good.json', doc(good));
    expect((await withClientId(good)).redirect?.searchParams.get('code')).toBeTruthy();
  });
});
