import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { AuditRecorder, type AuditEventInput } from '../audit/audit.contract.js';
import { OAuthPrincipalService } from '../auth/oauth-principal.service.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { LoginThrottle } from '../ratelimit/login-throttle.contract.js';
import { MembershipRepository } from '../tenancy/membership.repository.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { UserRepository } from '../tenancy/user.repository.js';
import { loadCookieKeys } from './cookie-keys.js';
import { CsrfTokens } from './csrf.js';
import { issuerFor, parseResourceUrl, resourceUrlFor } from './oauth-urls.js';
import { prismaAdapterFactory } from './prisma-adapter.js';
import { providerConfiguration, type ResolvedResource } from './provider-config.js';
import { redirectMatches } from './redirect-policy.js';
import { SigningKeysService } from './signing-keys.service.js';
import { OAuthPayloadRepository } from './store/oauth-payload.repository.js';
import { errorPage } from './views/pages.js';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A registered client's expiry is pushed forward at most this often (it is written on token issuance). */
const CLIENT_TOUCH_MS = 3_600_000;
const TOKEN_FAILURES = new Set(['invalid_grant', 'invalid_client']);
/** Under the mount, handled by UpstreamSignInController rather than the provider. */
const UPSTREAM_SUBPATH = '/upstream/';

/**
 * The OAuth 2.1 authorization server (oidc-provider): one issuer, `${PUBLIC_URL}/oauth`, for every
 * tenant; each token is bound to one endpoint's resource URL. Mounted on Express by bootstrap.ts.
 */
@Injectable()
export class OAuthServer implements OnModuleInit {
  private readonly logger = new Logger(OAuthServer.name);
  private oidc!: Provider;
  private handler!: NodeHandler;
  private csrfTokens!: CsrfTokens;
  private cookieKeys: string[] = [];
  private readonly clientTouched = new Map<string, number>();
  /** Grants deleted by the provider itself, waiting for its `grant.revoked` event to be audited. */
  private readonly destroyedGrants = new Map<
    string,
    { tenantId: string | null; accountId: string | null; clientId: string | null }
  >();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signingKeys: SigningKeysService,
    private readonly payloads: OAuthPayloadRepository,
    private readonly tenancy: TenancyService,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly principals: OAuthPrincipalService,
    private readonly audit: AuditRecorder,
    private readonly throttle: LoginThrottle,
  ) {}

  get provider(): Provider {
    return this.oidc;
  }

  get csrf(): CsrfTokens {
    return this.csrfTokens;
  }

  get issuer(): string {
    return issuerFor(this.config.publicUrl);
  }

  async onModuleInit(): Promise<void> {
    const [{ keys: cookieKeys, generated }, signing] = await Promise.all([
      loadCookieKeys(this.config),
      this.signingKeys.load(),
    ]);
    if (generated) {
      this.logger.warn(
        'SWITCHBOARD_COOKIE_KEYS is not set: generated cookie keys into the data folder. Set the variable (same value on every node) when running several nodes.',
      );
    }
    this.cookieKeys = cookieKeys;
    this.csrfTokens = new CsrfTokens(cookieKeys[0] as string);
    this.install(signing.privateJwks);
  }

  /**
   * Re-reads the signing keys and swaps in a provider built with them (after a rotation, on every node):
   * the newest key signs from now on. Requests already inside the old provider finish there; all state
   * lives in the database, so nothing is lost in the swap.
   */
  async reloadSigningKeys(): Promise<void> {
    const signing = await this.signingKeys.load();
    this.install(signing.privateJwks);
    this.logger.log({ msg: 'token signing keys reloaded', kids: signing.kids });
  }

  private install(jwks: Awaited<ReturnType<SigningKeysService['load']>>['privateJwks']): void {
    const cookieKeys = this.cookieKeys;
    const adapter = prismaAdapterFactory(this.payloads, {
      clientTtlSeconds: this.config.oauth.dcrClientTtlDays * 86_400,
      onGrantDestroyed: (grantId, info) => {
        this.principals.evictGrant(grantId);
        this.destroyedGrants.set(grantId, info);
        setTimeout(() => this.destroyedGrants.delete(grantId), 60_000).unref();
      },
    });
    const oidc = new Provider(
      this.issuer,
      providerConfiguration({
        config: this.config,
        jwks,
        cookieKeys,
        errors,
        adapter,
        resolveResource: (r) => this.resolveResource(r),
        isMember: (tenantId, accountId) => this.isMember(tenantId, accountId),
        findGrantId: (tenantId, accountId, clientId) =>
          this.payloads.findGrantId({ tenantId }, accountId, clientId, new Date()),
        findAccount: async (id) => {
          const user = await this.users.findById(id);
          return user && !user.disabled ? { email: user.email, name: user.name } : null;
        },
        renderError: (ctx, out) => {
          ctx.type = 'html';
          ctx.body = errorPage({
            title: 'Connection failed',
            message: out.error_description ?? out.error ?? 'The request could not be completed.',
          });
        },
      }),
    );
    oidc.proxy = this.config.trustProxyHops > 0;
    // Loopback redirect URIs match on any port for every client (RFC 8252 §7.3), not only `native` ones.
    const exact = oidc.Client.prototype.redirectUriAllowed;
    oidc.Client.prototype.redirectUriAllowed = function (
      this: InstanceType<typeof oidc.Client>,
      uri: string,
    ) {
      return exact.call(this, uri) || redirectMatches(uri, this.redirectUris ?? []);
    };
    oidc.use((ctx, next) => this.requestPolicy(ctx as KoaContextWithOIDC, next));
    this.listen(oidc);
    this.oidc = oidc;
    this.handler = oidc.callback() as NodeHandler;
  }

  /**
   * Express middleware for the mount point. `/upstream/…` (the callback from tenants' identity providers)
   * is ours, not the provider's: it goes on to the Nest route.
   */
  middleware(): (req: IncomingMessage, res: ServerResponse, next?: () => void) => void {
    return (req, res, next) => {
      if (next && req.url?.startsWith(UPSTREAM_SUBPATH)) next();
      else this.handler(req, res);
    };
  }

  /** The endpoint a resource indicator names, only in its canonical spelling; null otherwise. */
  async resolveResource(resource: string): Promise<ResolvedResource | null> {
    const target = parseResourceUrl(this.config.publicUrl, resource);
    if (!target) return null;
    const d = await this.tenancy.resolveEndpoint(target.tenant, target.endpoint);
    if (!d || resourceUrlFor(this.config.publicUrl, d.path) !== resource) return null;
    return {
      resource,
      tenantId: d.tenant.id,
      tenantSlug: d.tenant.slug,
      tenantName: d.tenant.name,
      endpointId: d.endpoint.id,
      endpointSlug: d.endpoint.slug,
      endpointName: d.endpoint.name,
    };
  }

  async isMember(tenantId: string, accountId: string): Promise<boolean> {
    const [membership, user] = await Promise.all([
      this.memberships.find({ tenantId }, accountId),
      this.users.findById(accountId),
    ]);
    return membership !== null && user !== null && !user.disabled;
  }

  /**
   * Revokes a grant and everything issued under it (refresh tokens, codes). Access tokens are JWTs and
   * cannot be recalled: the MCP gate refuses them once it sees the grant is gone (at once on this node).
   */
  async revokeGrant(grantId: string): Promise<void> {
    await Promise.all([
      this.oidc.RefreshToken.adapter.revokeByGrantId(grantId),
      this.oidc.AuthorizationCode.adapter.revokeByGrantId(grantId),
    ]);
    await this.oidc.Grant.adapter.destroy(grantId);
    this.destroyedGrants.delete(grantId);
    this.principals.evictGrant(grantId);
  }

  /** Records an audit event without failing the caller's request (provider events cannot wait). */
  record(event: AuditEventInput): void {
    this.audit.record(event).catch((e: unknown) =>
      this.logger.error({
        msg: 'could not record an audit event',
        action: event.action,
        err: (e as Error).message,
      }),
    );
  }

  private async requestPolicy(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    if (ctx.path === '/auth' && ctx.method === 'GET') {
      const query = { ...ctx.query };
      if (Array.isArray(query.resource)) {
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = errorPage({
          title: 'Connection failed',
          message: 'An authorization request names exactly one MCP endpoint (one resource parameter).',
        });
        return;
      }
      // oidc-provider refuses a request without scope; MCP clients often send none.
      if (query.scope === undefined || query.scope === '') {
        ctx.query = { ...query, scope: 'mcp' };
      }
    }
    if (ctx.path === '/token' && ctx.method === 'POST') {
      await this.throttledToken(ctx, next);
      return;
    }
    await next();
  }

  /**
   * Failed code and refresh redemptions count toward brute-force limits. The body (and so the client id) is
   * not parsed before the provider runs, so the throttle key is the caller's address — the same key for the
   * check and for recording, or the consecutive-failure counter would never be consulted.
   */
  private async throttledToken(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    const ip = ctx.ip;
    const account = `oauth-token@${ip}`;
    const decision = await this.throttle.check(account, ip);
    if (!decision.allowed) {
      ctx.status = 429;
      ctx.set('Retry-After', String(decision.retryAfterSeconds));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        error: 'temporarily_unavailable',
        error_description: 'too many failed attempts; retry later',
      };
      return;
    }
    await next();
    const error = (ctx.body as { error?: unknown } | undefined)?.error;
    if (ctx.status >= 400 && typeof error === 'string' && TOKEN_FAILURES.has(error)) {
      await this.throttle.recordFailure(account, ip);
    } else if (ctx.status === 200) {
      await this.throttle.recordSuccess(account, ip);
    }
  }

  private listen(oidc: Provider): void {
    oidc.on('grant.success', (ctx: KoaContextWithOIDC) => void this.onTokenIssued(ctx));
    oidc.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
      const info = this.destroyedGrants.get(grantId);
      this.destroyedGrants.delete(grantId);
      if (!info?.tenantId) return;
      this.record({
        tenantId: info.tenantId,
        kind: 'token',
        action: 'token.revoked',
        actor: { type: 'oauth_client', id: grantId },
        target: info.clientId,
        outcome: 'success',
        data: {
          clientId: info.clientId,
          userId: info.accountId,
          // The token endpoint only revokes a grant when a used refresh token comes back.
          reason: ctx.oidc?.route === 'token' ? 'refresh_token_reuse' : 'revoked_by_client',
        },
      });
    });
    oidc.on('grant.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string }) => {
      this.logger.log({
        msg: 'token request refused',
        error: error.error,
        clientId: ctx.oidc?.client?.clientId,
      });
    });
    oidc.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
      this.logger.error({
        msg: 'authorization server error',
        err: { message: error.message, stack: error.stack },
      });
    });
    oidc.on('registration_create.success', (_ctx: KoaContextWithOIDC, client: { clientId: string }) => {
      this.logger.log({ msg: 'client registered (DCR)', clientId: client.clientId });
    });
  }

  private async onTokenIssued(ctx: KoaContextWithOIDC): Promise<void> {
    try {
      const token = ctx.oidc.entities.AccessToken as
        | { aud?: string | string[]; grantId?: string; scope?: string; accountId?: string; clientId?: string }
        | undefined;
      const aud = Array.isArray(token?.aud) ? token?.aud[0] : token?.aud;
      const target = aud ? await this.resolveResource(aud) : null;
      const clientId = token?.clientId ?? ctx.oidc.client?.clientId;
      if (clientId) await this.touchClient(clientId);
      if (!target || !token?.grantId) return;
      this.record({
        tenantId: target.tenantId,
        kind: 'token',
        action: ctx.oidc.params?.grant_type === 'refresh_token' ? 'token.refreshed' : 'token.issued',
        actor: { type: 'oauth_client', id: token.grantId },
        target: target.endpointSlug,
        outcome: 'success',
        data: { clientId, userId: token.accountId, scope: token.scope, resource: target.resource },
      });
    } catch (e) {
      this.logger.error({ msg: 'could not record token issuance', err: (e as Error).message });
    }
  }

  /** Keeps a registered client alive while it is used; unused ones expire after SWITCHBOARD_DCR_CLIENT_TTL_DAYS. */
  private async touchClient(clientId: string): Promise<void> {
    const now = Date.now();
    if ((this.clientTouched.get(clientId) ?? 0) > now - CLIENT_TOUCH_MS) return;
    if (this.clientTouched.size > 10_000) this.clientTouched.clear();
    this.clientTouched.set(clientId, now);
    await this.payloads.extendClient(
      clientId,
      new Date(now + this.config.oauth.dcrClientTtlDays * 86_400_000),
    );
  }
}
