import type {
  CheckEventListener,
  CheckOptions,
  CheckOutcome,
  CheckReport,
  CheckSummary,
  StepId,
  StepResult,
} from './check.types.js';
import { DEFAULT_REDIRECT_URI, registration } from './client-registration.js';
import type { CheckContext } from './context.js';
import { runDiscovery } from './discovery.js';
import { latency } from './latency.js';
import { authorization, tokenAudience, tokenExchange } from './oauth-flow.js';
import { runProbes } from './probes.js';
import { runEra } from './protocol.js';
import { StepRecorder, verdict } from './recorder.js';
import { SecretRedactor } from './secrets.js';
import { STEPS } from './steps.js';
import type { StrategyContext } from './strategies/strategy.js';

export const CHECKER_VERSION = '1.0.0';

/** The options themselves are wrong (not a failed check): a CLI exits 2, an API answers 400. */
export class CheckInputError extends Error {
  readonly code = 'invalid_argument';
  constructor(message: string) {
    super(message);
    this.name = 'CheckInputError';
  }
}

function validate(options: CheckOptions): void {
  const u = URL.parse(options.url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) {
    throw new CheckInputError(`not an http(s) URL: ${options.url.slice(0, 200)}`);
  }
  if (u.username || u.password) throw new CheckInputError('the URL must not contain credentials');
  if (u.hash) throw new CheckInputError('the URL must not contain a fragment');
  const positive = (v: number | undefined, name: string, min: number) => {
    if (v !== undefined && (!Number.isFinite(v) || !Number.isInteger(v) || v < min)) {
      throw new CheckInputError(`${name} must be a whole number ≥ ${min}`);
    }
  };
  positive(options.timeoutMs, 'timeoutMs', 1);
  positive(options.burst, 'burst', 0);
  positive(options.burstConcurrency, 'burstConcurrency', 1);
  if (options.burst !== undefined && options.burst > 1000)
    throw new CheckInputError('burst must be at most 1000');
  if (options.auth?.kind === 'api-key' && options.auth.key.trim() === '')
    throw new CheckInputError('the API key is empty');
}

const OAUTH_STEPS: readonly StepId[] = [
  'client-registration',
  'authorization',
  'token-exchange',
  'token-audience',
];
const CREDENTIAL_CHAIN: readonly StepId[] = [
  'reachability',
  'unauthenticated-challenge',
  'protected-resource-metadata',
  'authorization-server-metadata',
  ...OAUTH_STEPS,
];

async function runOAuth(ctx: CheckContext): Promise<void> {
  const { recorder, state, strategy } = ctx;
  const auth = ctx.options.auth ?? { kind: 'oauth' };
  if (auth.kind === 'api-key') {
    for (const id of OAUTH_STEPS)
      recorder.skip(id, 'not-applicable', 'API key given: the OAuth flow is not run');
    return;
  }
  if (state.authRequired === false) {
    for (const id of OAUTH_STEPS)
      recorder.skip(id, 'not-applicable', 'the endpoint does not ask for authorization');
    return;
  }
  if (!state.asMeta) {
    for (const id of OAUTH_STEPS) recorder.blocked(id, ...CREDENTIAL_CHAIN);
    return;
  }
  try {
    state.redirectUri = strategy ? await strategy.prepare(ctx.strategyContext) : DEFAULT_REDIRECT_URI;
  } catch (error) {
    await recorder.run('client-registration', async () =>
      verdict.fail(
        `the ${strategy?.name ?? ''} authorization strategy could not start: ${error instanceof Error ? error.message : String(error)}`,
        'For the interactive check, a free loopback port is needed for the browser to come back to.',
      ),
    );
    for (const id of OAUTH_STEPS.slice(1)) recorder.blocked(id, 'client-registration');
    return;
  }
  await recorder.run('client-registration', () => registration(ctx));
  if (!state.client) {
    for (const id of OAUTH_STEPS.slice(1)) recorder.blocked(id, 'client-registration');
    return;
  }
  if (!strategy) {
    recorder.skip(
      'authorization',
      'unverified',
      'no authorization strategy was given, so nobody signed in',
      'Run interactively (the checker prints a link to open), or with --user EMAIL for a Switchboard endpoint.',
    );
    for (const id of OAUTH_STEPS.slice(2)) recorder.blocked(id, 'authorization');
    return;
  }
  await recorder.run('authorization', () => authorization(ctx));
  if (!state.code) {
    for (const id of OAUTH_STEPS.slice(2)) recorder.blocked(id, 'authorization');
    return;
  }
  await recorder.run('token-exchange', () => tokenExchange(ctx));
  if (!state.credential) {
    recorder.blocked('token-audience', 'token-exchange');
    return;
  }
  await recorder.run('token-audience', () => tokenAudience(ctx));
}

/** The step whose failure keeps the protocol steps from running, or null when they can run. */
function protocolBlocker(ctx: CheckContext): StepId | null {
  if (!ctx.recorder.ok('reachability')) return 'reachability';
  if (ctx.state.credential || ctx.state.authRequired === false) return null;
  return CREDENTIAL_CHAIN.find((id) => !ctx.recorder.ok(id)) ?? 'token-exchange';
}

function summarise(steps: readonly StepResult[]): { outcome: CheckOutcome; summary: CheckSummary } {
  const ids = (pred: (s: StepResult) => boolean) => steps.filter(pred).map((s) => s.id);
  const summary: CheckSummary = {
    passed: steps.filter((s) => s.outcome === 'pass').length,
    warnings: steps.filter((s) => s.outcome === 'warn').length,
    failed: steps.filter((s) => s.outcome === 'fail').length,
    skipped: steps.filter((s) => s.outcome === 'skipped').length,
    failedSteps: ids((s) => s.outcome === 'fail'),
    warningSteps: ids((s) => s.outcome === 'warn'),
    unverifiedSteps: ids((s) => s.skip === 'unverified'),
  };
  const outcome: CheckOutcome =
    summary.failed > 0 ? 'fail' : summary.unverifiedSteps.length > 0 ? 'incomplete' : 'pass';
  return { outcome, summary };
}

async function closeConnections(ctx: CheckContext): Promise<void> {
  for (const conn of [ctx.state.legacy, ctx.state.modern]) {
    if (!conn) continue;
    // End the 2025-era session on the server rather than leave it to idle out.
    if (conn.transport.sessionId) await conn.transport.terminateSession().catch(() => undefined);
    await conn.client.close().catch(() => undefined);
  }
  await ctx.strategy?.close?.().catch(() => undefined);
}

/**
 * Walks Claude's path to an MCP URL and reports every step. Never throws for what it finds (a broken
 * server is a failed step); throws `CheckInputError` for unusable options.
 */
export async function runCheck(options: CheckOptions, onEvent?: CheckEventListener): Promise<CheckReport> {
  validate(options);
  const url = options.url;
  const signal = options.signal ?? new AbortController().signal;
  const redactor = new SecretRedactor();
  const auth = options.auth ?? { kind: 'oauth' as const };
  if (auth.kind === 'api-key') redactor.add(auth.key);
  const recorder = new StepRecorder(onEvent, redactor, signal);
  const http = {
    fetch: options.fetch ?? ((input: string | URL, init?: RequestInit) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 15_000,
    signal,
  };
  const strategyContext: StrategyContext = {
    ...http,
    requireAction: (action) => recorder.emit({ type: 'action-required', action }),
    secret: (value) => redactor.add(value),
  };
  const ctx: CheckContext = {
    url,
    options,
    http,
    recorder,
    redactor,
    strategy: auth.kind === 'oauth' ? auth.strategy : undefined,
    strategyContext,
    clientInfo: { name: options.clientName ?? 'Switchboard connection checker', version: CHECKER_VERSION },
    state: auth.kind === 'api-key' ? { credential: auth.key } : {},
    now: options.now ?? (() => new Date()),
  };
  const started = new Date();
  const t0 = performance.now();
  recorder.emit({
    type: 'check-started',
    url,
    authMode: auth.kind,
    startedAt: started.toISOString(),
    steps: STEPS,
  });
  try {
    await runDiscovery(ctx);
    await runOAuth(ctx);
    const blocker = protocolBlocker(ctx);
    await runEra(ctx, 'legacy', blocker);
    await runEra(ctx, 'modern', blocker);
    await runProbes(ctx);
    if ((options.burst ?? 20) === 0)
      recorder.skip('latency', 'not-applicable', 'burst of 0 requests asked for');
    else if (!ctx.state.legacy && !ctx.state.modern)
      recorder.blocked('latency', 'legacy.initialize', 'modern.discover');
    else await recorder.run('latency', () => latency(ctx));
  } finally {
    await closeConnections(ctx);
  }
  for (const step of STEPS) {
    if (!recorder.results.some((r) => r.id === step.id)) recorder.skip(step.id, 'unverified', 'not run');
  }
  const order = new Map(STEPS.map((s, i) => [s.id, i]));
  const steps = [...recorder.results].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const { outcome, summary } = summarise(steps);
  const report: CheckReport = {
    version: 1,
    url,
    authMode: auth.kind === 'api-key' ? 'api-key' : ctx.state.authRequired === false ? 'none' : 'oauth',
    strategy: ctx.strategy?.name ?? null,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    outcome,
    steps,
    summary,
  };
  recorder.emit({ type: 'check-finished', report });
  return report;
}
