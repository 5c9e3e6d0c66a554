import { Injectable } from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import { RedisService } from '../redis/index.js';
import type { RateRule } from './rate-limit-plans.js';

/** The counters the platform keeps; each is a separate key space. */
export type LimiterScope =
  'tenant' | 'principal' | 'tool' | 'login-ip' | 'login-account' | 'login-account-ip';

/** Limiters are built per distinct rule and reused; this bounds how many distinct rules are kept. */
const MAX_LIMITERS = 5_000;

/**
 * Builds and caches rate-limiter-flexible limiters. On the embedded default they count in memory; with
 * Redis they count in Redis (one atomic Lua increment per consume, shared by every node) and fall back to
 * an in-memory insurance limiter with the same rule while Redis is unreachable. When Redis is back the
 * Redis counters are used again; what the insurance counted meanwhile is not copied over.
 *
 * The key space depends only on the scope, not on the rule, so a changed policy keeps counting the same
 * Redis keys (in memory a changed rule starts a new window).
 */
@Injectable()
export class LimiterPool {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private insuranceDecisions = 0;

  constructor(private readonly redis: RedisService) {}

  get store(): 'memory' | 'redis' {
    return this.redis.configured ? 'redis' : 'memory';
  }

  /** Consumes done by an insurance limiter because Redis was unreachable, since start. */
  get insuranceCount(): number {
    return this.insuranceDecisions;
  }

  limiter(scope: LimiterScope, rule: RateRule): RateLimiterAbstract {
    const id = `${scope}|${rule.points}|${rule.windowSeconds}`;
    const hit = this.limiters.get(id);
    if (hit) return hit;
    if (this.limiters.size >= MAX_LIMITERS) this.limiters.clear();
    const limiter = this.build(scope, rule);
    this.limiters.set(id, limiter);
    return limiter;
  }

  /**
   * Consumes one point. Resolves with the limiter's answer whether allowed or not (`allowed` tells),
   * never with a store error: with Redis away the insurance limiter answers.
   */
  async consume(
    scope: LimiterScope,
    rule: RateRule,
    key: string,
  ): Promise<{ readonly allowed: boolean; readonly res: RateLimiterRes }> {
    const limiter = this.limiter(scope, rule);
    try {
      return { allowed: true, res: await limiter.consume(key) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, res: rejection };
      throw rejection;
    }
  }

  private build(scope: LimiterScope, rule: RateRule): RateLimiterAbstract {
    const keyPrefix = `rl:${scope}`;
    const base = { points: rule.points, duration: rule.windowSeconds };
    const client = this.redis.limiterClient;
    if (!client) return new RateLimiterMemory({ ...base, keyPrefix });
    return new RateLimiterRedis({
      ...base,
      storeClient: client,
      keyPrefix: this.redis.key(keyPrefix),
      // Not ready (reconnecting) → straight to the insurance limiter instead of a doomed command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceLimiter({ ...base, keyPrefix }, () => this.insuranceDecisions++),
    });
  }
}

/** The in-memory fallback of a Redis limiter; counts the decisions it makes (Redis not ready, or a command failed). */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    opts: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onConsume: () => void,
  ) {
    super(opts);
  }

  override consume(
    ...args: Parameters<RateLimiterMemory['consume']>
  ): ReturnType<RateLimiterMemory['consume']> {
    this.onConsume();
    return super.consume(...args);
  }
}
