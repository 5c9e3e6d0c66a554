import type {
  KoaContextWithOIDC,
  Configuration,
  errors as OidcErrors,
  ErrorOut,
  ClientMetadata,
} from 'oidc-provider';
import type { JWK } from 'jose';
import type { AppConfig } from '../config/index.js';
import { guardedFetch, refuseFetch } from './cimd-fetch.js';
import { INTERACTION_MOUNT, MCP_SCOPES } from './oauth-urls.js';
import { isAllowedRedirectUri } from './redirect-policy.js';
import { SIGNING_ALG } from './signing-keys.service.js';
import { tenantBoundInteractionPolicy } from './upstream/tenant-bound-session.js';

/** The endpoint a resource indicator names, as the authorization server needs it. */
export interface ResolvedResource {
  readonly resource: string;
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly endpointId: string;
  readonly endpointSlug: string;
  readonly endpointName: string;
}

export interface ProviderConfigDeps {
  readonly config: AppConfig;
  readonly jwks: JWK[];
  readonly cookieKeys: string[];
  readonly errors: typeof OidcErrors;
  readonly adapter: NonNullable<Configuration['adapter']>;
  resolveResource(resource: string): Promise<ResolvedResource | null>;
  isMember(tenantId: string, accountId: string): Promise<boolean>;
  findGrantId(tenantId: string, accountId: string, clientId: string): Promise<string | null>;
  findAccount(accountId: string): Promise<{ readonly email: string; readonly name: string | null } | null>;
  renderError(ctx: KoaContextWithOIDC, out: ErrorOut): void;
}

const CIMD_TIMEOUT_MS = 2_000;

/** The provider's sign-in session cookie (its value is the Session row's id). */
export const SESSION_COOKIE = '_sb_session';

/** The single `resource` of a request, or undefined when there is none or several. */
export function singleResource(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** oidc-provider configuration: OAuth 2.1 for MCP clients, as the MCP authorization spec and Claude ask. */
export function providerConfiguration(deps: ProviderConfigDeps): Configuration {
  const { config, errors } = deps;
  const refreshSeconds = config.oauth.refreshTokenTtlDays * 86_400;
  const reroute = config.oauth.testCimdOrigins;

  return {
    adapter: deps.adapter,
    clients: [],
    jwks: { keys: deps.jwks },
    cookies: {
      keys: deps.cookieKeys,
      names: { session: SESSION_COOKIE, interaction: '_sb_interaction', resume: '_sb_resume' },
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(_ctx, sub) {
      const account = await deps.findAccount(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name ?? undefined,
        }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', ...MCP_SCOPES],
    responseTypes: ['code'],
    // OAuth 2.1: PKCE for every client; oidc-provider only implements S256 (`plain` is refused).
    pkce: { required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: SIGNING_ALG,
    },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    allowOmittingSingleRegisteredRedirectUri: false,
    // Browser-based MCP clients call the token endpoint cross-origin; tokens are never in cookies.
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      introspection: { enabled: false },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens (RFC 7009 §2.1): a confidential client is told so; a
        // public one (anyone can claim its id) gets the ordinary answer and revokes nothing, so the
        // endpoint cannot be used to probe which tokens exist.
        allowedPolicy: (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      registration: {
        enabled: true,
        initialAccessToken: false,
        // RFC 7592 management is off, so a registration access token would be useless to the client.
        issueRegistrationAccessToken: false,
        idFactory: () => `dcr_${globalThis.crypto.randomUUID().replaceAll('-', '')}`,
      },
      resourceIndicators: {
        enabled: true,
        // A request without `resource` would get a token for no endpoint in particular: refuse it.
        async defaultResource(_ctx, _client, oneOf) {
          if (oneOf) return oneOf;
          throw new errors.InvalidTarget('a resource parameter naming the MCP endpoint URL is required');
        },
        useGrantedResource: async () => true,
        async getResourceServerInfo(ctx, resourceIndicator) {
          const target = await deps.resolveResource(resourceIndicator);
          if (!target) throw new errors.InvalidTarget('the resource is not an MCP endpoint of this server');
          const accountId = ctx.oidc.account?.accountId;
          if (accountId && !(await deps.isMember(target.tenantId, accountId))) {
            // A refresh by someone removed from the tenant since: the grant no longer stands.
            if (ctx.oidc.route === 'token')
              throw new errors.InvalidGrant('the user is not a member of this tenant');
            throw new errors.InvalidTarget('the user is not a member of this tenant');
          }
          return {
            scope: MCP_SCOPES.join(' '),
            audience: resourceIndicator,
            accessTokenTTL: config.oauth.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02',
        async allowFetch(_ctx, clientId) {
          const origin = URL.parse(clientId)?.origin;
          if (origin && reroute?.[origin] !== undefined) return true;
          return (await refuseFetch(clientId)) === null;
        },
        async allowClient(_ctx, client) {
          return (client.redirectUris ?? []).every((uri) => isAllowedRedirectUri(uri, 'cimd'));
        },
        cacheDuration: { min: 60, max: 86_400 },
      },
    },
    fetch: guardedFetch({
      timeoutMs: CIMD_TIMEOUT_MS,
      ...(reroute ? { reroute } : {}),
    }) as Configuration['fetch'],
    ttl: {
      AccessToken: config.oauth.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      RefreshToken: refreshSeconds,
      Grant: refreshSeconds,
      Interaction: 15 * 60,
      Session: 12 * 3600,
      IdToken: 3600,
    },
    // Public clients (every MCP client) get a new refresh token on each use; reuse of an old one revokes the grant.
    rotateRefreshToken: true,
    // MCP clients do not ask for offline_access; a refresh token is how they stay connected.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    async loadExistingGrant(ctx) {
      const fromResult = ctx.oidc.result?.consent?.grantId;
      if (typeof fromResult === 'string') return ctx.oidc.provider.Grant.find(fromResult);
      const accountId = ctx.oidc.session?.accountId;
      const resource = singleResource(ctx.oidc.params?.resource);
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !resource || !clientId) return undefined;
      const target = await deps.resolveResource(resource);
      if (!target || !(await deps.isMember(target.tenantId, accountId))) return undefined;
      // Grants are per user, client and tenant, kept across provider sessions so consent is asked once.
      const grantId = await deps.findGrantId(target.tenantId, accountId, clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: {
      // A session opened by one tenant's identity provider does not sign anyone in to another tenant.
      policy: tenantBoundInteractionPolicy(async (r) => (await deps.resolveResource(r))?.tenantId ?? null),
      url: (_ctx, interaction) => `${INTERACTION_MOUNT}/${interaction.uid}`,
    },
    // The grant id rides in the access token so the resource can refuse tokens of a revoked grant.
    extraTokenClaims: async (_ctx, token) =>
      token.kind === 'AccessToken' ? { gid: token.grantId } : undefined,
    extraClientMetadata: {
      properties: ['software_id', 'software_version'],
      // Called once per registration (per extra property); enforces our redirect policy on top of RFC 7591's.
      validator(_ctx, key, _value, metadata: ClientMetadata) {
        if (key !== 'software_id') return;
        const kind = metadata.application_type === 'native' ? 'native' : 'web';
        for (const uri of (metadata.redirect_uris ?? []) as string[]) {
          if (!isAllowedRedirectUri(uri, kind)) {
            throw new errors.InvalidRedirectUri(
              `redirect_uri ${uri} is not allowed: use https, a loopback http URL or (native apps) a private-use scheme`,
            );
          }
        }
      },
    },
    async renderError(ctx, out) {
      deps.renderError(ctx, out);
    },
  };
}
