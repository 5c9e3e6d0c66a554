import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OAuthPayloadRepository } from './store/oauth-payload.repository.js';

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Deletes expired authorization-server rows: codes, sessions, interactions, refresh tokens, grants, and
 * dynamically registered clients nobody used for SWITCHBOARD_DCR_CLIENT_TTL_DAYS (their expiry moves
 * forward on every use). Reads already ignore expired rows; this only reclaims space. Safe on every node.
 */
@Injectable()
export class OAuthSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OAuthSweeperService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly payloads: OAuthPayloadRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns rows deleted per model. The clock is a parameter for tests. */
  async sweep(now = new Date()): Promise<Record<string, number>> {
    const run = this.payloads.deleteExpired(now);
    this.running = run;
    try {
      const counts = await run;
      if (Object.keys(counts).length > 0) this.logger.log({ msg: 'expired OAuth records deleted', counts });
      return counts;
    } catch (e) {
      this.logger.error({ msg: 'OAuth sweep failed', err: (e as Error).message });
      return {};
    } finally {
      this.running = null;
    }
  }
}
