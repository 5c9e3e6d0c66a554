import { describe, expect, it } from '@jest/globals';
import { checkProgress, checkReport, isFinished, jobErrorText, rotationProgress, type Job } from './jobs';

const base: Job = {
  id: '6b0f5c4e-0d7a-4a8e-9d7c-0c1d2e3f4a5b',
  kind: 'check',
  status: 'running',
  progress: null,
  result: null,
  error: null,
  createdBy: { type: 'user', id: 'u' },
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:01.000Z',
  finishedAt: null,
};

const report = {
  version: 1 as const,
  url: 'https://mcp.example.com/mcp',
  authMode: 'oauth' as const,
  strategy: 'hook',
  startedAt: '2026-12-06T10:00:00.000Z',
  finishedAt: '2026-12-06T10:00:02.000Z',
  durationMs: 2000,
  outcome: 'fail' as const,
  steps: [],
  summary: {
    passed: 1,
    warnings: 0,
    failed: 1,
    skipped: 0,
    failedSteps: ['tls'],
    warningSteps: [],
    unverifiedSteps: [],
  },
};

describe('jobs', () => {
  it('tells a check’s progress from a rotation’s', () => {
    const check = { ...base, progress: { steps: [], results: [] } };
    const rotation = { ...base, kind: 'vault-rotation' as const, progress: { done: 3, total: 10 } };
    expect(checkProgress(check)).toEqual({ steps: [], results: [] });
    expect(rotationProgress(check)).toBeNull();
    expect(rotationProgress(rotation)).toEqual({ done: 3, total: 10 });
    expect(checkProgress(rotation)).toBeNull();
  });

  it('reads the report of a finished check, and what an interrupted one had finished', () => {
    expect(checkReport({ ...base, status: 'succeeded', result: report })).toBe(report);
    const cut = {
      ...base,
      status: 'failed' as const,
      result: { interrupted: true as const, reason: 'the server stopped', partial: report },
    };
    expect(checkReport(cut)).toBe(report);
    expect(jobErrorText(cut)).toBe('It was interrupted: the server stopped.');
    expect(jobErrorText({ ...base, status: 'failed', error: 'unexpected error (correlation id abc)' })).toBe(
      'unexpected error (correlation id abc)',
    );
    expect(jobErrorText(base)).toBeNull();
  });

  it('knows which states are final', () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => isFinished(s as Job['status'])),
    ).toEqual([false, false, true, true, true]);
  });
});
