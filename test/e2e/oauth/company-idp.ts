/**
 * A company's OpenID Connect identity provider on loopback (a second oidc-provider: one confidential
 * client, static accounts, a username-only sign-in page, no consent), and a cookie-keeping HTTP client
 * that walks browser flows without a browser. Shared by the upstream sign-in tests of OAuth and of the
 * admin API.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { freePort } from './support.js';

export interface CompanyIdp {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds an account signing in with `login`, whose claims are `claims`. */
  addAccount(login: string, claims: { email: string; email_verified?: boolean }): void;
  close(): Promise<void>;
}

export async function startCompanyIdp(redirectUri: string): Promise<CompanyIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'switchboard';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, { email: string; email_verified?: boolean }>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'company-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
    // The company's own app: no consent screen at the IdP.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified']);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handler = provider.callback();
  const server: Server = createServer((req, res) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!m) return void handler(req, res);
    void companyInteraction(provider, accounts, req, res, m[2] !== undefined);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (login, claims) => void accounts.set(login, claims),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The IdP's own sign-in page: a username is enough here. */
async function companyInteraction(
  provider: Provider,
  accounts: Map<string, unknown>,
  req: IncomingMessage,
  res: ServerResponse,
  submit: boolean,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (!submit) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>Company</title>
        <form method="post" action="/interaction/${details.uid}/login">
          <label for="login">Company username</label><input id="login" name="login">
          <button type="submit">Sign in to Company</button></form>`);
      return;
    }
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const login = new URLSearchParams(body).get('login') ?? '';
    if (login === 'cancel') {
      const result = { error: 'access_denied', error_description: '<b>the person cancelled</b>' };
      return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    if (!accounts.has(login)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unknown user');
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  } catch (e) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(e));
  }
}

/** Follows cookies per host, never redirects by itself. */
export class HttpBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.host) ?? new Map<string, string>();
    this.jars.set(target.host, jar);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  form(url: string, fields: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(url).origin },
      body: new URLSearchParams(fields).toString(),
    });
  }
}
