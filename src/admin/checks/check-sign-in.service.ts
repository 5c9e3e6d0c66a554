import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AuthorizationStrategyError,
  authorizationHook,
  type AuthorizationStrategy,
} from '@switchboard/checker';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { JobsService, type JobContext } from '../../jobs/jobs.service.js';
import {
  DelegatedAuthorizationService,
  DelegationRefusedError,
} from '../../oauth/interaction/delegated-authorization.service.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';
import { ADMIN_API_PREFIX } from '../http/route-spec.js';
import { CheckCallbacks } from './check-callbacks.js';
import type { CheckProgressTracker } from './check-progress.js';

/** How long a check of another server waits for someone to sign in there. */
export const EXTERNAL_SIGN_IN_WAIT_MS = 5 * 60_000;
const OWN_SIGN_IN_WAIT_MS = 60_000;
export const CALLBACK_PATH = '/checks/callback';

/** SHA-256 of an OAuth state: how the callback finds its job without the state being stored. */
export function callbackKeyOf(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** What a sign-in on a member's behalf created, to remove when the check ends. */
export interface LeftBehind {
  clientId: string | null;
  grantId: string | null;
  readonly sessionIds: string[];
}

export interface CallbackOutcome {
  readonly status: number;
  readonly title: string;
  readonly message: string;
}

/**
 * How a check gets past the authorization step. For our own endpoints: signed in as the requesting
 * member server-side (DelegatedAuthorizationService), for that check's client and endpoint only, and all
 * of it removed afterwards. For other servers: the link in the job's progress for a person to open, and
 * the browser's return to `/api/v1/checks/callback`, which hands the redirect to the waiting check.
 */
@Injectable()
export class CheckSignIn {
  private readonly logger = new Logger(CheckSignIn.name);
  /** The redirect URI every check registers and sends. */
  readonly callbackUrl: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jobs: JobsService,
    private readonly delegated: DelegatedAuthorizationService,
    private readonly callbacks: CheckCallbacks,
    private readonly throttle: LoginThrottle,
  ) {
    this.callbackUrl = `${config.publicUrl}${ADMIN_API_PREFIX}${CALLBACK_PATH}`;
  }

  /** Signs in as `userId` on one of `tenantId`'s endpoints, recording what it creates in `left`. */
  asMember(tenantId: string, url: string, userId: string, left: LeftBehind): AuthorizationStrategy {
    return authorizationHook(
      async (authorizationUrl, redirectUri, signal) => {
        left.clientId ??= authorizationUrl.searchParams.get('client_id');
        try {
          const done = await this.delegated.authorize({
            authorizationUrl,
            redirectUri,
            userId,
            tenantId,
            resource: authorizationUrl.searchParams.get('resource') ?? url,
            signal,
            onCreated: (part) => {
              if (part.grantId) left.grantId = part.grantId;
              if (part.sessionId) left.sessionIds.push(part.sessionId);
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

  /** Removes the client, grant and provider sessions a member sign-in created (never throws). */
  async cleanUp(tenantId: string, userId: string, left: LeftBehind, jobId: string): Promise<void> {
    await this.delegated.revoke({ tenantId, userId, ...left }).catch((e: unknown) =>
      this.logger.error({
        msg: 'could not remove what a check signed in with',
        jobId,
        err: (e as Error).message,
      }),
    );
  }

  /** Shows the authorization link in the job's progress and waits for the browser to come back. */
  throughBrowser(tenantId: string, job: JobContext, tracker: CheckProgressTracker): AuthorizationStrategy {
    return authorizationHook(
      async (authorizationUrl, _redirectUri, signal) => {
        const state = authorizationUrl.searchParams.get('state');
        if (!state) throw new AuthorizationStrategyError('the authorization request has no state');
        await this.jobs.setCallbackKey({ tenantId }, job.id, callbackKeyOf(state));
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

  /** The check ended: a late callback for it is no longer awaited. */
  forget(tenantId: string, jobId: string): void {
    this.callbacks.forget(jobId);
    void this.jobs.setCallbackKey({ tenantId }, jobId, null).catch(() => undefined);
  }

  /**
   * The browser came back from another server's sign-in. The OAuth `state` names the check (by its hash);
   * an unknown, finished or already used one is refused, so a redirect cannot be replayed or steered into
   * another check. The code goes to the waiting check and nowhere else.
   */
  async completeSignIn(query: string, ip: string): Promise<CallbackOutcome> {
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
}
