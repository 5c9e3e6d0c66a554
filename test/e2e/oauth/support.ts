/**
 * What the OAuth end-to-end tests share: a server whose PUBLIC_URL is its real loopback address (issuer,
 * resource URLs and metadata must name the URL clients use), a test pack with read, write and admin tools,
 * members with passwords, an MCP OAuth client provider for the official SDK, a loopback callback and
 * CIMD document server, and a real Chromium driven by playwright-core.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  OAuthClientProvider,
  OAuthDiscoveryState,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/client';
import { PackRegistry, textResult, type ToolPack } from '@switchboard/integration-kit';
import { chromium, type Browser } from 'playwright-core';
import { z } from 'zod';
import { UserAccountsService } from '../../../src/auth/user-accounts.service.js';
import { startApp, type RunningApp } from '../../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../../src/config/index.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { createTestDatabase } from '../../support/database.js';
import { e2eDatabaseKind, uniqueSlug } from '../../support/app.js';

export const CIMD_ORIGIN = 'https://cimd.switchboard.test';
export const TEST_PACK = 'oauth-e2e';

export interface OAuthTestApp {
  readonly running: RunningApp;
  readonly url: string;
  readonly config: AppConfig;
  readonly tenancy: TenancyService;
  readonly accounts: UserAccountsService;
  /** The loopback server for OAuth callbacks and CIMD documents. */
  readonly fixture: FixtureServer;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface OAuthTestAppOptions {
  /** Test-only: let tenants' identity providers live on loopback (never settable from the environment). */
  readonly idpLoopback?: boolean;
  /** The test pack to register (default: one tool per permission level). */
  readonly pack?: ToolPack;
}

/** Starts the platform on its own database, with CIMD documents of CIMD_ORIGIN served by the fixture. */
export async function startOAuthTestApp(
  env: Record<string, string> = {},
  options: OAuthTestAppOptions = {},
): Promise<OAuthTestApp> {
  const fixture = await startFixtureServer();
  const db = await createTestDatabase(e2eDatabaseKind());
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-oauth-e2e-'));
  const port = await freePort();
  const base = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
    SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
    SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const config: AppConfig = {
    ...base,
    database: db.config,
    oauth: {
      ...base.oauth,
      testCimdOrigins: { [CIMD_ORIGIN]: fixture.url },
      ...(options.idpLoopback ? { testIdpLoopback: true } : {}),
    },
  };
  const running = await startApp(config, { seed: false });
  const registry = running.app.get(PackRegistry);
  const pack = options.pack ?? testPack();
  if (!registry.get(pack.id)) registry.register(pack);
  return {
    running,
    url: `http://localhost:${port}`,
    config,
    tenancy: running.app.get(TenancyService),
    accounts: running.app.get(UserAccountsService),
    fixture,
    async close() {
      await running.close();
      await fixture.close();
      await db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pack with one tool per permission level, to see roles and scopes at work. */
function testPack(): ToolPack {
  const tool = (name: string, permission: 'read' | 'write' | 'admin', readOnly: boolean) => ({
    name,
    title: name,
    description: `The ${permission} tool.`,
    inputSchema: z.object({}),
    annotations: { readOnlyHint: readOnly },
    permission,
    handler: async (
      _args: Record<string, unknown>,
      ctx: { principal: { kind: string; userId: string | null } },
    ) => textResult(`${name} by ${ctx.principal.kind}:${ctx.principal.userId}`),
  });
  return {
    id: TEST_PACK,
    title: 'OAuth e2e',
    description: 'Tools at every permission level.',
    version: '1',
    configSchema: z.object({}),
    secrets: [],
    exposeByDefault: false,
    surface: async () => ({
      tools: [
        tool('read_notes', 'read', true),
        tool('write_note', 'write', false),
        tool('purge_notes', 'admin', false),
      ],
    }),
  };
}

export interface Member {
  readonly email: string;
  readonly password: string;
}

/** A tenant with the test pack on its default endpoint, and a member of `role` with a password. */
export async function createOAuthTenant(
  app: OAuthTestApp,
  role: 'owner' | 'admin' | 'member' | 'viewer' = 'member',
): Promise<{ slug: string; mcpUrl: string; member: Member }> {
  const slug = uniqueSlug('o');
  await app.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  await app.tenancy.enablePack(slug, TEST_PACK, { endpointSlug: 'default' });
  const member = await addMember(app, slug, role);
  return { slug, mcpUrl: `${app.url}/t/${slug}/mcp`, member };
}

export async function addMember(
  app: OAuthTestApp,
  slug: string,
  role: 'owner' | 'admin' | 'member' | 'viewer',
): Promise<Member> {
  const email = `${role}-${randomBytes(3).toString('hex')}@${slug}.example`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  await app.tenancy.addMember(slug, email, role);
  await app.accounts.setPassword(email, password);
  return { email, password };
}

// --- loopback fixture: OAuth callbacks and CIMD documents ----------------------------------------------

export interface FixtureServer {
  readonly url: string;
  readonly callbackUrl: string;
  /** Serves `body` at `path` (JSON unless a string is given), optionally after a delay. */
  serve(path: string, body: unknown, opts?: { delayMs?: number }): void;
  /** Resolves with the query of the next request to /callback. */
  nextCallback(): Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const documents = new Map<string, { body: string; delayMs: number }>();
  let waiting: ((q: URLSearchParams) => void) | null = null;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>done</title><p>You can close this window.</p>');
      waiting?.(url.searchParams);
      waiting = null;
      return;
    }
    const doc = documents.get(url.pathname);
    if (!doc) {
      res.writeHead(404).end();
      return;
    }
    const timer = setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=60' }).end(doc.body);
    }, doc.delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    callbackUrl: `${url}/callback`,
    serve(path, body, opts = {}) {
      documents.set(path, {
        body: typeof body === 'string' ? body : JSON.stringify(body),
        delayMs: opts.delayMs ?? 0,
      });
    },
    nextCallback() {
      return new Promise((resolve) => (waiting = resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

// --- the MCP client's side -------------------------------------------------------------------------------

/** An in-memory OAuthClientProvider, as a host like Claude keeps one per connector. */
export class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | null = null;
  private client: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';

  constructor(
    private readonly callbackUrl: string,
    readonly clientMetadataUrl?: string,
  ) {}

  get redirectUrl(): string {
    return this.callbackUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'E2E MCP client',
      client_uri: 'https://client.example/',
      redirect_uris: [this.callbackUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  private discovery: OAuthDiscoveryState | undefined;

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
}

/** Every HTTP exchange a client makes, for counting round trips. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export function recordingFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    log.push({
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      url,
      status: res.status,
    });
    return res;
  };
}

// --- the browser ----------------------------------------------------------------------------------------

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A person signing in and approving on the real pages; returns the callback's query. */
export async function signInAndApprove(
  browser: Browser,
  fixture: FixtureServer,
  authorizationUrl: URL,
  member: Member,
  decision: 'allow' | 'deny' = 'allow',
): Promise<URLSearchParams> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const callback = fixture.nextCallback();
    await page.goto(authorizationUrl.href);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const button = page.getByRole('button', { name: decision === 'allow' ? 'Allow' : 'Deny' });
    await button.waitFor({ timeout: 10_000 }).catch(async () => {
      const text = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(0, 500);
      throw new Error(`consent page not reached; at ${page.url()}: ${text}`);
    });
    await button.click();
    return await callback;
  } finally {
    await context.close();
  }
}

// --- the authorization flow over plain HTTP (for negative tests; the browser test covers the pages) -----

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** A tiny cookie jar: enough for the provider's interaction and session cookies on one origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface AuthorizeOutcome {
  /** Where the server finally sent the browser outside itself (the client's redirect URI), if anywhere. */
  readonly redirect: URL | null;
  readonly status: number;
  readonly body: string;
}

/**
 * Plays the browser: follows the authorization request through sign-in and consent (allow or deny) and
 * stops at the first redirect that leaves the server, or at a page that is not a form step.
 */
export async function authorizeOverHttp(
  app: OAuthTestApp,
  query: Record<string, string>,
  member: Member,
  decision: 'allow' | 'deny' = 'allow',
): Promise<AuthorizeOutcome> {
  const jar = new CookieJar();
  const origin = new URL(app.url).origin;
  let next: { url: string; init?: RequestInit } | null = {
    url: `${app.url}/oauth/auth?${new URLSearchParams(query)}`,
  };
  for (let step = 0; step < 20 && next; step++) {
    const res: Response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init?.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(res);
    const location: string | null = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const target: URL = new URL(location, next.url);
      if (target.origin !== origin) return { redirect: target, status: res.status, body: '' };
      next = { url: target.href };
      continue;
    }
    const body: string = await res.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
    const uid: string | undefined = /action="\/interaction\/([^/]+)\//.exec(body)?.[1];
    if (!csrf || !uid || res.status !== 200) return { redirect: null, status: res.status, body };
    const form = (path: string, fields: Record<string, string>): { url: string; init: RequestInit } => ({
      url: `${app.url}/interaction/${uid}/${path}`,
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
        body: new URLSearchParams({ csrf, ...fields }).toString(),
      },
    });
    if (body.includes('name="password"'))
      next = form('login', { email: member.email, password: member.password });
    else next = form(decision === 'allow' ? 'confirm' : 'abort', {});
  }
  throw new Error('authorization did not finish');
}

/** Registers a public client by DCR. */
export async function registerClient(app: OAuthTestApp, redirectUris: string[]): Promise<string> {
  const res = await fetch(`${app.url}/oauth/reg`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: 'negative-tests',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { client_id: string }).client_id;
}

export async function tokenRequest(
  app: OAuthTestApp,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Registration, sign-in, consent and code exchange: a fresh token set for `resource`. */
export async function obtainTokens(
  app: OAuthTestApp,
  resource: string,
  member: Member,
  callbackUrl: string,
): Promise<{ clientId: string; accessToken: string; refreshToken: string }> {
  const clientId = await registerClient(app, [callbackUrl]);
  const { verifier, challenge } = pkcePair();
  const outcome = await authorizeOverHttp(
    app,
    {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callbackUrl,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource,
      scope: 'mcp',
      state: 's1',
    },
    member,
  );
  const code = outcome.redirect?.searchParams.get('code');
  if (!code)
    throw new Error(`no code: ${outcome.status} ${outcome.redirect?.href ?? outcome.body.slice(0, 300)}`);
  const token = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: callbackUrl,
    client_id: clientId,
    resource,
  });
  if (token.status !== 200) throw new Error(`token failed: ${JSON.stringify(token.body)}`);
  return {
    clientId,
    accessToken: token.body.access_token as string,
    refreshToken: token.body.refresh_token as string,
  };
}

/** One JSON-RPC POST to an MCP URL with a bearer credential (2025-11-25 framing). */
export async function mcpPost(
  url: string,
  credential: string,
  message: Record<string, unknown>,
  sessionId?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${credential}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
      ...(sessionId ? { 'Mcp-Session-Id': sessionId } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });
}

/** Opens a 2025-era session; `response` is the initialize answer (401/403 when refused). */
export async function mcpSession(
  url: string,
  credential: string,
): Promise<{ response: Response; send(message: Record<string, unknown>): Promise<Response> }> {
  const response = await mcpPost(url, credential, {
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'refusals', version: '1' },
    },
  });
  const sessionId = response.headers.get('mcp-session-id') ?? undefined;
  if (response.ok && sessionId) {
    await response.text();
    await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${credential}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
        'Mcp-Session-Id': sessionId,
      },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
  }
  return { response, send: (message) => mcpPost(url, credential, message, sessionId) };
}

/** The HTTP status of opening a session with this credential. */
export async function probe(url: string, credential: string): Promise<Response> {
  return (await mcpSession(url, credential)).response;
}
