import {
  HttpClientError,
  type GuardedHttpClient,
  type HttpMethod,
  type HttpResponse,
} from '@switchboard/http-client';
import type { PackLogger } from '@switchboard/integration-kit';

import type { VendorRateLimits } from './rate-limit.js';
import { TrackerError } from './tracker.errors.js';

/** How hard one call tries before giving up. Bounded so a tool call never hangs on a throttled vendor. */
export interface RetryPolicy {
  /** Attempts in total (first try included). */
  readonly maxAttempts: number;
  /** Longest single wait; a vendor asking for longer gets a rate-limit error with its wait instead. */
  readonly maxWaitMs: number;
  /** First backoff when the vendor gives no hint; doubles per attempt, with jitter. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, maxWaitMs: 20_000, baseDelayMs: 500 };

/** Clock, randomness and sleep, injectable so unit tests need not wait. */
export interface Timing {
  now(): number;
  random(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new TrackerError('unavailable', 'the call was cancelled'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new TrackerError('unavailable', 'the call was cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Remembers, per connection, until when a vendor said its budget is spent, so the next call waits (or fails
 * fast) instead of being rejected. In-process only: each node learns from its own responses.
 */
export class RateLimitGate {
  private readonly until = new Map<string, number>();

  blockedUntil(key: string): number {
    return this.until.get(key) ?? 0;
  }

  block(key: string, untilMs: number): void {
    if (untilMs > this.blockedUntil(key)) this.until.set(key, untilMs);
    if (this.until.size > 10_000) {
      const now = Date.now();
      for (const [k, v] of this.until) if (v <= now) this.until.delete(k);
    }
  }
}

export interface VendorFetchOptions {
  readonly http: GuardedHttpClient;
  readonly vendor: string;
  readonly limits: VendorRateLimits;
  readonly gate: RateLimitGate;
  /** Connection-scoped key for the gate (tenant + connection). */
  readonly gateKey: string;
  /** May a failed request be sent again (transient 5xx, connection failure)? Rate-limit rejections always may. */
  readonly idempotent: (method: HttpMethod, body: string | undefined) => boolean;
  readonly signal: AbortSignal;
  readonly logger: PackLogger;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly retry?: RetryPolicy;
  readonly timing?: Timing;
}

const TRANSIENT = new Set([502, 503, 504]);
const NULL_BODY = new Set([101, 204, 205, 304]);
const METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function requestParts(
  input: string | URL | Request,
  init: RequestInit | undefined,
): { url: string; method: HttpMethod; headers: Record<string, string>; body: string | undefined } {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    throw new TrackerError('malformed', 'internal: Request objects are not supported by the vendor fetch');
  }
  const method = (init?.method ?? 'GET').toUpperCase() as HttpMethod;
  if (!METHODS.has(method)) throw new TrackerError('validation', `unsupported HTTP method ${method}`);
  const headers: Record<string, string> = {};
  new Headers(init?.headers ?? {}).forEach((value, name) => {
    // The guarded client does not decompress; ask for identity so bodies stay readable.
    if (name !== 'accept-encoding' && name !== 'content-length') headers[name] = value;
  });
  let body: string | undefined;
  const raw = init?.body;
  if (raw === undefined || raw === null) body = undefined;
  else if (typeof raw === 'string') body = raw;
  else if (raw instanceof URLSearchParams) body = raw.toString();
  else if (raw instanceof Uint8Array) body = Buffer.from(raw).toString('utf8');
  else if (raw instanceof ArrayBuffer) body = Buffer.from(raw).toString('utf8');
  else throw new TrackerError('malformed', 'internal: streaming request bodies are not supported');
  return { url: String(input), method, headers, body };
}

function toHeaders(raw: HttpResponse['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function backoff(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exp = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** A little spread on a vendor's own wait, so many clients told the same instant do not return together. */
function jittered(waitMs: number, random: () => number): number {
  return Math.round(waitMs + random() * Math.min(1000, 100 + waitMs * 0.1));
}

/**
 * A WHATWG `fetch` for vendor SDKs (Octokit's `request.fetch`, the Jira client, the Linear transport) that
 * sends every request through the platform's `GuardedHttpClient` — the egress policy, redirect checks,
 * timeouts and body caps apply — and handles the vendor's rate limits in one place: a rejected request is
 * resent after the wait the vendor asked for (plus jitter), transient failures of idempotent requests are
 * retried with exponential backoff, and both are bounded by `RetryPolicy`.
 */
export function createVendorFetch(options: VendorFetchOptions): typeof fetch {
  const policy = options.retry ?? DEFAULT_RETRY;
  const timing = options.timing ?? realTiming;
  const { vendor, logger } = options;

  const waitOrFail = async (waitMs: number, reason: string): Promise<void> => {
    if (waitMs > policy.maxWaitMs) {
      throw new TrackerError('rate_limited', `${vendor} ${reason}.`, Math.ceil(waitMs / 1000));
    }
    await timing.sleep(jittered(waitMs, timing.random), options.signal);
  };

  const vendorFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { url, method, headers, body } = requestParts(input, init);
    const idempotent = options.idempotent(method, body);
    const signal = init?.signal ? AbortSignal.any([init.signal, options.signal]) : options.signal;
    for (let attempt = 1; ; attempt++) {
      const blocked = options.gate.blockedUntil(options.gateKey) - timing.now();
      if (blocked > 0) await waitOrFail(blocked, 'budget is spent until its reset');

      let response: HttpResponse;
      try {
        response = await options.http.request(url, {
          method,
          headers,
          ...(body !== undefined && { body }),
          signal,
          ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
          ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
          onOversize: 'error',
        });
      } catch (error) {
        if (!(error instanceof HttpClientError)) throw error;
        if (error.code === 'egress_refused' || error.code === 'invalid_url') {
          throw new TrackerError('egress', error.message);
        }
        if (error.code === 'response_too_large') throw new TrackerError('malformed', error.message);
        if (error.code === 'aborted') throw new TrackerError('unavailable', 'the call was cancelled');
        const transient = error.code === 'connect_failed' || error.code === 'timeout';
        if (transient && idempotent && attempt < policy.maxAttempts) {
          logger.info('vendor request failed, retrying', { vendor, attempt, error: error.code });
          await timing.sleep(backoff(policy, attempt, timing.random), options.signal);
          continue;
        }
        throw new TrackerError('unavailable', error.message);
      }

      const responseHeaders = toHeaders(response.headers);
      const now = timing.now();
      const exhausted = options.limits.exhaustedUntil(responseHeaders, now);
      if (exhausted !== null && exhausted > now) options.gate.block(options.gateKey, exhausted);

      const rejection = options.limits.rejection(response.status, responseHeaders, response.text(), now);
      if (rejection) {
        const waitMs = rejection.waitMs ?? backoff(policy, attempt, timing.random);
        logger.info('vendor rate limit', { vendor, attempt, reason: rejection.reason, waitMs });
        if (attempt >= policy.maxAttempts) {
          throw new TrackerError(
            'rate_limited',
            `${vendor} ${rejection.reason}; gave up after ${attempt} attempts.`,
            Math.ceil(waitMs / 1000),
          );
        }
        await waitOrFail(waitMs, rejection.reason);
        continue;
      }
      if (TRANSIENT.has(response.status) && idempotent && attempt < policy.maxAttempts) {
        const hinted = responseHeaders.get('retry-after');
        const waitMs =
          hinted !== null && Number.isFinite(Number(hinted))
            ? Number(hinted) * 1000
            : backoff(policy, attempt, timing.random);
        logger.info('vendor unavailable, retrying', { vendor, attempt, status: response.status });
        await waitOrFail(waitMs, `is unavailable (HTTP ${response.status})`);
        continue;
      }
      return new Response(NULL_BODY.has(response.status) ? null : new Uint8Array(response.body), {
        status: response.status,
        headers: responseHeaders,
      });
    }
  };
  return vendorFetch as typeof fetch;
}
