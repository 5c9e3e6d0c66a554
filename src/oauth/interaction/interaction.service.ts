import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { Request, Response } from 'express';
import type { Client, InteractionResults } from 'oidc-provider';
import { AuditRecorder, type AuditEventInput } from '../../audit/audit.contract.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import { OAuthServer } from '../oauth-server.service.js';
import { MCP_SCOPES } from '../oauth-urls.js';
import { singleResource, type ResolvedResource } from '../provider-config.js';
import { OAuthPayloadRepository } from '../store/oauth-payload.repository.js';
import { IdentityProviderService } from '../upstream/identity-provider.service.js';
import { consentPage, errorPage, signInPage, type ClientView, type TargetView } from '../views/pages.js';
import { PasswordSignInService } from './password-sign-in.service.js';

/** A page to send, or `finished` when oidc-provider already answered (a redirect back into the flow). */
export type InteractionOutcome =
  | {
      readonly kind: 'page';
      readonly status: number;
      readonly html: string;
      readonly formTargets: readonly string[];
    }
  | { readonly kind: 'finished' };

type Details = Awaited<ReturnType<OAuthServer['provider']['interactionDetails']>>;

interface Context {
  readonly details: Details;
  readonly uid: string;
  readonly csrf: string;
  readonly client: ClientView;
  readonly target: ResolvedResource;
  readonly targetView: TargetView;
  /** Where the browser ends up after a form post (for the page's CSP form-action). */
  readonly formTargets: readonly string[];
}

const GRANTABLE = new Set<string>(MCP_SCOPES);

/** The sign-in and consent steps of an authorization request (server-rendered pages). */
@Injectable()
export class InteractionService {
  private readonly logger = new Logger(InteractionService.name);

  constructor(
    private readonly server: OAuthServer,
    private readonly signIn: PasswordSignInService,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly rbac: RbacService,
    private readonly payloads: OAuthPayloadRepository,
    private readonly audit: AuditRecorder,
    private readonly idps: IdentityProviderService,
  ) {}

  async show(req: Request, res: Response): Promise<InteractionOutcome> {
    const ctx = await this.context(req, res);
    if ('kind' in ctx) return ctx;
    if (ctx.details.prompt.name === 'login') return this.signInPage(ctx, 200, '', null);
    if (ctx.details.prompt.name !== 'consent') return this.error(400, 'This sign-in step is not supported.');
    const access = await this.accessCheck(ctx);
    if ('kind' in access) return access;
    const requested = String(ctx.details.params.scope ?? '')
      .split(' ')
      .filter((s) => GRANTABLE.has(s));
    return this.page(
      ctx,
      200,
      consentPage({
        uid: ctx.uid,
        csrf: ctx.csrf,
        client: ctx.client,
        target: ctx.targetView,
        accountEmail: access.email,
        role: access.role,
        scopes: requested.length ? requested : ['mcp'],
      }),
    );
  }

  async login(req: Request, res: Response): Promise<InteractionOutcome> {
    const ctx = await this.context(req, res);
    if ('kind' in ctx) return ctx;
    if (!this.server.csrf.verify(ctx.uid, body(req).csrf)) return this.forgery();
    if (ctx.details.prompt.name !== 'login')
      return this.error(400, 'You are already signed in; go back to the application.');
    const result = await this.signIn.authenticate(req, res);
    const email = typeof body(req).email === 'string' ? String(body(req).email).slice(0, 320) : '';
    if (!result.ok) {
      await this.record({
        tenantId: ctx.target.tenantId,
        kind: 'auth',
        action: 'signin.failure',
        actor: { type: 'user', id: result.userId },
        target: result.account || null,
        outcome: result.reason === 'invalid' ? 'failure' : 'denied',
        data: { method: 'password', reason: result.reason, clientId: ctx.client.id, ip: req.ip },
      });
      const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
      const message =
        result.reason === 'invalid'
          ? 'The email or password is incorrect.'
          : `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      return this.signInPage(ctx, result.reason === 'invalid' ? 401 : 429, email, message);
    }
    await this.record({
      tenantId: ctx.target.tenantId,
      kind: 'auth',
      action: 'signin.success',
      actor: { type: 'user', id: result.userId },
      target: result.email,
      outcome: 'success',
      data: { method: 'password', clientId: ctx.client.id, ip: req.ip },
    });
    return this.finish(req, res, { login: { accountId: result.userId, amr: ['pwd'] } }, false);
  }

  async confirm(req: Request, res: Response): Promise<InteractionOutcome> {
    const ctx = await this.context(req, res);
    if ('kind' in ctx) return ctx;
    if (!this.server.csrf.verify(ctx.uid, body(req).csrf)) return this.forgery();
    if (ctx.details.prompt.name !== 'consent')
      return this.error(400, 'There is nothing to approve at this step.');
    const access = await this.accessCheck(ctx);
    if ('kind' in access) return access;
    const { Grant } = this.server.provider;
    const { details } = ctx;
    const accountId = details.session?.accountId as string;
    const existing = details.grantId ? await Grant.find(details.grantId) : undefined;
    const grant = existing ?? new Grant({ accountId, clientId: ctx.client.id });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      // Only the endpoint this request is for; the tenant tag below must hold for the whole grant.
      if (indicator !== ctx.target.resource) continue;
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await this.payloads.tagGrant({ tenantId: ctx.target.tenantId }, grantId);
    await this.record({
      tenantId: ctx.target.tenantId,
      kind: 'auth',
      action: 'consent.granted',
      actor: { type: 'user', id: accountId },
      target: ctx.target.endpointSlug,
      outcome: 'success',
      data: {
        clientId: ctx.client.id,
        clientKind: ctx.client.kind,
        grantId,
        scopes: Object.values(missing.missingResourceScopes ?? {}).flat(),
      },
    });
    return this.finish(req, res, { consent: { grantId } }, true);
  }

  async abort(req: Request, res: Response): Promise<InteractionOutcome> {
    const ctx = await this.context(req, res);
    if ('kind' in ctx) return ctx;
    if (!this.server.csrf.verify(ctx.uid, body(req).csrf)) return this.forgery();
    await this.record({
      tenantId: ctx.target.tenantId,
      kind: 'auth',
      action: 'consent.denied',
      actor: { type: 'user', id: (ctx.details.session?.accountId as string | undefined) ?? null },
      target: ctx.target.endpointSlug,
      outcome: 'denied',
      data: { clientId: ctx.client.id, stage: ctx.details.prompt.name },
    });
    return this.finish(
      req,
      res,
      { error: 'access_denied', error_description: 'The user denied the request' },
      false,
    );
  }

  /** Loads the interaction named in the URL (bound to this browser by its cookie) and what it is about. */
  async context(req: Request, res: Response): Promise<Context | InteractionOutcome> {
    const { provider } = this.server;
    let details: Details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return this.error(
        400,
        'This sign-in page has expired or was opened in another browser. Go back to the application and connect again.',
      );
    }
    if (details.uid !== req.params.uid)
      return this.error(400, 'This sign-in page does not match your current sign-in.');
    const clientId = String(details.params.client_id ?? '');
    let client: Client | undefined;
    try {
      client = await provider.Client.find(clientId);
    } catch {
      client = undefined;
    }
    if (!client) return this.error(400, 'The application is not registered (or its registration expired).');
    const resource = singleResource(details.params.resource);
    const target = resource ? await this.server.resolveResource(resource) : null;
    if (!target) return this.error(400, 'The application asked for an endpoint that does not exist.');
    const redirectUri = String(details.params.redirect_uri ?? '');
    const redirect = URL.parse(redirectUri);
    const isCimd =
      (client as Client & { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument === true;
    return {
      details,
      uid: details.uid,
      csrf: this.server.csrf.issue(details.uid),
      client: {
        id: client.clientId,
        name: client.clientName ?? client.clientId,
        uri: client.clientUri ?? null,
        kind: isCimd ? 'cimd' : 'dcr',
        redirectHost: redirect ? redirect.host || redirect.protocol : redirectUri,
      },
      target,
      targetView: {
        tenantName: target.tenantName,
        tenantSlug: target.tenantSlug,
        endpointName: target.endpointName,
        resource: target.resource,
      },
      formTargets: redirect ? [redirect.host ? redirect.origin : redirect.protocol] : [],
    };
  }

  /** The signed-in user must be a member of the tenant, allowed on this endpoint. */
  private async accessCheck(ctx: Context): Promise<{ email: string; role: string } | InteractionOutcome> {
    const accountId = ctx.details.session?.accountId;
    const abort = { uid: ctx.uid, csrf: ctx.csrf, clientName: ctx.client.name };
    if (typeof accountId !== 'string') return this.error(400, 'You are not signed in.');
    const [user, membership] = await Promise.all([
      this.users.findById(accountId),
      this.memberships.find({ tenantId: ctx.target.tenantId }, accountId),
    ]);
    if (!user || user.disabled || !membership) {
      return this.page(
        ctx,
        403,
        errorPage({
          title: 'Not a member',
          message: `${user?.email ?? 'This account'} is not a member of ${ctx.target.tenantName}. Ask one of its admins to add you.`,
          abort,
        }),
      );
    }
    const principal: Principal = {
      kind: 'user',
      id: accountId,
      tenantId: ctx.target.tenantId,
      userId: accountId,
      role: membership.role,
      scopes: ['mcp'],
    };
    await this.rbac.prepare(ctx.target.tenantId);
    if (!this.rbac.can(principal, 'endpoint:use', { endpointId: ctx.target.endpointId })) {
      return this.page(
        ctx,
        403,
        errorPage({
          title: 'No access to this endpoint',
          message: `Your access to ${ctx.target.endpointName} in ${ctx.target.tenantName} is restricted. Ask one of its admins.`,
          abort,
        }),
      );
    }
    return { email: user.email, role: membership.role };
  }

  private async signInPage(
    ctx: Context,
    status: number,
    email: string,
    error: string | null,
  ): Promise<InteractionOutcome> {
    const sso = await this.idps.signInOption(ctx.target.tenantId);
    const html = signInPage({
      uid: ctx.uid,
      csrf: ctx.csrf,
      client: ctx.client,
      target: ctx.targetView,
      email,
      error,
      sso,
    });
    // "Continue with …" posts here and is redirected to the identity provider: form-action must allow it.
    return sso
      ? { kind: 'page', status, html, formTargets: [...ctx.formTargets, sso.formTarget] }
      : this.page(ctx, status, html);
  }

  private page(ctx: Context, status: number, html: string): InteractionOutcome {
    return { kind: 'page', status, html, formTargets: ctx.formTargets };
  }

  private error(status: number, message: string): InteractionOutcome {
    return { kind: 'page', status, html: errorPage({ title: 'Cannot continue', message }), formTargets: [] };
  }

  private forgery(): InteractionOutcome {
    return this.error(403, 'The form could not be verified. Reload the page and try again.');
  }

  private async finish(
    req: Request,
    res: Response,
    result: InteractionResults,
    merge: boolean,
  ): Promise<InteractionOutcome> {
    await this.server.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: merge });
    return { kind: 'finished' };
  }

  private async record(event: AuditEventInput): Promise<void> {
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

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}
