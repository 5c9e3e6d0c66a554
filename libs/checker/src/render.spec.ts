import { describe, expect, it } from '@jest/globals';

import type { CheckReport, StepResult } from './check.types.js';
import { renderProgress, renderReport } from './render.js';
import { stepDefinition } from './steps.js';

function step(
  id: StepResult['id'],
  outcome: StepResult['outcome'],
  summary: string,
  extra: Partial<StepResult> = {},
): StepResult {
  return {
    ...stepDefinition(id),
    outcome,
    summary,
    startedAt: '2026-06-01T00:00:00.000Z',
    durationMs: 3,
    ...extra,
  };
}

function report(steps: StepResult[], outcome: CheckReport['outcome']): CheckReport {
  return {
    version: 1,
    url: 'https://mcp.example/t/acme/mcp',
    authMode: 'oauth',
    strategy: 'switchboard-test-principal',
    startedAt: '2026-06-01T00:00:00.000Z',
    finishedAt: '2026-06-01T00:00:02.000Z',
    durationMs: 2100,
    outcome,
    steps,
    summary: {
      passed: steps.filter((s) => s.outcome === 'pass').length,
      warnings: steps.filter((s) => s.outcome === 'warn').length,
      failed: steps.filter((s) => s.outcome === 'fail').length,
      skipped: steps.filter((s) => s.outcome === 'skipped').length,
      failedSteps: steps.filter((s) => s.outcome === 'fail').map((s) => s.id),
      warningSteps: steps.filter((s) => s.outcome === 'warn').map((s) => s.id),
      unverifiedSteps: steps.filter((s) => s.skip === 'unverified').map((s) => s.id),
    },
  };
}

describe('renderReport', () => {
  it('groups steps, explains failures and warnings, and names the first step to fix', () => {
    const text = renderReport(
      report(
        [
          step('reachability', 'pass', 'HTTP 401 in 12 ms', { details: ['not shown for passes'] }),
          step('protected-resource-metadata', 'fail', 'no protected-resource metadata (RFC 9728) was found', {
            hint: 'Serve JSON at …',
            details: ['GET https://mcp.example/.well-known/oauth-protected-resource/t/acme/mcp → 404'],
          }),
          step(
            'authorization-server-metadata',
            'skipped',
            'not run: Protected-resource metadata (RFC 9728) did not pass',
            {
              skip: 'blocked',
            },
          ),
          step('latency', 'warn', 'slow: p50 900 ms', { hint: 'check the load' }),
        ],
        'fail',
      ),
    );
    expect(text).toContain('Connection check: https://mcp.example/t/acme/mcp');
    expect(text).toContain('Authorization: OAuth (switchboard-test-principal)');
    expect(text).toMatch(/\nTransport\n {2}PASS {2}Reachability +HTTP 401 in 12 ms\n/);
    expect(text).toMatch(/FAIL {2}Protected-resource metadata \(RFC 9728\) +no protected-resource metadata/);
    expect(text).toContain('fix: Serve JSON at …');
    expect(text).toContain('· GET https://mcp.example/.well-known/oauth-protected-resource/t/acme/mcp → 404');
    expect(text).not.toContain('not shown for passes');
    expect(text).toMatch(/SKIP {2}Authorization-server metadata/);
    expect(text).toContain('fix: check the load');
    expect(text).toContain('Result: FAIL: 1 passed, 1 warning(s), 1 failed, 1 skipped.');
    expect(text).toContain('First to fix: Protected-resource metadata (RFC 9728).');
  });

  it('says what could not be verified when the check is incomplete, and shows details when verbose', () => {
    const r = report(
      [
        step('reachability', 'pass', 'HTTP 401', { details: ['a detail'] }),
        step('authorization', 'skipped', 'no authorization strategy was given', {
          skip: 'unverified',
          hint: 'Run with --user',
        }),
      ],
      'incomplete',
    );
    const text = renderReport(r, { verbose: true });
    expect(text).toContain('· a detail');
    expect(text).toContain('fix: Run with --user');
    expect(text).toContain(
      'Result: INCOMPLETE: 1 passed, 0 warning(s), 0 failed, 1 skipped; not verified: Authorization (sign-in and consent).',
    );
  });
});

describe('renderProgress', () => {
  it('prints a line per finished step and the link to open, nothing for step starts', () => {
    const s = step('reachability', 'pass', 'HTTP 401');
    expect(renderProgress({ type: 'step-finished', step: s })).toMatch(
      /^ {2}PASS {2}Reachability +HTTP 401$/,
    );
    expect(renderProgress({ type: 'step-started', step: stepDefinition('tls'), at: s.startedAt })).toBeNull();
    expect(
      renderProgress({
        type: 'action-required',
        action: { kind: 'open-authorization-url', url: 'https://as.example/auth?x=1', waitMs: 300_000 },
      }),
    ).toContain('waiting up to 300 s):\n\n  https://as.example/auth?x=1');
  });
});
