/**
 * No token, code or password in any log line: a whole flow with a unique password at the most verbose
 * log level, every byte the process writes to stdout and stderr captured and searched.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import {
  authorizeOverHttp,
  createOAuthTenant,
  mcpSession,
  pkcePair,
  registerClient,
  startOAuthTestApp,
  tokenRequest,
  type OAuthTestApp,
} from './support.js';

jest.setTimeout(60_000);

let app: OAuthTestApp;
const captured: string[] = [];
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (originalStdout as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (originalStderr as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  app = await startOAuthTestApp({ LOG_LEVEL: 'trace' });
  // Every pino logger of the app is a child of the root logger and inherits its destination: tee it.
  const root = PinoLogger.root as unknown as Record<symbol, { write(chunk: unknown): boolean }>;
  const destination = root[pino.symbols.streamSym]!;
  root[pino.symbols.streamSym] = {
    write: (chunk: unknown) => {
      captured.push(String(chunk));
      return destination.write(chunk);
    },
  };
});

afterAll(async () => {
  await app?.close();
  process.stdout.write = originalStdout as typeof process.stdout.write;
  process.stderr.write = originalStderr as typeof process.stderr.write;
});

it('logs no password, code, access token or refresh token', async () => {
  const t = await createOAuthTenant(app, 'member');
  const canaryPassword = `canary-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await app.accounts.setPassword(t.member.email, canaryPassword);
  const member = { email: t.member.email, password: canaryPassword };
  const callback = app.fixture.callbackUrl;

  // A failed sign-in first (the password appears in a failure path too), then the real flow.
  const clientId = await registerClient(app, [callback]);
  const { verifier, challenge } = pkcePair();
  const query = {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: callback,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: t.mcpUrl,
    state: 'canary-state',
  };
  await authorizeOverHttp(app, query, { email: member.email, password: `${canaryPassword}-wrong` });
  const outcome = await authorizeOverHttp(app, query, member);
  const code = outcome.redirect!.searchParams.get('code')!;
  const issued = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: callback,
    client_id: clientId,
  });
  expect(issued.status).toBe(200);
  // A replay logs a refusal: with the code in it, if anything were careless.
  await tokenRequest(app, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: callback,
    client_id: clientId,
  });
  const fresh = await obtainFresh();
  const session = await mcpSession(t.mcpUrl, fresh.access);
  expect(session.response.status).toBe(200);
  await (await session.send({ method: 'tools/call', params: { name: 'read_notes', arguments: {} } })).text();
  await (await session.send({ method: 'tools/call', params: { name: 'purge_notes', arguments: {} } })).text();
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: fresh.refresh,
    client_id: clientId,
  });
  await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: fresh.refresh, client_id: clientId });
  await fetch(`${app.url}/oauth/token/revocation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: String(refreshed.body.refresh_token), client_id: clientId }),
  });
  await new Promise((r) => setTimeout(r, 200));

  const log = captured.join('');
  // The capture works and saw the flow: request lines of the sign-in pages and the MCP endpoint.
  expect(log).toContain('"path":"/interaction/');
  expect(log).toContain(`"path":"/t/${t.slug}/mcp"`);
  const secrets = {
    password: canaryPassword,
    code,
    verifier,
    access: String(issued.body.access_token),
    refresh: String(issued.body.refresh_token),
    freshAccess: fresh.access,
    freshRefresh: fresh.refresh,
    refreshedAccess: String(refreshed.body.access_token),
    refreshedRefresh: String(refreshed.body.refresh_token),
  };
  for (const [name, value] of Object.entries(secrets)) {
    expect({ name, found: log.includes(value) }).toEqual({ name, found: false });
    // JWTs: not even their signature part.
    const sig = value.split('.')[2];
    if (sig) expect({ name, signatureFound: log.includes(sig) }).toEqual({ name, signatureFound: false });
  }

  async function obtainFresh(): Promise<{ access: string; refresh: string }> {
    const pair = pkcePair();
    const again = await authorizeOverHttp(app, { ...query, code_challenge: pair.challenge }, member);
    const c = again.redirect!.searchParams.get('code')!;
    const r = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: c,
      code_verifier: pair.verifier,
      redirect_uri: callback,
      client_id: clientId,
    });
    return { access: String(r.body.access_token), refresh: String(r.body.refresh_token) };
  }
});
