import type {
  CheckEvent,
  CheckEventListener,
  JsonValue,
  SkipKind,
  StepId,
  StepOutcome,
  StepResult,
} from './check.types.js';
import type { Finding } from './metadata.js';
import { NetworkError } from './http.js';
import type { SecretRedactor } from './secrets.js';
import { stepDefinition } from './steps.js';

/** What a step decides; the recorder adds identity, timing and redaction. */
export interface StepVerdict {
  readonly outcome: StepOutcome;
  readonly summary: string;
  readonly hint?: string;
  readonly details?: readonly string[];
  readonly data?: Readonly<Record<string, JsonValue>>;
  readonly skip?: SkipKind;
}

type Extra = Pick<StepVerdict, 'details' | 'data'>;

export const verdict = {
  pass: (summary: string, extra: Extra = {}): StepVerdict => ({ outcome: 'pass', summary, ...extra }),
  warn: (summary: string, hint: string, extra: Extra = {}): StepVerdict => ({
    outcome: 'warn',
    summary,
    hint,
    ...extra,
  }),
  fail: (summary: string, hint: string, extra: Extra = {}): StepVerdict => ({
    outcome: 'fail',
    summary,
    hint,
    ...extra,
  }),
  skipped: (skip: SkipKind, summary: string, extra: Extra & { hint?: string } = {}): StepVerdict => ({
    outcome: 'skipped',
    skip,
    summary,
    ...extra,
  }),
  /** Errors fail the step, warnings warn; the first of them is the summary and its hint the hint. */
  fromFindings(
    findings: readonly Finding[],
    passSummary: string,
    data?: Record<string, JsonValue>,
  ): StepVerdict {
    const details = findings.map((f) => (f.level === 'note' ? f.message : `${f.level}: ${f.message}`));
    const first = findings.find((f) => f.level === 'error') ?? findings.find((f) => f.level === 'warning');
    const extra = { details, ...(data ? { data } : {}) };
    if (!first) return verdict.pass(passSummary, extra);
    const more = findings.filter((f) => f.level === first.level).length - 1;
    const summary = more > 0 ? `${first.message} (and ${more} more)` : first.message;
    return first.level === 'error'
      ? verdict.fail(summary, first.hint ?? '', extra)
      : verdict.warn(summary, first.hint ?? '', extra);
  },
};

/** Hints for failures that are about the network rather than the step. */
export function networkHint(error: NetworkError): string {
  switch (error.kind) {
    case 'dns':
      return 'Check the host name and its DNS record; the URL must be reachable from the internet for Claude.';
    case 'refused':
      return 'Nothing listens there: check that the server runs, the port, and the proxy or load balancer in front of it.';
    case 'timeout':
      return 'The server or a proxy in front of it is too slow or drops packets: check firewalls, the upstream and its health.';
    case 'tls':
      return 'Fix the certificate: it must be valid, unexpired, issued by a public CA and name this host.';
    case 'reset':
      return 'The server (or a proxy) dropped the connection: check its logs for a crash on this request.';
    case 'cancelled':
      return 'The check was stopped before this request finished.';
    default:
      return 'Check that the URL is right and the server is reachable from here.';
  }
}

/** Runs steps in order, emitting start/finish events, timing them and redacting what they report. */
export class StepRecorder {
  readonly results: StepResult[] = [];

  constructor(
    private readonly listener: CheckEventListener | undefined,
    private readonly redactor: SecretRedactor,
    private readonly signal: AbortSignal,
  ) {}

  emit(event: CheckEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // A failing listener (a closed progress stream) must not stop or change the check.
    }
  }

  outcome(id: StepId): StepOutcome | undefined {
    return this.results.find((r) => r.id === id)?.outcome;
  }

  /** True when the step passed, warned, or had nothing to check: nothing after it is held up. */
  ok(id: StepId): boolean {
    const r = this.results.find((x) => x.id === id);
    return r !== undefined && (r.outcome === 'pass' || r.outcome === 'warn' || r.skip === 'not-applicable');
  }

  async run(id: StepId, fn: () => Promise<StepVerdict>): Promise<StepResult> {
    if (this.signal.aborted) return this.skip(id, 'unverified', 'not run: the check was cancelled');
    const definition = stepDefinition(id);
    const startedAt = new Date();
    this.emit({ type: 'step-started', step: definition, at: startedAt.toISOString() });
    const t0 = performance.now();
    let v: StepVerdict;
    try {
      v = await fn();
    } catch (error) {
      v =
        error instanceof NetworkError
          ? verdict.fail(error.message, networkHint(error))
          : verdict.fail(
              error instanceof Error ? error.message : String(error),
              'This step failed unexpectedly; the message above comes from the server or the network.',
            );
    }
    // A step cut short by cancellation says nothing about the server.
    if (this.signal.aborted && v.outcome === 'fail') {
      v = verdict.skipped('unverified', 'not finished: the check was cancelled');
    }
    return this.record(id, v, startedAt, performance.now() - t0);
  }

  skip(id: StepId, kind: SkipKind, summary: string, hint?: string): StepResult {
    return this.record(id, verdict.skipped(kind, summary, hint ? { hint } : {}), new Date(), 0);
  }

  /** Skips `id` as blocked by the first of `causes` that did not succeed. */
  blocked(id: StepId, ...causes: StepId[]): StepResult {
    const cause = causes.find((c) => !this.ok(c)) ?? causes[0];
    const causeResult = this.results.find((r) => r.id === cause);
    // A cause that was itself blocked: name the step that actually held things up.
    const summary =
      causeResult?.skip === 'blocked'
        ? causeResult.summary
        : cause
          ? `not run: ${stepDefinition(cause).title} ${causeResult?.skip === 'unverified' ? 'could not be verified' : 'did not pass'}`
          : 'not run';
    return this.skip(id, 'blocked', summary);
  }

  private record(id: StepId, v: StepVerdict, startedAt: Date, durationMs: number): StepResult {
    const r = this.redactor;
    const result: StepResult = {
      ...stepDefinition(id),
      outcome: v.outcome,
      summary: r.scrub(v.summary),
      ...(v.hint ? { hint: r.scrub(v.hint) } : {}),
      ...(v.details && v.details.length > 0 ? { details: v.details.map((d) => r.scrub(d)) } : {}),
      ...(v.data ? { data: r.scrubJson(v.data as JsonValue) as Record<string, JsonValue> } : {}),
      ...(v.skip ? { skip: v.skip } : {}),
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(durationMs * 10) / 10,
    };
    this.results.push(result);
    this.emit({ type: 'step-finished', step: result });
    return result;
  }
}
