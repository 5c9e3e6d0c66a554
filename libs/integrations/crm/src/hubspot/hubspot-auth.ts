import { createHash } from 'node:crypto';

import { CrmError } from '../core/crm.errors.js';
import type { TokenSource } from './hubspot-transport.js';

/** A token is dropped this long before HubSpot says it expires, so it never expires in flight. */
const EXPIRY_MARGIN_MS = 60_000;
/** HubSpot documents 30 minutes; used when a response omits `expires_in`. */
const DEFAULT_LIFETIME_MS = 30 * 60_000;
const MAX_CACHED = 1_000;

export interface OAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number | null;
}

interface Cached {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * HubSpot OAuth access tokens, exchanged from a connection's refresh token and cached per connection and
 * credential digest until shortly before they expire. Concurrent calls share one exchange; one caller's
 * cancellation does not fail the others. The cache never holds a client secret or refresh token, only
 * digests of them as keys.
 */
export class HubSpotTokenCache {
  private readonly tokens = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<Cached>>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(connectionKey: string, baseUrl: string, creds: OAuthCredentials): string {
    return createHash('sha256')
      .update(JSON.stringify([connectionKey, baseUrl]))
      .update('\0')
      .update(creds.clientId)
      .update('\0')
      .update(creds.clientSecret)
      .update('\0')
      .update(creds.refreshToken)
      .digest('hex');
  }

  async token(key: string, exchange: () => Promise<IssuedToken>, signal?: AbortSignal): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    let request = this.pending.get(key);
    if (!request) {
      request = exchange()
        .then((issued) => this.store(key, issued))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return (await abortable(request, signal)).token;
  }

  /** Forgets a token HubSpot refused (revoked before its stated expiry). */
  invalidate(token: string): boolean {
    let found = false;
    for (const [key, value] of this.tokens) {
      if (value.token === token) {
        this.tokens.delete(key);
        found = true;
      }
    }
    return found;
  }

  private store(key: string, issued: IssuedToken): Cached {
    const lifetime =
      issued.expiresInSeconds !== null && issued.expiresInSeconds > 0
        ? issued.expiresInSeconds * 1000
        : DEFAULT_LIFETIME_MS;
    const entry = {
      token: issued.accessToken,
      // A very short-lived token is still used once rather than refreshed in a loop.
      expiresAt: this.now() + Math.max(lifetime - EXPIRY_MARGIN_MS, Math.min(lifetime, 5_000)),
    };
    if (this.tokens.size >= MAX_CACHED && !this.tokens.has(key)) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    this.tokens.set(key, entry);
    return entry;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CrmError('unavailable', 'The call was cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CrmError('unavailable', 'The call was cancelled.'));
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

/** A private app's access token: fixed, so a 401 cannot be cured by asking again. */
export function staticTokenSource(token: string): TokenSource {
  return { token: async () => token, refused: () => false, secretValues: () => [token] };
}

/** OAuth: access tokens from the shared cache, exchanged with `exchange` when missing or expired. */
export function oauthTokenSource(
  cache: HubSpotTokenCache,
  key: string,
  creds: OAuthCredentials,
  exchange: () => Promise<IssuedToken>,
): TokenSource {
  const seen: string[] = [];
  return {
    async token(signal) {
      const token = await cache.token(key, exchange, signal);
      if (!seen.includes(token)) seen.push(token);
      return token;
    },
    refused: (token) => {
      cache.invalidate(token);
      return true;
    },
    secretValues: () => [creds.clientSecret, creds.refreshToken, ...seen],
  };
}
