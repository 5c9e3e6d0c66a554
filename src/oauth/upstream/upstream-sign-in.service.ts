import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import { AuditRecorder, SYSTEM_ACTOR, type AuditEventInput } from '../../audit/audit.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import { loadCookieKeys } from '../cookie-keys.js';
import { InteractionService, type InteractionOutcome } from '../interaction/interaction.service.js';
import { OAuthServer } from '../oauth-server.service.js';
import { singleResource, type ResolvedResource } from '../provider-config.js';
import { errorPage } from '../views/pages.js';
import {
  IdentityProviderService,
  UPSTREAM_CALLBACK_PATH,
  type ActiveIdentityProvider,
} from './identity-provider.service.js';
import { upstreamAcr } from './tenant-bound-session.js';
import { UpstreamOidcClient, UpstreamOidcError } from './upstream-oidc.client.js';
import {
  attemptCookieName,
  isWellFormedState,
  readCookie,
  UpstreamStateSealer,
  type UpstreamAttempt,
} from './upstream-state.js';

/** How long a person has at their identity provider before the attempt is void. */
const ATTEMPT_TTL_MS = 10 * 60_000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
/** Failures that are the provider's (or the network's), not the person's: 502. */
const UNREACHABLE = new Set<string>(['address_refused', 'discovery_failed']);

type Interaction = InstanceType<OAuthServer['provider']['Interaction']>;

/** Finishes a dashboard sign-in at the shared callback (state checked, attempt opened). */
export type DashboardCallback = (
  req: Request,
  res: Response,
  state: string,
  attempt: UpstreamAttempt,
) => Promise<InteractionOutcome>;

/** A refusal: what the audit log records and what the person reads. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly message: string,
  ) {}
}

/**
 * Sign-in through a tenant's own OpenID Connect provider: "Continue with …" on the sign-in page starts
 * an authorization code flow (PKCE S256, state, nonce) bound to the interaction and to this browser; the
 * callback at the fixed `/oauth/upstream/callback` checks it all (openid-client), maps the verified email
 * to a member of the tenant (or makes one, when the tenant turned first-sign-in membership on) and
 * finishes the interaction with the same login result shape as a password sign-in, so consent follows.
 */
@Injectable()
export class UpstreamSignInService implements OnModuleInit {
  private readonly logger = new Logger(UpstreamSignInService.name);
  private sealer!: UpstreamStateSealer;
  private readonly secureCookies: boolean;
  private dashboard: DashboardCallback | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly server: OAuthServer,
    private readonly interactions: InteractionService,
    private readonly idps: IdentityProviderService,
    private readonly client: UpstreamOidcClient,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly tenancy: TenancyService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditRecorder,
  ) {
    this.secureCookies = config.publicUrl.startsWith('https:');
  }

  /**
   * Dashboard sign-ins share the fixed redirect URI registered at the tenant's identity provider: their
   * attempts (purpose `admin`) are handed to the admin API, which registers here.
   */
  onDashboardCallback(handler: DashboardCallback): void {
    this.dashboard = handler;
  }

  async onModuleInit(): Promise<void> {
    // The same keys as the authorization server's cookies (configured, or generated once into the data folder).
    this.sealer = new UpstreamStateSealer((await loadCookieKeys(this.config)).keys);
  }

  /** POST /interaction/:uid/sso: off to the tenant's identity provider. */
  async start(req: Request, res: Response): Promise<InteractionOutcome> {
    const ctx = await this.interactions.context(req, res);
    if ('kind' in ctx) return ctx;
    const { uid, target } = ctx;
    const csrf = (req.body as Record<string, unknown> | undefined)?.csrf;
    if (!this.server.csrf.verify(uid, csrf)) {
      return page(403, 'Cannot continue', 'The form could not be verified. Reload the page and try again.');
    }
    if (ctx.details.prompt.name !== 'login') {
      return page(400, 'Cannot continue', 'You are already signed in; go back to the application.');
    }
    const idp = await this.idps.active(target.tenantId);
    if (!idp) {
      return page(
        404,
        'Cannot continue',
        `${target.tenantName} does not sign in through an identity provider.`,
      );
    }
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
      const reason = e instanceof UpstreamOidcError ? e.reason : 'error';
      const message =
        e instanceof UpstreamOidcError ? e.message : 'The identity provider could not be reached.';
      await this.record(target, idp, req, null, {
        outcome: 'failure',
        reason,
        stage: 'start',
        clientId: ctx.client.id,
      });
      return page(502, `Cannot reach ${idp.displayName}`, message);
    }
    const expiresAt = Math.min(Date.now() + ATTEMPT_TTL_MS, ctx.details.exp * 1000);
    const sealed = this.sealer.seal(state, {
      uid,
      tenantId: target.tenantId,
      configVersion: idp.version,
      nonce,
      codeVerifier,
      expiresAt,
    });
    res.cookie(attemptCookieName(state), sealed, {
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET from its own site.
      sameSite: 'lax',
      secure: this.secureCookies,
      path: UPSTREAM_CALLBACK_PATH,
      maxAge: Math.max(1_000, expiresAt - Date.now()),
    });
    res.redirect(303, url.href);
    return { kind: 'finished' };
  }

  /** GET /oauth/upstream/callback: the provider's answer. */
  async callback(req: Request, res: Response): Promise<InteractionOutcome> {
    const ip = req.ip ?? 'unknown';
    const ipKey = `oidc-callback@${ip}`;
    const decision = await this.throttle.check(ipKey, ip);
    if (!decision.allowed) {
      this.logger.warn({ msg: 'upstream sign-in callback throttled', ip });
      res.set('Retry-After', String(decision.retryAfterSeconds));
      const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
      return page(
        429,
        'Sign-in failed',
        `Too many failed sign-ins from here. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    if (!isWellFormedState(state)) {
      await this.throttle.recordFailure(ipKey, ip);
      return page(
        400,
        'Sign-in failed',
        'This sign-in response is incomplete. Start again from the application.',
      );
    }
    const cookieName = attemptCookieName(state);
    const sealed = readCookie(req.headers.cookie, cookieName);
    res.clearCookie(cookieName, {
      path: UPSTREAM_CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
    });
    const attempt = sealed ? this.sealer.open(state, sealed) : null;
    if (attempt?.purpose === 'admin' && this.dashboard) return this.dashboard(req, res, state, attempt);
    if (!attempt || attempt.purpose === 'admin') {
      await this.throttle.recordFailure(ipKey, ip);
      this.logger.warn({ msg: 'upstream sign-in response without a matching attempt in this browser', ip });
      return page(
        400,
        'Sign-in failed',
        'This sign-in response does not match a sign-in started in this browser, or it has expired. Start again from the application.',
      );
    }

    const interaction = await this.server.provider.Interaction.find(attempt.uid);
    const resource = singleResource(interaction?.params.resource);
    const target = resource ? await this.server.resolveResource(resource) : null;
    if (
      !interaction ||
      !target ||
      interaction.prompt.name !== 'login' ||
      target.tenantId !== attempt.tenantId
    ) {
      return page(
        400,
        'Sign-in failed',
        'This sign-in has expired or was already completed. Go back to the application and connect again.',
      );
    }
    const clientId = String(interaction.params.client_id ?? '');
    const idp = await this.idps.active(target.tenantId);
    if (!idp || idp.version !== attempt.configVersion) {
      await this.record(target, idp, req, null, {
        outcome: 'failure',
        reason: 'configuration_changed',
        clientId,
      });
      return this.refused(
        interaction,
        new Refusal(
          400,
          'configuration_changed',
          `${target.tenantName} changed its sign-in settings meanwhile. Start again.`,
        ),
      );
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
      email = this.emailOf(idp, identity.claims);
      const { userId, joined } = await this.member(idp, target, email);
      interaction.result = { login: { accountId: userId, amr: ['fed'], acr: upstreamAcr(target.tenantId) } };
      await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
      await this.throttle.recordSuccess(ipKey, ip);
      await this.record(
        target,
        idp,
        req,
        { id: userId, email },
        {
          outcome: 'success',
          subject: identity.subject,
          clientId,
          ...(joined ? { joinedAs: idp.jitRole } : {}),
        },
      );
      res.redirect(303, interaction.returnTo);
      return { kind: 'finished' };
    } catch (e) {
      const refusal =
        e instanceof Refusal
          ? e
          : e instanceof UpstreamOidcError
            ? new Refusal(UNREACHABLE.has(e.reason) ? 502 : 400, e.reason, e.message)
            : null;
      if (!refusal) throw e;
      // Forged or replayed responses count toward this address's limit; an identity the tenant's rules
      // turn away (domain, membership) is not a guess and does not.
      if (refusal.reason === 'invalid_response' || refusal.reason === 'token_failed') {
        await this.throttle.recordFailure(ipKey, ip);
      }
      await this.record(target, idp, req, email ? { id: null, email } : null, {
        outcome: refusal.status === 403 ? 'denied' : 'failure',
        reason: refusal.reason,
        clientId,
      });
      return this.refused(interaction, refusal);
    }
  }

  /** The verified email in the configured claim, checked against the tenant's rules (throws a Refusal). */
  emailOf(idp: ActiveIdentityProvider, claims: Readonly<Record<string, unknown>>): string {
    const raw = claims[idp.emailClaim];
    const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!EMAIL.test(email)) {
      throw new Refusal(
        400,
        'no_email',
        `${idp.displayName} did not say which email address you signed in with.`,
      );
    }
    const verified = claims.email_verified;
    if (idp.requireEmailVerified && verified !== true && verified !== 'true') {
      throw new Refusal(
        403,
        'email_unverified',
        `${idp.displayName} has not verified the email address ${email}.`,
      );
    }
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (idp.allowedDomains.length > 0 && !idp.allowedDomains.includes(domain)) {
      throw new Refusal(
        403,
        'domain_not_allowed',
        `Accounts of ${domain} cannot sign in through ${idp.displayName} here.`,
      );
    }
    return email;
  }

  /** The member this email is, or (first-sign-in membership on) the member it becomes (or a Refusal). */
  async member(
    idp: ActiveIdentityProvider,
    target: Pick<ResolvedResource, 'tenantId' | 'tenantSlug' | 'tenantName'>,
    email: string,
  ): Promise<{ userId: string; joined: boolean }> {
    const user = await this.users.findByEmail(email);
    if (user?.disabled) throw new Refusal(403, 'account_disabled', `The account ${email} is disabled.`);
    const membership = user ? await this.memberships.find({ tenantId: target.tenantId }, user.id) : null;
    if (user && membership) return { userId: user.id, joined: false };
    // emailOf already required an allowed domain, and JIT is only configurable with domains.
    if (idp.jitRole !== null && idp.allowedDomains.length > 0) {
      const added = await this.tenancy.addMember(target.tenantSlug, email, idp.jitRole, SYSTEM_ACTOR);
      return { userId: added.user.id, joined: true };
    }
    throw new Refusal(
      403,
      'not_member',
      `${email} is not a member of ${target.tenantName}. Ask one of its admins to add you.`,
    );
  }

  /** An error page that still lets the person return to the application (with `access_denied`). */
  private async refused(interaction: Interaction, refusal: Refusal): Promise<InteractionOutcome> {
    const clientId = String(interaction.params.client_id ?? '');
    const client = await this.server.provider.Client.find(clientId).catch(() => undefined);
    const redirect = URL.parse(String(interaction.params.redirect_uri ?? ''));
    return {
      kind: 'page',
      status: refusal.status,
      html: errorPage({
        title: 'Sign-in failed',
        message: refusal.message,
        abort: {
          uid: interaction.uid,
          csrf: this.server.csrf.issue(interaction.uid),
          clientName: client?.clientName ?? clientId,
        },
      }),
      formTargets: redirect ? [redirect.host ? redirect.origin : redirect.protocol] : [],
    };
  }

  private async record(
    target: ResolvedResource,
    idp: ActiveIdentityProvider | null,
    req: Request,
    user: { readonly id: string | null; readonly email: string } | null,
    detail: { readonly outcome: 'success' | 'failure' | 'denied'; readonly [key: string]: unknown },
  ): Promise<void> {
    const { outcome, ...data } = detail;
    const event: AuditEventInput = {
      tenantId: target.tenantId,
      kind: 'auth',
      action: outcome === 'success' ? 'signin.success' : 'signin.failure',
      actor: { type: 'user', id: user?.id ?? null },
      target: user?.email ?? null,
      outcome,
      data: {
        method: 'oidc',
        issuer: idp?.issuer ?? null,
        endpoint: target.endpointSlug,
        ip: req.ip,
        ...data,
      },
    };
    try {
      await this.audit.record(event);
    } catch (e) {
      this.logger.error({
        msg: 'could not record an audit event',
        action: event.action,
        err: (e as Error).message,
      });
    }
  }
}

function page(status: number, title: string, message: string): InteractionOutcome {
  return { kind: 'page', status, html: errorPage({ title, message }), formTargets: [] };
}
