import { describe, expect, it } from '@jest/globals';
import { effectiveLimits, overridesSchema, PLAN_DEFAULTS, toolRule } from './rate-limit-plans.js';

describe('rate-limit plans', () => {
  it('uses the plan defaults when there are no overrides', () => {
    expect(effectiveLimits('team', {})).toEqual({ plan: 'team', ...PLAN_DEFAULTS.team });
    expect(effectiveLimits('unlimited', {})).toMatchObject({ tenant: null, principal: null, tool: null });
  });

  it('applies overrides key by key; null lifts a limit', () => {
    const limits = effectiveLimits('free', {
      principal: { points: 5, windowSeconds: 10 },
      tenant: null,
      tools: { search: { points: 2, windowSeconds: 60 }, export: null },
    });
    expect(limits.tenant).toBeNull();
    expect(limits.principal).toEqual({ points: 5, windowSeconds: 10 });
    expect(limits.tool).toEqual(PLAN_DEFAULTS.free.tool);
    expect(toolRule(limits, 'search')).toEqual({ points: 2, windowSeconds: 60 });
    expect(toolRule(limits, 'export')).toBeNull();
    expect(toolRule(limits, 'other')).toEqual(PLAN_DEFAULTS.free.tool);
  });

  it('does not take inherited properties for tool names', () => {
    expect(toolRule(effectiveLimits('free', {}), 'constructor')).toEqual(PLAN_DEFAULTS.free.tool);
  });

  it.each([
    [{ principal: { points: 0, windowSeconds: 60 } }, 'principal.points'],
    [{ principal: { points: 1.5, windowSeconds: 60 } }, 'principal.points'],
    [{ tenant: { points: 10, windowSeconds: 86_401 } }, 'tenant.windowSeconds'],
    [{ tenant: { points: 10 } }, 'tenant.windowSeconds'],
    [{ tenant: { points: 10, windowSeconds: 60, burst: 3 } }, 'tenant'],
    [{ everything: null }, ''],
    [{ tools: { 'bad name!': null } }, 'tools'],
    [{ tools: 'search' }, 'tools'],
  ])('rejects %j (at %s)', (overrides, path) => {
    const r = overridesSchema.safeParse(overrides);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContainEqual(expect.stringContaining(path));
  });

  it('rejects more than 500 tool overrides', () => {
    const tools = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`t${i}`, null]));
    expect(overridesSchema.safeParse({ tools }).success).toBe(false);
  });
});
