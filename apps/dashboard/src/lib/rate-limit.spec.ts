import { describe, expect, it } from '@jest/globals';
import { describeRule, policyBody, policyDraft } from './rate-limit';

describe('rate-limit policy form', () => {
  it('reads overrides as plan / custom / unlimited per level and writes them back unchanged', () => {
    const overrides = {
      tenant: null,
      tool: { points: 5, windowSeconds: 60 },
      tools: { search: { points: 2, windowSeconds: 1 }, export: null },
    };
    const draft = policyDraft('free', overrides);
    expect(draft.levels.tenant.mode).toBe('unlimited');
    expect(draft.levels.principal.mode).toBe('plan');
    expect(draft.levels.tool).toMatchObject({ mode: 'custom', points: '5' });
    expect(policyBody(draft)).toEqual({ body: { plan: 'free', overrides }, errors: {} });
  });

  it('names each bad number and tool name', () => {
    const draft = policyDraft('team', {});
    const bad = {
      ...draft,
      levels: {
        ...draft.levels,
        principal: { mode: 'custom' as const, points: '0', windowSeconds: '100000' },
      },
      tools: [{ tool: 'bad name', mode: 'custom' as const, points: '3', windowSeconds: '60' }],
    };
    expect(policyBody(bad).errors).toEqual({
      'principal.points': 'Enter a whole number of at least 1.',
      'principal.windowSeconds': 'Between 1 second and 86400 (a day).',
      'tools.0.tool': 'A tool name: letters, digits, _ . -',
    });
  });

  it('says a rule in words', () => {
    expect(describeRule({ points: 600, windowSeconds: 60 })).toMatch(/^600 per minute$/);
    expect(describeRule({ points: 5, windowSeconds: 30 })).toBe('5 per 30 seconds');
    expect(describeRule(null)).toBe('unlimited');
  });
});
