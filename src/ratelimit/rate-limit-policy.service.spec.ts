import { describe, expect, it } from '@jest/globals';
import type { AuditEventInput, AuditRecorder } from '../audit/audit.contract.js';
import { loadConfig } from '../config/index.js';
import type { RateLimitPolicy, Tenant } from '../generated/prisma/client.js';
import { RedisService } from '../redis/index.js';
import type { TenancyService } from '../tenancy/tenancy.service.js';
import { PLAN_DEFAULTS } from './rate-limit-plans.js';
import type { RateLimitPolicyData, RateLimitPolicyRepository } from './rate-limit-policy.repository.js';
import { RateLimitPolicyService } from './rate-limit-policy.service.js';

const TENANT = { id: 't-1', slug: 'acme' } as Tenant;

function setup(initial: Partial<RateLimitPolicy> | null = null) {
  let row: RateLimitPolicy | null = initial
    ? ({
        id: 'p',
        tenantId: TENANT.id,
        plan: 'free',
        overrides: {},
        updatedAt: new Date(0),
        ...initial,
      } as RateLimitPolicy)
    : null;
  let reads = 0;
  const repository = {
    find: () => {
      reads++;
      return Promise.resolve(row);
    },
    upsert: (_scope: unknown, data: RateLimitPolicyData) => {
      row = {
        id: 'p',
        tenantId: TENANT.id,
        plan: data.plan,
        overrides: data.overrides,
        updatedAt: new Date(),
      } as RateLimitPolicy;
      return Promise.resolve(row);
    },
  } as unknown as RateLimitPolicyRepository;
  const tenancy = { getTenant: () => Promise.resolve(TENANT) } as unknown as TenancyService;
  const events: AuditEventInput[] = [];
  const audit = { record: (e: AuditEventInput) => Promise.resolve(void events.push(e)) } as AuditRecorder;
  const config = loadConfig({ SWITCHBOARD_DEFAULT_PLAN: 'free' });
  const service = new RateLimitPolicyService(repository, tenancy, new RedisService(config), config, audit);
  return { service, events, reads: () => reads };
}

const CLI = { type: 'cli', id: null } as const;

describe('RateLimitPolicyService', () => {
  it('gives tenants without a policy the default plan', async () => {
    const { service } = setup();
    expect(await service.show('acme')).toMatchObject({
      plan: 'free',
      source: 'default',
      overrides: {},
      updatedAt: null,
    });
    expect(await service.limitsFor(TENANT.id)).toEqual({ plan: 'free', ...PLAN_DEFAULTS.free });
  });

  it('caches limits and re-reads after a change', async () => {
    const { service, reads } = setup();
    await Promise.all([service.limitsFor(TENANT.id), service.limitsFor(TENANT.id)]);
    await service.limitsFor(TENANT.id);
    expect(reads()).toBe(1);
    await service.set('acme', { plan: 'team' }, CLI, 'merge');
    expect((await service.limitsFor(TENANT.id)).plan).toBe('team');
  });

  it('merges (CLI) or replaces (PUT), and audits before and after', async () => {
    const { service, events } = setup({ plan: 'team', overrides: { tenant: null } });
    const merged = await service.set('acme', { plan: 'enterprise' }, CLI, 'merge');
    expect(merged).toMatchObject({
      plan: 'enterprise',
      overrides: { tenant: null },
      limits: { tenant: null },
    });
    const replaced = await service.set('acme', { plan: 'free' }, { type: 'api_key', id: 'k' }, 'replace');
    expect(replaced).toMatchObject({
      plan: 'free',
      overrides: {},
      limits: { tenant: PLAN_DEFAULTS.free.tenant },
    });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      kind: 'admin',
      action: 'ratelimit.policy.update',
      actor: CLI,
      target: 'acme',
      outcome: 'success',
      data: { before: { plan: 'team', overrides: { tenant: null } }, after: { plan: 'enterprise' } },
    });
  });

  it('rejects bad input with every issue named', async () => {
    const { service } = setup();
    await expect(service.set('acme', { plan: 'gold', extra: 1 }, CLI, 'merge')).rejects.toMatchObject({
      code: 'invalid_argument',
      details: {
        issues: expect.arrayContaining([expect.stringMatching(/^plan/), expect.stringMatching(/extra/)]),
      },
    });
    await expect(service.set('acme', {}, CLI, 'merge')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(service.set('acme', { overrides: {} }, CLI, 'replace')).rejects.toMatchObject({
      details: { issues: ['plan: required'] },
    });
  });

  it('enforces the plan (never unlimited) when a stored row is invalid', async () => {
    const { service } = setup({ plan: 'team', overrides: { tenant: { points: 'many' } } });
    expect(await service.limitsFor(TENANT.id)).toEqual({ plan: 'team', ...PLAN_DEFAULTS.team });
    const { service: s2 } = setup({ plan: 'platinum' });
    expect((await s2.limitsFor(TENANT.id)).plan).toBe('free');
  });
});
