import { createHash } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { clientAddressKey } from './client-address.js';
import { LimiterPool, type LimiterScope } from './limiter-pool.js';
import { LoginThrottle, type ThrottleDecision } from './login-throttle.contract.js';
import type { RateRule } from './rate-limit-plans.js';

/** Consecutive failures are forgotten after this long without a success (the in-memory store's timers cap it near 24 days). */
const CONSECUTIVE_WINDOW_SECONDS = 14 * 86_400;
/** Failures from one address per day before it is refused for a day, whatever the accounts. */
const IP_FAILURES_PER_DAY = 100;
/** Failures against one account from all addresses, as a multiple of the per-address threshold. */
const ACCOUNT_ANY_IP_FACTOR = 5;

interface Counter {
  readonly scope: LimiterScope;
  readonly rule: RateRule;
  readonly blockSeconds: number;
  readonly key: string;
  /** Cleared by a successful sign-in. */
  readonly clearedBySuccess: boolean;
}

export interface LoginThrottleStats {
  /** Attempts refused by `check`. */
  readonly refusals: number;
  /** Times a counter reached its threshold and blocked. */
  readonly blocks: number;
}

/**
 * rate-limiter-flexible's brute-force pattern, with one more counter:
 * - per address: `IP_FAILURES_PER_DAY` failures in a day block the address for a day (slow, spread guessing);
 * - per account and address: `SWITCHBOARD_LOCKOUT_THRESHOLD` consecutive failures block that pair for
 *   `SWITCHBOARD_LOCKOUT_MINUTES` — the attacker is stopped, the owner elsewhere still signs in;
 * - per account from any address: five times that many consecutive failures block the account for the
 *   same time (guessing spread over many addresses).
 * `check` only reads; `recordFailure` increments. Accounts are hashed before they become keys, so
 * Redis never holds e-mail addresses.
 */
@Injectable()
export class RateLimitLoginThrottle extends LoginThrottle {
  private refusals = 0;
  private blocks = 0;

  constructor(
    private readonly pool: LimiterPool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async check(account: string, ip: string): Promise<ThrottleDecision> {
    const states = await Promise.all(
      this.counters(account, ip).map(async (c) => {
        const res = await this.pool.limiter(c.scope, c.rule).get(c.key);
        return res !== null && res.consumedPoints > c.rule.points ? res.msBeforeNext : 0;
      }),
    );
    const waitMs = Math.max(0, ...states);
    if (waitMs <= 0) return { allowed: true };
    this.refusals++;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async recordFailure(account: string, ip: string): Promise<void> {
    await Promise.all(
      this.counters(account, ip).map(async (c) => {
        const limiter = this.pool.limiter(c.scope, c.rule);
        try {
          const res = await limiter.consume(c.key);
          // The failure that reaches the threshold blocks at once, so the next attempt is refused.
          if (res.remainingPoints <= 0) {
            await limiter.block(c.key, c.blockSeconds);
            this.blocks++;
          }
        } catch (rejection) {
          // Already blocked: nothing more to count.
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
        }
      }),
    );
  }

  async recordSuccess(account: string, ip: string): Promise<void> {
    await Promise.all(
      this.counters(account, ip)
        .filter((c) => c.clearedBySuccess)
        .map((c) => this.pool.limiter(c.scope, c.rule).delete(c.key)),
    );
  }

  stats(): LoginThrottleStats {
    return { refusals: this.refusals, blocks: this.blocks };
  }

  private counters(account: string, ip: string): Counter[] {
    const threshold = this.config.oauth.lockoutThreshold;
    const lockSeconds = this.config.oauth.lockoutMinutes * 60;
    const a = accountKey(account);
    const addr = clientAddressKey(ip);
    return [
      {
        scope: 'login-ip',
        rule: { points: IP_FAILURES_PER_DAY, windowSeconds: 86_400 },
        blockSeconds: 86_400,
        key: addr,
        clearedBySuccess: false,
      },
      {
        scope: 'login-account-ip',
        rule: { points: threshold, windowSeconds: CONSECUTIVE_WINDOW_SECONDS },
        blockSeconds: lockSeconds,
        key: `${a}|${addr}`,
        clearedBySuccess: true,
      },
      {
        scope: 'login-account',
        rule: { points: threshold * ACCOUNT_ANY_IP_FACTOR, windowSeconds: CONSECUTIVE_WINDOW_SECONDS },
        blockSeconds: lockSeconds,
        key: a,
        clearedBySuccess: true,
      },
    ];
  }
}

/** Accounts are compared case-insensitively (e-mail addresses) and stored only as a digest. */
export function accountKey(account: string): string {
  return createHash('sha256').update(account.trim().toLowerCase()).digest('base64url').slice(0, 32);
}
