import { describe, expect, it } from '@jest/globals';
import { STEPS, type StepResult } from '@switchboard/checker';
import { CheckProgressTracker } from './check-progress.js';

const result = (id: StepResult['id'], outcome: StepResult['outcome']): StepResult => ({
  ...STEPS.find((s) => s.id === id)!,
  outcome,
  summary: `${id} ${outcome}`,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 3,
});

describe('CheckProgressTracker', () => {
  it('lists every step first, then the running one, the finished ones and the link to open', () => {
    const t = new CheckProgressTracker();
    expect(t.snapshot()).toEqual({ steps: JSON.parse(JSON.stringify(STEPS)), results: [] });
    t.apply({ type: 'step-started', step: STEPS[0]!, at: 'now' });
    expect(t.snapshot()).toMatchObject({ current: 'reachability' });
    t.apply({ type: 'step-finished', step: result('reachability', 'pass') });
    t.requireAction({
      kind: 'open-authorization-url',
      url: 'https://as.example/authorize?x=1',
      waitMs: 1000,
    });
    const snap = t.snapshot() as { current?: string; results: unknown[]; action?: { url: string } };
    expect(snap.current).toBeUndefined();
    expect(snap.results).toHaveLength(1);
    expect(snap.action?.url).toBe('https://as.example/authorize?x=1');
    t.clearAction();
    expect(t.snapshot()).not.toHaveProperty('action');
    t.apply({
      type: 'action-required',
      action: { kind: 'open-authorization-url', url: 'https://x', waitMs: 5 },
    });
    expect(t.snapshot()).toHaveProperty('action.url', 'https://x');
    t.apply({
      type: 'check-finished',
      report: {} as never,
    });
    expect(t.snapshot()).not.toHaveProperty('action');
  });
});
