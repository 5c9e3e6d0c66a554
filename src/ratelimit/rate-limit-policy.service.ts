import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { z } from 'zod';

import { AuditRecorder, type AuditActor } from '../audit/audit.contract.js';
import { InvalidArgumentError } from '../common/domain-error.js';
import type { TenantScope } from '../common/tenant-scope.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import type { RateLimitPolicy } from '../generated/prisma/client.js';
import { RedisService } from '../redis/index.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import {
  effectiveLimits,
  overridesSchema,
  planSchema,
  type EffectiveLimits,
  type PlanName,
  type RateLimitOverrides,
} from './rate-limit-plans.js';
import { RateLimitPolicyRepository } from './rate-limit-policy.repository.js';

/** What the API and the CLI show: never more than the policy itself. */
export interface RateLimitPolicyView {
  readonly tenant: string;
  readonly plan: PlanName;
  /** `default`: the tenant has no policy of its own and gets `SWITCHBOARD_DEFAULT_PLAN`. */
  readonly source: 'tenant' | 'default';
  readonly overrides: RateLimitOverrides;
  /** The plan with the overrides applied: what is enforced. */
  readonly limits: Omit<EffectiveLimits, 'plan'>;
  readonly updatedAt: string | null;
}

/** Who changes a policy, as the audit log records it. */
export type PolicyActor = AuditActor;

/** `replace` (HTTP PUT): the input is the whole policy. `merge` (CLI): omitted parts keep their value. */
export type PolicyWriteMode = 'replace' | 'merge';

/** A policy as the API and the CLI take it. */
export const policyInputSchema = z
  .object({ plan: planSchema.optional(), overrides: overridesSchema.optional() })
  .strict();

/** Policies are re-read at least this often even without an invalidation (a missed message heals). */
const CACHE_TTL_MS = 30_000;
const MAX_CACHED = 100_000;

interface Cached {
  readonly limits: EffectiveLimits;
  readonly until: number;
}

/**
 * Tenants' rate-limit policies: plan plus validated overrides. The request path reads them through a
 * cache; a change invalidates it on this node at once and on the others through Redis pub/sub (when
 * Redis is configured; the cache's TTL bounds staleness otherwise).
 */
@Injectable()
export class RateLimitPolicyService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitPolicyService.name);
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<EffectiveLimits>>();
  /** Bumped by every invalidation, so a load that raced with one is not cached. */
  private epoch = 0;
  private readonly channel: string;

  constructor(
    private readonly repository: RateLimitPolicyRepository,
    private readonly tenancy: TenancyService,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly audit?: AuditRecorder,
  ) {
    this.channel = redis.key('ratelimit', 'policy-changed');
  }

  async onModuleInit(): Promise<void> {
    const sub = this.redis.subscriber('ratelimit-policy');
    if (!sub) return;
    sub.on('message', (channel: string, tenantId: string) => {
      if (channel === this.channel) this.forget(tenantId);
    });
    // Subscribing waits for Redis; boot must not (the cache TTL covers a late subscription).
    sub.subscribe(this.channel).catch((e: unknown) => {
      this.logger.warn(`policy invalidations not subscribed yet: ${(e as Error).message}`);
    });
  }

  onApplicationShutdown(): void {
    this.cache.clear();
  }

  /** The limits enforced for a tenant (cached; the request path calls this). */
  limitsFor(tenantId: string): Promise<EffectiveLimits> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.limits);
    const pending = this.loading.get(tenantId);
    if (pending) return pending;
    const epoch = this.epoch;
    const load = this.repository
      .find({ tenantId })
      .then((row) => {
        const limits = this.limitsOf(row).limits;
        if (epoch === this.epoch) {
          if (this.cache.size >= MAX_CACHED) this.cache.clear();
          this.cache.set(tenantId, { limits, until: Date.now() + CACHE_TTL_MS });
        }
        return limits;
      })
      .finally(() => this.loading.delete(tenantId));
    this.loading.set(tenantId, load);
    return load;
  }

  async show(tenantSlug: string): Promise<RateLimitPolicyView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    return this.view(tenant.slug, await this.repository.find({ tenantId: tenant.id }));
  }

  async set(
    tenantSlug: string,
    input: unknown,
    actor: PolicyActor,
    mode: PolicyWriteMode,
  ): Promise<RateLimitPolicyView> {
    const parsed = policyInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidArgumentError('invalid rate-limit policy', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(policy)'}: ${i.message}`),
      });
    }
    if (mode === 'replace' && parsed.data.plan === undefined) {
      throw new InvalidArgumentError('invalid rate-limit policy', { issues: ['plan: required'] });
    }
    if (mode === 'merge' && parsed.data.plan === undefined && parsed.data.overrides === undefined) {
      throw new InvalidArgumentError('give a plan, overrides or both');
    }
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const scope: TenantScope = { tenantId: tenant.id };
    const before = this.view(tenant.slug, await this.repository.find(scope));
    const plan = parsed.data.plan ?? before.plan;
    const overrides = parsed.data.overrides ?? (mode === 'merge' ? before.overrides : {});
    const row = await this.repository.upsert(scope, { plan, overrides: { ...overrides } });
    const after = this.view(tenant.slug, row);
    await this.invalidate(tenant.id);
    await this.audit?.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'ratelimit.policy.update',
      actor,
      target: tenant.slug,
      outcome: 'success',
      data: {
        before: { plan: before.plan, source: before.source, overrides: before.overrides },
        after: { plan: after.plan, overrides: after.overrides },
      },
    });
    return after;
  }

  /** Drops a tenant's cached policy here and tells the other nodes to do the same. */
  async invalidate(tenantId: string): Promise<void> {
    this.forget(tenantId);
    const client = this.redis.client;
    if (!client) return;
    await client.publish(this.channel, tenantId).catch((e: unknown) => {
      this.logger.warn(
        `could not broadcast a policy change (other nodes catch up within ${CACHE_TTL_MS / 1000} s): ${(e as Error).message}`,
      );
    });
  }

  private forget(tenantId: string): void {
    this.epoch++;
    this.cache.delete(tenantId);
  }

  private view(tenantSlug: string, row: RateLimitPolicy | null): RateLimitPolicyView {
    const { limits, overrides } = this.limitsOf(row);
    const { plan, ...rest } = limits;
    return {
      tenant: tenantSlug,
      plan,
      source: row ? 'tenant' : 'default',
      overrides,
      limits: rest,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  /**
   * A stored row is validated again when read: a row edited by hand into something invalid falls back to
   * the plan's defaults (never to "unlimited") and says so in the log.
   */
  private limitsOf(row: RateLimitPolicy | null): {
    limits: EffectiveLimits;
    overrides: RateLimitOverrides;
  } {
    if (!row) return { limits: effectiveLimits(this.config.rateLimit.defaultPlan, {}), overrides: {} };
    const plan = planSchema.safeParse(row.plan);
    const overrides = overridesSchema.safeParse(row.overrides);
    if (!plan.success || !overrides.success) {
      this.logger.warn(
        `rate-limit policy of tenant ${row.tenantId} is invalid in the database; enforcing ${plan.success ? 'its plan without overrides' : `the default plan (${this.config.rateLimit.defaultPlan})`}`,
      );
    }
    const planName = plan.success ? plan.data : this.config.rateLimit.defaultPlan;
    const valid = overrides.success ? overrides.data : {};
    return { limits: effectiveLimits(planName, valid), overrides: valid };
  }
}
