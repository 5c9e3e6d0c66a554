/** Plain-text rendering of check events and reports, for terminals and logs (no colours, no cursor tricks). */
import type { CheckEvent, CheckReport, StepGroup, StepOutcome, StepResult } from './check.types.js';
import { STEPS } from './steps.js';

const TAG: Record<StepOutcome, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skipped: 'SKIP' };

const GROUP_TITLE: Record<StepGroup, string> = {
  transport: 'Transport',
  discovery: 'Discovery',
  oauth: 'OAuth',
  legacy: '2025 protocol era (initialize, sessions)',
  modern: '2026-07-28 protocol era (stateless)',
  errors: 'Error handling',
  performance: 'Performance',
};

const TITLE_WIDTH = Math.max(...STEPS.map((s) => s.title.length));

function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** One line per step: tag, title, what was found. */
export function renderStepLine(step: StepResult): string {
  return `${TAG[step.outcome]}  ${step.title.padEnd(TITLE_WIDTH)}  ${step.summary}`;
}

/** A line to print for a live progress event, or null for events that need none. */
export function renderProgress(event: CheckEvent): string | null {
  switch (event.type) {
    case 'check-started':
      return `Checking ${event.url}`;
    case 'step-finished':
      return `  ${renderStepLine(event.step)}`;
    case 'action-required':
      return [
        '',
        `Open this link in a browser, sign in and approve (waiting up to ${Math.round(event.action.waitMs / 1000)} s):`,
        '',
        `  ${event.action.url}`,
        '',
      ].join('\n');
    default:
      return null;
  }
}

export interface RenderOptions {
  /** Show details of passed steps too (default: only of failures and warnings). */
  readonly verbose?: boolean;
}

export function renderReport(report: CheckReport, options: RenderOptions = {}): string {
  const lines: string[] = [];
  const auth =
    report.authMode === 'oauth'
      ? `OAuth${report.strategy ? ` (${report.strategy})` : ' (no sign-in strategy)'}`
      : report.authMode === 'api-key'
        ? 'API key'
        : 'none required by the endpoint';
  lines.push(`Connection check: ${report.url}`);
  lines.push(`Authorization: ${auth} · started ${report.startedAt} · took ${duration(report.durationMs)}`);
  let group: StepGroup | null = null;
  for (const step of report.steps) {
    if (step.group !== group) {
      group = step.group;
      lines.push('', GROUP_TITLE[group]);
    }
    lines.push(`  ${renderStepLine(step)}`);
    const indent = ' '.repeat(8);
    const explain = step.outcome === 'fail' || step.outcome === 'warn' || options.verbose;
    if (step.hint && (explain || step.skip === 'unverified')) lines.push(`${indent}fix: ${step.hint}`);
    if (explain) for (const d of step.details ?? []) lines.push(`${indent}· ${d}`);
  }
  const s = report.summary;
  const counts = `${s.passed} passed, ${s.warnings} warning(s), ${s.failed} failed, ${s.skipped} skipped`;
  lines.push('');
  if (report.outcome === 'pass') {
    lines.push(`Result: PASS: ${counts}.`);
  } else if (report.outcome === 'fail') {
    lines.push(`Result: FAIL: ${counts}.`);
    lines.push(`First to fix: ${titleOf(report, s.failedSteps[0])}.`);
  } else {
    lines.push(
      `Result: INCOMPLETE: ${counts}; not verified: ${s.unverifiedSteps.map((id) => titleOf(report, id)).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

function titleOf(report: CheckReport, id: string | undefined): string {
  return report.steps.find((s) => s.id === id)?.title ?? String(id);
}
