import { Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { ClusterJobs } from '../cluster/cluster-jobs.js';
import { OAuthPayloadRepository } from './store/oauth-payload.repository.js';

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Deletes expired authorization-server rows: codes, sessions, interactions, refresh tokens, grants, and
 * dynamically registered clients nobody used for SWITCHBOARD_DCR_CLIENT_TTL_DAYS (their expiry moves
 * forward on every use). Reads already ignore expired rows; this only reclaims space. Runs every ten
 * minutes as a cluster job (on the leader only); idempotent, so a change of leader does no harm.
 */
@Injectable()
export class OAuthSweeperService implements OnApplicationBootstrap {
  static readonly JOB = 'oauth.sweep-expired';
  private readonly logger = new Logger(OAuthSweeperService.name);

  constructor(
    private readonly payloads: OAuthPayloadRepository,
    @Optional() private readonly jobs?: ClusterJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs?.register({ name: OAuthSweeperService.JOB, everyMs: SWEEP_EVERY_MS, run: () => this.sweep() });
  }

  /** One pass; returns rows deleted per model. The clock is a parameter for tests. */
  async sweep(now = new Date()): Promise<Record<string, number>> {
    try {
      const counts = await this.payloads.deleteExpired(now);
      if (Object.keys(counts).length > 0) this.logger.log({ msg: 'expired OAuth records deleted', counts });
      return counts;
    } catch (e) {
      this.logger.error({ msg: 'OAuth sweep failed', err: (e as Error).message });
      return {};
    }
  }
}
