import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AuthorizationStrategyError,
  authorizationHook,
  CheckInputError,
  runCheck,
  type CheckEvent,
  type CheckOptions,
  type CheckReport,
} from '@switchboard/checker';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { DomainError, InvalidArgumentError, NotFoundError } from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { JsonObject } from '../../jobs/job.repository.js';
import { JobsService, type JobContext } from '../../jobs/jobs.service.js';
import {
  DelegatedAuthorizationService,
  DelegationRefusedError,
} from '../../oauth/interaction/delegated-authorization.service.js';
import { OAuthServer } from '../../oauth/oauth-server.service.js';
import { resourceUrlFor } from '../../oauth/oauth-urls.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { ADMIN_API_PREFIX } from '../http/route-spec.js';
import { jobView } from '../jobs/job-admin.service.js';
import type { JobView } from '../jobs/job.schemas.js';
import { CheckCallbacks } from './check-callbacks.js';
import { CheckEgress } from './check-egress.js';
import { CheckProgressTracker } from './check-progress.js';

/** Checks of one tenant running at once; more wait for one to finish (each holds sockets and a job). */
export const MAX_RUNNING_CHECKS = 3;
/** How long a check of another server waits for someone to sign in there. */
export const EXTERNAL_SIGN_IN_WAIT_MS = 5 * 60_000;
const OWN_SIGN_IN_WAIT_MS = 60_000;
export const CALLBACK_PATH = '/checks/callback';

export interface CheckRequest {
  readonly endpoint: string;
  readonly url?: string;
  readonly burst?: number;
}

/** SHA-256 of an OAuth state: how the callback finds its job without the state being stored. */
export function callbackKeyOf(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

interface Target {
  readonly url: string;
  /** One of this tenant's endpoints (signed in as the caller), or someone else's server. */
  readonly own: { readonly endpointSlug: string } | null;
}

/**
 * Runs the connection checker from the server as a background job. Our own endpoints are checked
 * signed in as the requesting member without a browser (a delegated authorization for that check's
 * client and endpoint only, removed when the check ends); any other URL goes through the SSRF guard, and
 * its sign-in is done by a person who opens the link the job's progress shows, the server coming back to
 * `/api/v1/checks/callback`.
 */
@Injectable()
export class CheckAdminService {
  private readonly logger = new Logger(CheckAdminService.name);
  readonly callbackUrl: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly tenancy: TenancyService,
    private readonly oauth: OAuthServer,
    private readonly delegated: DelegatedAuthorizationService,
    private readonly egress: CheckEgress,
    private readonly callbacks: CheckCallbacks,
    private readonly audit: AuditRecorder,
    private readonly throttle: LoginThrottle,
  ) {
    this.callbackUrl = `${config.publicUrl}${ADMIN_API_PREFIX}${CALLBACK_PATH}`;
  }

  async start(ctx: TenantContext, req: CheckRequest): Promise<JobView> {
    const scope = { tenantId: ctx.tenant.id };
    const target = await this.target(ctx, req);
    const userId = ctx.principal.userId;
    if (target.own && userId === null) {
      throw new DomainError(
        'failed_precondition',
        'checking one of our endpoints signs in as you, and this API key belongs to no user: use a key created for a member, or the dashboard',
        { reason: 'no_user' },
      );
    }
    if ((await this.jobs.countActive(scope, 'check')) >= MAX_RUNNING_CHECKS) {
      throw new DomainError(
        'rate_limited',
        `${MAX_RUNNING_CHECKS} checks are already running for this tenant; wait for one to finish or cancel one`,
        { retryAfterSeconds: 10 },
      );
    }
    const tracker = new CheckProgressTracker();
    const row = await this.jobs.start(
      scope,
      { kind: 'check', actor: ctx.actor, progress: tracker.snapshot() },
      (job) => this.run(ctx, target, req, userId, tracker, job),
    );
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action: 'check.start',
      actor: ctx.actor,
      target: target.url,
      outcome: 'success',
      data: { jobId: row.id, endpoint: target.own?.endpointSlug ?? null, external: target.own === null },
    });
    return jobView(row);
  }

  /**
   * The browser came back from another server's sign-in. The OAuth `state` names the check (by its hash);
   * an unknown, finished or already used one is refused, so a redirect cannot be replayed or steered into
   * another check. The code goes to the waiting check and nowhere else.
   */
  async completeSignIn(
    query: string,
    ip: string,
  ): Promise<{ readonly status: number; readonly title: string; readonly message: string }> {
    const account = `check-callback@${ip}`;
    const decision = await this.throttle.check(account, ip);
    if (!decision.allowed) {
      return {
        status: 429,
        title: 'Too many attempts',
        message: 'Wait a few minutes, then run the check again.',
      };
    }
    const params = new URLSearchParams(query);
    const state = params.get('state');
    const claimed = state && state.length <= 512 ? await this.jobs.claimCallback(callbackKeyOf(state)) : null;
    if (!claimed) {
      await this.throttle.recordFailure(account, ip);
      return {
        status: 400,
        title: 'Not a running check',
        message:
          'This sign-in does not belong to a connection check that is waiting for one: it may have finished, been cancelled, or this page was already used. Run the check again from the dashboard.',
      };
    }
    const delivered = await this.callbacks.deliver(claimed.id, `${this.callbackUrl}?${params.toString()}`);
    if (!delivered) {
      return {
        status: 409,
        title: 'The check stopped waiting',
        message:
          'The connection check is no longer waiting for this sign-in. Run it again from the dashboard.',
      };
    }
    return {
      status: 200,
      title: 'Signed in',
      message: params.has('error')
        ? 'The server refused the sign-in; the connection check reports why. You can close this tab.'
        : 'The connection check goes on with this sign-in. You can close this tab.',
    };
  }

  private async target(ctx: TenantContext, req: CheckRequest): Promise<Target> {
    if (req.url !== undefined) {
      const u = URL.parse(req.url);
      if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) {
        throw new InvalidArgumentError('url must be an http(s) URL', { issues: ['url: not an http(s) URL'] });
      }
      if (u.username || u.password || u.hash) {
        throw new InvalidArgumentError('url must not contain credentials or a fragment');
      }
      const own = await this.oauth.resolveResource(req.url);
      if (own && own.tenantId === ctx.tenant.id)
        return { url: req.url, own: { endpointSlug: own.endpointSlug } };
      return { url: req.url, own: null };
    }
    const d = await this.tenancy.resolveEndpoint(
      ctx.tenant.slug,
      req.endpoint === 'default' ? null : req.endpoint,
    );
    if (!d) throw new NotFoundError(`endpoint "${req.endpoint}"`);
    return { url: resourceUrlFor(this.config.publicUrl, d.path), own: { endpointSlug: d.endpoint.slug } };
  }

  private async run(
    ctx: TenantContext,
    target: Target,
    req: CheckRequest,
    userId: string | null,
    tracker: CheckProgressTracker,
    job: JobContext,
  ): Promise<JsonObject> {
    const left = {
      clientId: null as string | null,
      grantId: null as string | null,
      sessionId: null as string | null,
    };
    const onEvent = (event: CheckEvent) => {
      if (event.type === 'step-finished' && event.step.id === 'client-registration') {
        const id = event.step.data?.clientId;
        if (typeof id === 'string') left.clientId = id;
      }
      if (event.type === 'step-finished' && event.step.id === 'authorization' && !target.own) {
        void this.jobs.setCallbackKey({ tenantId: ctx.tenant.id }, job.id, null);
      }
      if (tracker.apply(event)) job.progress(tracker.snapshot());
    };
    const options: CheckOptions = {
      url: target.url,
      signal: job.signal,
      clientName: 'Switchboard connection check',
      ...(req.burst !== undefined && { burst: req.burst }),
      auth: {
        kind: 'oauth',
        strategy: target.own
          ? this.ownStrategy(ctx, target, userId as string, left)
          : this.externalStrategy(ctx, job, tracker),
      },
      // Our own URL is built from configuration, not user input; anything else passes the SSRF guard.
      ...(target.own ? {} : { fetch: this.egress.fetch, inspectTls: this.egress.inspectTls }),
    };
    let report: CheckReport;
    try {
      report = await runCheck(options, onEvent);
    } catch (e) {
      if (e instanceof CheckInputError) throw new InvalidArgumentError(e.message);
      throw e;
    } finally {
      this.callbacks.forget(job.id);
      if (target.own && userId) {
        await this.delegated
          .revoke({ tenantId: ctx.tenant.id, userId, ...left })
          .catch((e: unknown) =>
            this.logger.error({
              msg: 'could not remove what a check signed in with',
              jobId: job.id,
              err: (e as Error).message,
            }),
          );
      }
    }
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action: 'check.finish',
      actor: ctx.actor,
      target: target.url,
      outcome: report.outcome === 'pass' ? 'success' : 'failure',
      data: { jobId: job.id, outcome: report.outcome, failedSteps: [...report.summary.failedSteps] },
    });
    return report as unknown as JsonObject;
  }

  /** Signs in as the member who asked, server-side, for this check's client and endpoint only. */
  private ownStrategy(
    ctx: TenantContext,
    target: Target,
    userId: string,
    left: { clientId: string | null; grantId: string | null; sessionId: string | null },
  ) {
    return authorizationHook(
      async (authorizationUrl, redirectUri, signal) => {
        left.clientId ??= authorizationUrl.searchParams.get('client_id');
        try {
          const done = await this.delegated.authorize({
            authorizationUrl,
            redirectUri,
            userId,
            tenantId: ctx.tenant.id,
            resource: authorizationUrl.searchParams.get('resource') ?? target.url,
            signal,
            onCreated: (part) => {
              if (part.grantId) left.grantId = part.grantId;
              if (part.sessionId) left.sessionId = part.sessionId;
            },
          });
          return done.redirect;
        } catch (e) {
          if (e instanceof DelegationRefusedError) {
            throw new AuthorizationStrategyError(
              `signing in as you was refused: ${e.message}`,
              'Check that you are a member allowed on this endpoint (access rules) and that your account is enabled.',
            );
          }
          throw new AuthorizationStrategyError(
            `signing in as you failed: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      },
      { redirectUri: this.callbackUrl, waitMs: OWN_SIGN_IN_WAIT_MS, name: 'switchboard-member' },
    );
  }

  /** Shows the authorization link in the job's progress and waits for the browser to come back. */
  private externalStrategy(ctx: TenantContext, job: JobContext, tracker: CheckProgressTracker) {
    return authorizationHook(
      async (authorizationUrl, _redirectUri, signal) => {
        const state = authorizationUrl.searchParams.get('state');
        if (!state) throw new AuthorizationStrategyError('the authorization request has no state');
        await this.jobs.setCallbackKey({ tenantId: ctx.tenant.id }, job.id, callbackKeyOf(state));
        tracker.requireAction({
          kind: 'open-authorization-url',
          url: authorizationUrl.href,
          waitMs: EXTERNAL_SIGN_IN_WAIT_MS,
        });
        job.progress(tracker.snapshot());
        try {
          return await this.callbacks.wait(job.id, signal);
        } finally {
          tracker.clearAction();
          job.progress(tracker.snapshot());
        }
      },
      { redirectUri: this.callbackUrl, waitMs: EXTERNAL_SIGN_IN_WAIT_MS, name: 'browser' },
    );
  }
}
