import { createHash } from 'node:crypto';

import type { GuardedHttpClient } from '@switchboard/http-client';
import { HttpClientError } from '@switchboard/http-client';
import type { SecretsAccessor } from '@switchboard/integration-kit';

import {
  API_KEY_SECRET,
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  PASSWORD_SECRET,
  TOKEN_SECRET,
  USERNAME_SECRET,
  type OpenApiAuth,
} from './openapi.config.js';
import { OpenApiError } from './openapi.errors.js';

type OAuth2Auth = Extract<OpenApiAuth, { kind: 'oauth2ClientCredentials' }>;

/** A token is dropped this long before the server says it expires, so it never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the token endpoint does not say (`expires_in` is only RECOMMENDED in RFC 6749 §5.1). */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
const MAX_CACHED_TOKENS = 1_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

async function secret(secrets: SecretsAccessor, name: string, kind: string): Promise<string> {
  if (!(await secrets.has(name))) {
    throw new OpenApiError(`The connection uses ${kind} authentication but has no "${name}" secret.`);
  }
  return secrets.get(name);
}

/**
 * OAuth 2.0 client-credentials tokens (RFC 6749 §4.4), cached per connection and credential until shortly
 * before they expire; concurrent calls share one token request. Keys are digests, so the cache never holds
 * a client secret. Token requests go through the guarded client like every other request.
 */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly http: GuardedHttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  async token(
    connectionKey: string,
    auth: OAuth2Auth,
    secrets: SecretsAccessor,
    signal?: AbortSignal,
  ): Promise<string> {
    const clientId = await secret(secrets, CLIENT_ID_SECRET, 'OAuth client-credentials');
    const clientSecret = await secret(secrets, CLIENT_SECRET_SECRET, 'OAuth client-credentials');
    const key = createHash('sha256')
      .update(
        JSON.stringify([connectionKey, auth.tokenUrl, auth.scopes, auth.audience ?? null, auth.clientAuth]),
      )
      .update('\0')
      .update(clientId)
      .update('\0')
      .update(clientSecret)
      .digest('hex');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    let request = this.pending.get(key);
    if (!request) {
      // Shared by concurrent calls, so one caller's cancellation must not fail the others: the token
      // request runs on the client's own deadline, and each caller stops waiting on its own signal.
      request = this.fetchToken(auth, clientId, clientSecret).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    const fresh = await abortable(request, signal);
    if (this.tokens.size >= MAX_CACHED_TOKENS) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    this.tokens.set(key, fresh);
    return fresh.token;
  }

  /** Forgets a token the API refused (revoked or rotated before its stated expiry). */
  invalidate(token: string): void {
    for (const [key, value] of this.tokens) if (value.token === token) this.tokens.delete(key);
  }

  private async fetchToken(auth: OAuth2Auth, clientId: string, clientSecret: string): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scopes.length > 0) form.set('scope', auth.scopes.join(' '));
    if (auth.audience !== undefined) form.set('audience', auth.audience);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (auth.clientAuth === 'basic') {
      // RFC 6749 §2.3.1: the id and secret are form-encoded before being joined.
      const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    let response;
    try {
      response = await this.http.request(auth.tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        // Credentials are posted: a redirect is not followed anywhere.
        maxRedirects: 0,
        maxResponseBytes: 64 * 1024,
        onOversize: 'error',
      });
    } catch (error) {
      if (error instanceof HttpClientError) {
        throw new OpenApiError(`Could not get an OAuth access token: ${error.message}`);
      }
      throw error;
    }
    let payload: unknown = null;
    try {
      payload = response.json();
    } catch {
      // handled below
    }
    const data = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    if (response.status < 200 || response.status >= 300 || typeof data.access_token !== 'string') {
      // The error code and description are the server's words about the request, never the secret.
      const reason =
        typeof data.error === 'string'
          ? `${data.error.slice(0, 100)}${typeof data.error_description === 'string' ? `: ${data.error_description.slice(0, 200)}` : ''}`
          : 'no access_token in the response';
      throw new OpenApiError(
        `The OAuth token endpoint refused the client credentials (HTTP ${response.status}, ${reason}).`,
      );
    }
    const lifetime =
      typeof data.expires_in === 'number' && data.expires_in > 0
        ? data.expires_in * 1000
        : DEFAULT_LIFETIME_MS;
    return {
      token: data.access_token,
      expiresAt: this.now() + Math.max(lifetime - EXPIRY_MARGIN_MS, Math.min(lifetime, 5_000)),
    };
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new OpenApiError('The call was cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new OpenApiError('The call was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export interface AppliedAuth {
  readonly headers: Record<string, string>;
  /** Headers to drop if a redirect leaves the API's origin. */
  readonly sensitiveHeaders: readonly string[];
  /** The OAuth token used, so a 401 can invalidate it. */
  readonly oauthToken: string | null;
}

/** The headers that authenticate one call, read from the connection's secrets for this call only. */
export async function applyAuth(
  auth: OpenApiAuth,
  secrets: SecretsAccessor,
  tokens: OAuthTokenCache,
  connectionKey: string,
  signal?: AbortSignal,
): Promise<AppliedAuth> {
  switch (auth.kind) {
    case 'none':
      return { headers: {}, sensitiveHeaders: [], oauthToken: null };
    case 'bearer':
      return {
        headers: { authorization: `Bearer ${await secret(secrets, TOKEN_SECRET, 'bearer')}` },
        sensitiveHeaders: [],
        oauthToken: null,
      };
    case 'apiKeyHeader':
      return {
        headers: { [auth.header.toLowerCase()]: await secret(secrets, API_KEY_SECRET, 'API key') },
        sensitiveHeaders: [auth.header.toLowerCase()],
        oauthToken: null,
      };
    case 'basic': {
      const user = await secret(secrets, USERNAME_SECRET, 'basic');
      const password = await secret(secrets, PASSWORD_SECRET, 'basic');
      return {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
        sensitiveHeaders: [],
        oauthToken: null,
      };
    }
    case 'oauth2ClientCredentials': {
      const token = await tokens.token(connectionKey, auth, secrets, signal);
      return { headers: { authorization: `Bearer ${token}` }, sensitiveHeaders: [], oauthToken: token };
    }
  }
}
