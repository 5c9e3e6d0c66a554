import { Inject, Injectable } from '@nestjs/common';
import {
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
import { OAuthServer } from '../../oauth/oauth-server.service.js';
import { resourceUrlFor } from '../../oauth/oauth-urls.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { jobView } from '../jobs/job-admin.service.js';
import type { JobView } from '../jobs/job.schemas.js';
import { CheckEgress } from './check-egress.js';
import { CheckProgressTracker } from './check-progress.js';
import { CheckSignIn, type LeftBehind } from './check-sign-in.service.js';

/** Checks of one tenant running at once; more wait for one to finish (each holds sockets and a job). */
export const MAX_RUNNING_CHECKS = 3;
export interface CheckRequest {
  readonly endpoint: string;
  readonly url?: string;
  readonly burst?: number;
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
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly tenancy: TenancyService,
    private readonly oauth: OAuthServer,
    private readonly signIn: CheckSignIn,
    private readonly egress: CheckEgress,
    private readonly audit: AuditRecorder,
  ) {}

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
    const left: LeftBehind = { clientId: null, grantId: null, sessionIds: [] };
    const onEvent = (event: CheckEvent) => {
      if (event.type === 'step-finished' && event.step.id === 'client-registration') {
        const id = event.step.data?.clientId;
        if (typeof id === 'string') left.clientId = id;
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
        strategy:
          target.own && userId
            ? this.signIn.asMember(ctx.tenant.id, target.url, userId, left)
            : this.signIn.throughBrowser(ctx.tenant.id, job, tracker),
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
      this.signIn.forget(ctx.tenant.id, job.id);
      if (target.own && userId) await this.signIn.cleanUp(ctx.tenant.id, userId, left, job.id);
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
}
