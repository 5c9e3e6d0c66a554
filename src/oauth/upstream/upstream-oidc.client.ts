import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { IdpEgress, IdpEgressRefusedError } from './idp-egress.js';

/** What talking to a tenant's identity provider needs (its secret already opened). */
export interface UpstreamClientSettings {
  readonly tenantId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  /** Changes whenever the configuration does (its `updatedAt`); keys the discovery cache. */
  readonly version: number;
}

/** Why talking to the identity provider failed, in words safe for a page and a log (no tokens, no codes). */
export class UpstreamOidcError extends Error {
  constructor(
    readonly reason:
      'address_refused' | 'discovery_failed' | 'idp_error' | 'invalid_response' | 'token_failed',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamOidcError';
  }
}

export interface VerifiedIdentity {
  readonly subject: string;
  /** The ID token's claims, with userinfo's added when the ID token lacked the email claim. */
  readonly claims: Readonly<Record<string, unknown>>;
}

const SCOPE = 'openid email profile';
const DISCOVERY_TTL_MS = 10 * 60_000;
const FAILURE_TTL_MS = 30_000;
const TIMEOUT_SECONDS = 5;

/**
 * openid-client for tenants' identity providers: discovery (cached per configuration version), the
 * authorization URL (code flow, PKCE S256, state, nonce), and the callback: RFC 9207 `iss`, state, code
 * exchange, ID token signature (JWKS), issuer, audience, expiry and nonce — all checked by openid-client.
 * Every request goes through {@link IdpEgress}.
 */
@Injectable()
export class UpstreamOidcClient implements OnModuleDestroy {
  readonly egress: IdpEgress;
  private readonly insecureLoopback: boolean;
  private readonly cache = new Map<
    string,
    { key: string; expires: number } & (
      { config: oidc.Configuration; error?: undefined } | { error: UpstreamOidcError }
    )
  >();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.insecureLoopback = config.oauth.testIdpLoopback === true;
    this.egress = new IdpEgress({
      allow: config.oauth.idpAllowedHosts,
      loopbackForTests: this.insecureLoopback,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.egress.close();
  }

  /** Fetches and checks the provider's metadata: its issuer must be exactly the one configured. */
  async discover(settings: UpstreamClientSettings): Promise<oidc.Configuration> {
    const refused = await this.egress.refusalAfterLookup(settings.issuer);
    if (refused)
      throw new UpstreamOidcError('address_refused', `The identity provider is refused: ${refused}.`);
    let found: oidc.Configuration;
    try {
      found = await oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.None(), {
        [oidc.customFetch]: this.egress.fetch,
        timeout: TIMEOUT_SECONDS,
        ...(this.insecureLoopback ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
    } catch (e) {
      throw this.wrap(e, 'discovery_failed', 'Could not read the identity provider’s OpenID configuration');
    }
    const server = found.serverMetadata();
    if (!server.authorization_endpoint || !server.token_endpoint || !server.jwks_uri) {
      throw new UpstreamOidcError(
        'discovery_failed',
        'The identity provider’s metadata lacks an authorization, token or JWKS endpoint.',
      );
    }
    const types = server.response_types_supported;
    if (Array.isArray(types) && !types.includes('code')) {
      throw new UpstreamOidcError(
        'discovery_failed',
        'The identity provider does not support the code flow.',
      );
    }
    const config = new oidc.Configuration(
      server,
      settings.clientId,
      { id_token_signed_response_alg: idTokenAlg(server.id_token_signing_alg_values_supported) },
      clientAuth(server.token_endpoint_auth_methods_supported, settings.clientSecret),
    );
    config[oidc.customFetch] = this.egress.fetch;
    config.timeout = TIMEOUT_SECONDS;
    if (this.insecureLoopback) oidc.allowInsecureRequests(config);
    // Verify the ID token's signature against the provider's JWKS, not only its claims.
    oidc.enableNonRepudiationChecks(config);
    return config;
  }

  /**
   * Discovery, cached for a few minutes per configuration version. A failure is remembered briefly too,
   * so sign-in pages of a tenant whose provider is down do not each wait for the timeout.
   */
  async configuration(settings: UpstreamClientSettings): Promise<oidc.Configuration> {
    const key = `${settings.version}:${settings.issuer}:${settings.clientId}`;
    const hit = this.cache.get(settings.tenantId);
    if (hit && hit.key === key && hit.expires > Date.now()) {
      if (hit.error) throw hit.error;
      return hit.config;
    }
    if (this.cache.size > 1_000) this.cache.clear();
    try {
      const config = await this.discover(settings);
      this.cache.set(settings.tenantId, { key, config, expires: Date.now() + DISCOVERY_TTL_MS });
      return config;
    } catch (e) {
      if (e instanceof UpstreamOidcError) {
        this.cache.set(settings.tenantId, { key, error: e, expires: Date.now() + FAILURE_TTL_MS });
      }
      throw e;
    }
  }

  evict(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  async authorizationUrl(
    settings: UpstreamClientSettings,
    params: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
  ): Promise<URL> {
    const config = await this.configuration(settings);
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: params.redirectUri,
      response_type: 'code',
      scope: SCOPE,
      state: params.state,
      nonce: params.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(params.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Validates the authorization response at `callbackUrl` (the full URL the browser arrived at) and
   * redeems the code; returns the verified identity. `emailClaim` missing from the ID token is looked
   * up at the userinfo endpoint, bound to the ID token's subject.
   */
  async redeem(
    settings: UpstreamClientSettings,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string; emailClaim: string },
  ): Promise<VerifiedIdentity> {
    const config = await this.configuration(settings);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      if (e instanceof oidc.AuthorizationResponseError) {
        // The provider declined (e.g. the person cancelled): its error code only, never its free text.
        throw new UpstreamOidcError(
          'idp_error',
          `The identity provider did not sign you in (${safeCode(e.error)}).`,
        );
      }
      // An error answer from the token endpoint, or a response / ID token that fails a check.
      throw e instanceof oidc.ResponseBodyError
        ? this.wrap(e, 'token_failed', 'The identity provider refused to redeem the sign-in')
        : this.wrap(e, 'invalid_response', 'The identity provider’s answer could not be verified');
    }
    const idToken = tokens.claims();
    if (!idToken)
      throw new UpstreamOidcError('invalid_response', 'The identity provider returned no ID token.');
    const claims: Record<string, unknown> = { ...idToken };
    if (claims[checks.emailClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        for (const [k, v] of Object.entries(info)) if (claims[k] === undefined) claims[k] = v;
      } catch (e) {
        throw this.wrap(e, 'invalid_response', 'The identity provider’s userinfo could not be read');
      }
    }
    return { subject: idToken.sub, claims };
  }

  private wrap(e: unknown, reason: UpstreamOidcError['reason'], what: string): UpstreamOidcError {
    if (e instanceof UpstreamOidcError) return e;
    if (e instanceof IdpEgressRefusedError || hasRefusal(e)) {
      return new UpstreamOidcError('address_refused', `The identity provider is refused: ${refusalOf(e)}.`);
    }
    // openid-client's messages name the failed check (e.g. an unexpected "iss" claim value); they carry
    // neither tokens nor codes. Provider error responses contribute their error code only.
    if (e instanceof oidc.ResponseBodyError)
      return new UpstreamOidcError(reason, `${what} (${safeCode(e.error)}).`);
    // openid-client wraps oauth4webapi's error, whose message says which check failed.
    const detail = e instanceof oidc.ClientError && e.cause instanceof Error ? e.cause : e;
    const message = detail instanceof Error ? detail.message : String(detail);
    return new UpstreamOidcError(reason, `${what}: ${message.slice(0, 200)}`);
  }
}

function hasRefusal(e: unknown): boolean {
  return refusalOf(e) !== null;
}

function refusalOf(e: unknown): string | null {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof IdpEgressRefusedError) return x.reason;
  }
  return null;
}

/** An OAuth error code as the spec shapes it; anything else is not repeated. */
function safeCode(code: unknown): string {
  return typeof code === 'string' && /^[a-z0-9_.-]{1,64}$/i.test(code) ? code : 'error';
}

function idTokenAlg(supported: unknown): string {
  const list = Array.isArray(supported) ? supported.filter((a): a is string => typeof a === 'string') : [];
  if (list.length === 0 || list.includes('RS256')) return 'RS256';
  return list.find((a) => a !== 'none' && !a.startsWith('HS')) ?? 'RS256';
}

/** client_secret_basic is the OpenID default; post when that is all the provider takes; none without a secret. */
function clientAuth(supported: unknown, secret: string | null): oidc.ClientAuth {
  if (secret === null) return oidc.None();
  const list = Array.isArray(supported) ? supported : ['client_secret_basic'];
  if (list.includes('client_secret_basic')) return oidc.ClientSecretBasic(secret);
  if (list.includes('client_secret_post')) return oidc.ClientSecretPost(secret);
  throw new UpstreamOidcError(
    'discovery_failed',
    'The identity provider accepts neither client_secret_basic nor client_secret_post.',
  );
}
