import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { DomainError, NotFoundError } from '../../common/domain-error.js';
import { slugSchema } from '../../common/slug.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { loadCookieKeys } from '../../oauth/cookie-keys.js';
import type { InteractionOutcome } from '../../oauth/interaction/interaction.service.js';
import {
  IdentityProviderService,
  UPSTREAM_CALLBACK_PATH,
} from '../../oauth/upstream/identity-provider.service.js';
import { UpstreamOidcClient, UpstreamOidcError } from '../../oauth/upstream/upstream-oidc.client.js';
import { Refusal, UpstreamSignInService } from '../../oauth/upstream/upstream-sign-in.service.js';
import {
  attemptCookieName,
  UpstreamStateSealer,
  type UpstreamAttempt,
} from '../../oauth/upstream/upstream-state.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';
import { TenantRepository } from '../../tenancy/tenant.repository.js';
import { AdminSessionService } from './admin-session.service.js';
import { SessionCookie } from './session-cookie.js';

/** How long a person has at their identity provider before the attempt is void. */
const ATTEMPT_TTL_MS = 10 * 60_000;

/**
 * Dashboard sign-in through a tenant's own OpenID Connect provider: the same client, checks and member
 * mapping as the OAuth sign-in page (openid-client, PKCE, state, nonce, verified email, allowed domains,
 * first-sign-in membership), and the same redirect URI, so a tenant registers nothing new at its provider.
 * The session it opens acts in that tenant only and never carries platform powers.
 */
@Injectable()
export class AdminSsoService implements OnModuleInit {
  private readonly logger = new Logger(AdminSsoService.name);
  private sealer!: UpstreamStateSealer;
  private readonly cookie: SessionCookie;
  private readonly secure: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly upstream: UpstreamSignInService,
    private readonly idps: IdentityProviderService,
    private readonly client: UpstreamOidcClient,
    private readonly tenants: TenantRepository,
    private readonly sessions: AdminSessionService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditRecorder,
  ) {
    this.cookie = new SessionCookie(config.publicUrl);
    this.secure = config.publicUrl.startsWith('https:');
  }

  async onModuleInit(): Promise<void> {
    this.sealer = new UpstreamStateSealer((await loadCookieKeys(this.config)).keys);
    this.upstream.onDashboardCallback((req, res, state, attempt) => this.finish(req, res, state, attempt));
  }

  /** The "Continue with …" option of a tenant's dashboard sign-in, if it has one. */
  async providers(tenantSlug: string): Promise<{ tenant: string; name: string }[]> {
    const tenant = slugSchema.safeParse(tenantSlug).success
      ? await this.tenants.findBySlug(tenantSlug)
      : null;
    const idp = tenant?.status === 'active' ? await this.idps.active(tenant.id) : null;
    return idp && tenant ? [{ tenant: tenant.slug, name: idp.displayName }] : [];
  }

  /** Sets the attempt cookie and returns where to send the browser. */
  async start(tenantSlug: string, returnTo: string, res: Response): Promise<string> {
    const tenant = slugSchema.safeParse(tenantSlug).success
      ? await this.tenants.findBySlug(tenantSlug)
      : null;
    const idp = tenant?.status === 'active' ? await this.idps.active(tenant.id) : null;
    if (!tenant || !idp) throw new NotFoundError(`single sign-on for "${tenantSlug}"`);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    let url: URL;
    try {
      url = await this.client.authorizationUrl(idp, {
        redirectUri: this.idps.redirectUri,
        state,
        nonce,
        codeVerifier,
      });
    } catch (e) {
      if (e instanceof UpstreamOidcError) {
        throw new DomainError('unavailable', `${idp.displayName} cannot be reached: ${e.message}`);
      }
      throw e;
    }
    const expiresAt = Date.now() + ATTEMPT_TTL_MS;
    const attempt: UpstreamAttempt = {
      uid: '',
      tenantId: tenant.id,
      configVersion: idp.version,
      nonce,
      codeVerifier,
      expiresAt,
      purpose: 'admin',
      returnTo,
    };
    res.cookie(attemptCookieName(state), this.sealer.seal(state, attempt), {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: UPSTREAM_CALLBACK_PATH,
      maxAge: ATTEMPT_TTL_MS,
    });
    return url.href;
  }

  /** The provider's answer, at the shared callback: a session and back to the dashboard, or the reason. */
  private async finish(
    req: Request,
    res: Response,
    state: string,
    attempt: UpstreamAttempt,
  ): Promise<InteractionOutcome> {
    const ip = req.ip ?? 'unknown';
    const ipKey = `oidc-callback@${ip}`;
    const back = (reason?: string): InteractionOutcome => {
      const target = new URL(attempt.returnTo ?? '/admin/', this.config.publicUrl);
      if (reason) target.searchParams.set('signin_error', reason);
      res.redirect(303, `${target.pathname}${target.search}`);
      return { kind: 'finished' };
    };
    const tenant = await this.tenants.findById(attempt.tenantId);
    const idp = tenant?.status === 'active' ? await this.idps.active(tenant.id) : null;
    if (!tenant || !idp || idp.version !== attempt.configVersion) {
      await this.record(attempt.tenantId, null, 'failure', { reason: 'configuration_changed' });
      return back('configuration_changed');
    }
    let email: string | null = null;
    try {
      const callbackUrl = new URL(`${this.config.publicUrl}${UPSTREAM_CALLBACK_PATH}`);
      const query = req.originalUrl.indexOf('?');
      callbackUrl.search = query === -1 ? '' : req.originalUrl.slice(query);
      const identity = await this.client.redeem(idp, callbackUrl, {
        state,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
        emailClaim: idp.emailClaim,
      });
      email = this.upstream.emailOf(idp, identity.claims);
      const { userId } = await this.upstream.member(
        idp,
        { tenantId: tenant.id, tenantSlug: tenant.slug, tenantName: tenant.name },
        email,
      );
      // The session records its own sign-in (signin.success, method oidc) in this tenant's log.
      const { token, session } = await this.sessions.open(
        { userId, method: 'oidc', tenantId: tenant.id },
        { ip, userAgent: req.headers['user-agent'] ?? null },
      );
      this.cookie.set(res, token, session.expiresAt);
      await this.throttle.recordSuccess(ipKey, ip);
      return back();
    } catch (e) {
      const reason = e instanceof Refusal ? e.reason : e instanceof UpstreamOidcError ? e.reason : null;
      if (reason === null) throw e;
      if (reason === 'invalid_response' || reason === 'token_failed')
        await this.throttle.recordFailure(ipKey, ip);
      await this.record(tenant.id, email, e instanceof Refusal && e.status === 403 ? 'denied' : 'failure', {
        reason,
      });
      return back(reason);
    }
  }

  private async record(
    tenantId: string,
    email: string | null,
    outcome: 'failure' | 'denied',
    data: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.audit.record({
        tenantId,
        kind: 'auth',
        action: 'signin.failure',
        actor: { type: 'user', id: null },
        target: email,
        outcome,
        data: { method: 'oidc', surface: 'admin', ...data },
      });
    } catch (e) {
      this.logger.error({ msg: 'could not record an audit event', err: (e as Error).message });
    }
  }
}
