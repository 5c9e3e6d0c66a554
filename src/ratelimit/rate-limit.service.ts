import { Injectable } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';

import { clientAddressKey } from './client-address.js';
import { LimiterPool, type LimiterScope } from './limiter-pool.js';
import { RateLimitLoginThrottle, type LoginThrottleStats } from './login-throttle.service.js';
import { toolRule, type RateRule } from './rate-limit-plans.js';
import { RateLimitPolicyService } from './rate-limit-policy.service.js';

export type McpLimitScope = 'tenant' | 'principal' | 'tool';

/** Where one counter stands after this request was counted. */
export interface LimitState {
  readonly scope: McpLimitScope;
  readonly rule: RateRule;
  readonly remaining: number;
  /** Until the window restarts (or, when over the limit, until a retry can succeed). */
  readonly resetMs: number;
}

export type LimitDecision =
  | { readonly allowed: true; readonly states: readonly LimitState[] }
  | {
      readonly allowed: false;
      readonly states: readonly LimitState[];
      /** The exhausted counter with the longest wait. */
      readonly denied: LimitState;
      /**
       * True for the first refusal of this key in its window (across nodes with Redis): audit that one,
       * not every refused request of a flood.
       */
      readonly firstDenial: boolean;
    };

export interface RateLimitStats {
  readonly store: 'memory' | 'redis';
  /** Refused MCP requests (tenant, principal) and tool calls (tool), since start. */
  readonly rejections: Readonly<Record<McpLimitScope, number>>;
  /** Decisions an insurance limiter made because Redis was unreachable, since start. */
  readonly insuranceDecisions: number;
  readonly login: LoginThrottleStats;
}

/**
 * The key a principal is counted under. Credentials count per credential; anonymous callers of a public
 * endpoint count per client address, or one noisy caller would exhaust the limit of all the others.
 */
export function principalKey(principal: Principal, clientAddress: string | undefined): string {
  return principal.kind === 'anonymous'
    ? `anonymous:${clientAddressKey(clientAddress)}`
    : `${principal.kind}:${principal.id}`;
}

/**
 * MCP rate limits: per tenant and per principal for each HTTP request, per principal and tool for each
 * tool call. Each request consumes exactly one point per applicable key (one atomic increment in Redis
 * when configured, whichever node serves it).
 */
@Injectable()
export class RateLimitService {
  private readonly rejections: Record<McpLimitScope, number> = { tenant: 0, principal: 0, tool: 0 };

  constructor(
    private readonly pool: LimiterPool,
    private readonly policies: RateLimitPolicyService,
    private readonly login: RateLimitLoginThrottle,
  ) {}

  /** Counts one MCP HTTP request against the tenant's and the principal's limits. */
  async consumeRequest(tenantId: string, principal: string): Promise<LimitDecision> {
    const limits = await this.policies.limitsFor(tenantId);
    const checks: Promise<Counted>[] = [];
    // Issued together: on Redis both increments leave in one pipelined write.
    if (limits.tenant) checks.push(this.count('tenant', limits.tenant, tenantId));
    if (limits.principal) checks.push(this.count('principal', limits.principal, `${tenantId}:${principal}`));
    return this.decide(await Promise.all(checks));
  }

  /** Counts one tool call against the principal's limit for that tool. */
  async consumeTool(tenantId: string, principal: string, toolName: string): Promise<LimitDecision> {
    const rule = toolRule(await this.policies.limitsFor(tenantId), toolName);
    if (!rule) return { allowed: true, states: [] };
    return this.decide([await this.count('tool', rule, `${tenantId}:${principal}:${toolName}`)]);
  }

  stats(): RateLimitStats {
    return {
      store: this.pool.store,
      rejections: { ...this.rejections },
      insuranceDecisions: this.pool.insuranceCount,
      login: this.login.stats(),
    };
  }

  private async count(scope: McpLimitScope & LimiterScope, rule: RateRule, key: string): Promise<Counted> {
    const { allowed, res } = await this.pool.consume(scope, rule, key);
    return {
      allowed,
      consumed: res.consumedPoints,
      state: { scope, rule, remaining: res.remainingPoints, resetMs: Math.max(0, res.msBeforeNext) },
    };
  }

  private decide(counted: readonly Counted[]): LimitDecision {
    const states = counted.map((c) => c.state);
    const refused = counted.filter((c) => !c.allowed);
    if (refused.length === 0) return { allowed: true, states };
    const worst = refused.reduce((a, b) => (b.state.resetMs > a.state.resetMs ? b : a));
    // One refused request is one rejection, under the scope that refused it for longest.
    this.rejections[worst.state.scope]++;
    return {
      allowed: false,
      states,
      denied: worst.state,
      firstDenial: worst.consumed === worst.state.rule.points + 1,
    };
  }
}

interface Counted {
  readonly allowed: boolean;
  readonly consumed: number;
  readonly state: LimitState;
}
