import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { issuerFor } from '../oauth/oauth-urls.js';
import { SigningKeyRepository } from '../oauth/store/signing-key.repository.js';

/** What a verified access token says. */
export interface VerifiedAccessToken {
  readonly subject: string;
  readonly clientId: string;
  readonly grantId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

/** Published keys are re-read this often, and at most this often when a token names an unknown key id. */
const KEYS_MAX_AGE_MS = 5 * 60_000;
const UNKNOWN_KID_RELOAD_MS = 10_000;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies our JWT access tokens in process: signature against the authorization server's public keys
 * (kept in memory, no database read per request), issuer, audience (exactly one endpoint's resource URL),
 * type `at+jwt` (an ID token is never an access token) and expiry. Liveness of the grant is checked by
 * the caller, with its own cache.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger(AccessTokenVerifier.name);
  private readonly issuer: string;
  private jwks: ReturnType<typeof createLocalJWKSet> | null = null;
  private kids = new Set<string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly keys: SigningKeyRepository,
  ) {
    this.issuer = issuerFor(config.publicUrl);
  }

  static looksLikeJwt(value: string): boolean {
    return value.length < 8192 && JWT_SHAPE.test(value);
  }

  async verify(token: string, audience: string, now = Date.now()): Promise<VerifiedAccessToken | null> {
    if (!AccessTokenVerifier.looksLikeJwt(token)) return null;
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return null;
    }
    if (typeof kid !== 'string') return null;
    await this.ensureKeys(kid, now);
    if (!this.jwks || !this.kids.has(kid)) return null;
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
        typ: 'at+jwt',
        currentDate: new Date(now),
        clockTolerance: 5,
        requiredClaims: ['exp', 'sub', 'client_id', 'gid'],
      });
      // One audience only: a token minted for several resources would be valid at each of them.
      if (Array.isArray(payload.aud) && payload.aud.length !== 1) return null;
      const { sub, client_id: clientId, gid, scope, exp } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof clientId !== 'string' || typeof gid !== 'string') return null;
      return {
        subject: sub,
        clientId,
        grantId: gid,
        scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
        expiresAt: exp as number,
      };
    } catch (e) {
      if (!(e instanceof errors.JOSEError)) throw e;
      return null;
    }
  }

  /** Forces the next verification to re-read the keys (after a rotation on this node). */
  invalidateKeys(): void {
    this.loadedAt = 0;
  }

  private async ensureKeys(kid: string, now: number): Promise<void> {
    const stale = now - this.loadedAt > KEYS_MAX_AGE_MS;
    const unknown = !this.kids.has(kid) && now - this.loadedAt > UNKNOWN_KID_RELOAD_MS;
    if (!stale && !unknown && this.jwks) return;
    this.loading ??= this.load(now).finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  private async load(now: number): Promise<void> {
    try {
      const rows = await this.keys.listActive();
      const set: JSONWebKeySet = {
        keys: rows.map((r) => ({ ...(r.publicJwk as JWK), kid: r.kid, alg: r.alg })),
      };
      this.jwks = createLocalJWKSet(set);
      this.kids = new Set(rows.map((r) => r.kid));
      this.loadedAt = now;
    } catch (e) {
      // Keep serving with the keys we have; the next request retries.
      this.logger.error({ msg: 'could not load the token signing keys', err: (e as Error).message });
    }
  }
}
