import { SdkHttpError } from '@modelcontextprotocol/client';

import type { CheckContext } from './context.js';
import { requestOptions } from './protocol.js';
import { sdkFailure } from './sdk-errors.js';
import { verdict, type StepVerdict } from './recorder.js';

/** Nearest-rank percentile of ascending `sorted` (p in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface BurstStats {
  readonly requests: number;
  readonly ok: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

export function summarise(durations: readonly number[], requests: number): BurstStats {
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests,
    ok: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * A short burst of the cheapest request of the connected era (`ping` on the 2025-era session,
 * `server/discover` in 2026-07-28), a few at a time, timed one by one from the client.
 */
export async function latency(ctx: CheckContext): Promise<StepVerdict> {
  const conn = ctx.state.legacy ?? ctx.state.modern!;
  const n = ctx.options.burst ?? 20;
  const concurrency = Math.max(1, Math.min(ctx.options.burstConcurrency ?? 4, n));
  const warnMs = ctx.options.latencyWarnMs ?? 1500;
  const method = conn.era === 'legacy' ? 'ping' : 'server/discover';
  const call =
    conn.era === 'legacy'
      ? () => conn.client.ping(requestOptions(ctx))
      : () => conn.client.discover(requestOptions(ctx));
  const durations: number[] = [];
  const failures: unknown[] = [];
  let rateLimited = 0;
  let next = 0;
  const worker = async () => {
    while (next < n && !ctx.http.signal.aborted) {
      next++;
      const t0 = performance.now();
      try {
        await call();
        durations.push(performance.now() - t0);
      } catch (error) {
        if (error instanceof SdkHttpError && error.status === 429) rateLimited++;
        else failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const stats = summarise(durations, n);
  const data = { method, era: conn.era, concurrency, ...stats, failed: failures.length, rateLimited };
  const line = `p50 ${stats.p50} ms, p95 ${stats.p95} ms, p99 ${stats.p99} ms over ${stats.ok} ${method} request(s)`;
  if (failures.length > 0) {
    const first = sdkFailure(ctx, failures[0], method);
    return verdict.fail(
      `${failures.length} of ${n} requests failed; first: ${first.summary}`,
      first.hint ?? '',
      { data },
    );
  }
  if (rateLimited > 0) {
    return verdict.warn(
      `${rateLimited} of ${n} requests were rate-limited (HTTP 429); ${line}`,
      `Claude sends bursts like this when it lists and calls tools: make sure the plan allows ${concurrency} concurrent requests.`,
      { data },
    );
  }
  if (stats.p95 > warnMs) {
    return verdict.warn(
      `slow: ${line}`,
      `p95 is above ${warnMs} ms for the cheapest request: check the server's load, its database and the network path.`,
      {
        data,
      },
    );
  }
  return verdict.pass(line, { data });
}
