/**
 * What a vendor's response says about its rate limits. Each vendor reads its own headers; the retry loop in
 * `vendor-fetch.ts` acts on the answer the same way for all of them.
 */
export interface RateLimitRejection {
  /** How long the vendor asked us to wait, when it said so; null means "back off exponentially". */
  readonly waitMs: number | null;
  /** Which limit it was, for logs and the tool error ("secondary rate limit", "complexity budget"). */
  readonly reason: string;
}

export interface VendorRateLimits {
  /** Whether this response rejected the request for rate limiting (so it was not processed and may be resent). */
  rejection(status: number, headers: Headers, body: string, now: number): RateLimitRejection | null;
  /**
   * When a successful response reports an exhausted budget, the epoch ms at which it refills: further calls
   * wait for it (or fail fast when it is far away) instead of being rejected.
   */
  exhaustedUntil(headers: Headers, now: number): number | null;
}

/** A number from a header, or null when absent or not a finite number. */
export function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** An epoch timestamp that may be in seconds or milliseconds (vendors differ), as epoch ms. */
export function epochToMs(value: number): number {
  return value > 1e12 ? value : value * 1000;
}

/**
 * GitHub: primary limit = 403/429 with `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`, epoch
 * seconds); secondary limit = 403/429 with `retry-after`, or without any hint (wait at least a minute).
 */
export const githubRateLimits: VendorRateLimits = {
  rejection(status, headers, body, now) {
    if (status !== 403 && status !== 429) return null;
    const after = retryAfterMs(headers, now);
    if (after !== null) return { waitMs: after, reason: 'secondary rate limit' };
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    const reset = headerNumber(headers, 'x-ratelimit-reset');
    if (remaining === 0 && reset !== null) {
      return { waitMs: Math.max(0, epochToMs(reset) - now), reason: 'primary rate limit' };
    }
    if (status === 429 || /secondary rate limit|rate limit exceeded/i.test(body)) {
      return { waitMs: 60_000, reason: 'secondary rate limit' };
    }
    return null;
  },
  exhaustedUntil(headers) {
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    const reset = headerNumber(headers, 'x-ratelimit-reset');
    return remaining === 0 && reset !== null ? epochToMs(reset) : null;
  },
};

/** Jira Cloud: 429 (and 503 under load) with `Retry-After` seconds; `X-RateLimit-Reset` is an ISO timestamp. */
export const jiraRateLimits: VendorRateLimits = {
  rejection(status, headers, _body, now) {
    if (status !== 429) return null;
    const after = retryAfterMs(headers, now);
    if (after !== null) return { waitMs: after, reason: 'rate limit' };
    const reset = headers.get('x-ratelimit-reset');
    const at = reset ? Date.parse(reset) : NaN;
    return { waitMs: Number.isNaN(at) ? null : Math.max(0, at - now), reason: 'rate limit' };
  },
  exhaustedUntil(headers) {
    if (headerNumber(headers, 'x-ratelimit-remaining') !== 0) return null;
    const reset = headers.get('x-ratelimit-reset');
    const at = reset ? Date.parse(reset) : NaN;
    return Number.isNaN(at) ? null : at;
  },
};

/**
 * Linear: a rate-limited request is answered with a GraphQL error whose `extensions.code` is `RATELIMITED`
 * (HTTP 400, or 429), with request and complexity budgets in `x-ratelimit-requests-*` and
 * `x-ratelimit-complexity-*` headers (reset = epoch ms).
 */
export const linearRateLimits: VendorRateLimits = {
  rejection(status, headers, body, now) {
    const limited =
      status === 429 ||
      ((status === 400 || status === 200) &&
        /"code"\s*:\s*"RATELIMITED"|"type"\s*:\s*"ratelimited"/i.test(body));
    if (!limited) return null;
    const after = retryAfterMs(headers, now);
    if (after !== null) return { waitMs: after, reason: 'rate limit' };
    const complexity = headerNumber(headers, 'x-ratelimit-complexity-remaining');
    const requests = headerNumber(headers, 'x-ratelimit-requests-remaining');
    const resetHeader =
      complexity !== null && complexity <= 0 && (requests === null || requests > 0)
        ? 'x-ratelimit-complexity-reset'
        : 'x-ratelimit-requests-reset';
    const reset = headerNumber(headers, resetHeader);
    return {
      waitMs: reset === null ? null : Math.max(0, epochToMs(reset) - now),
      reason: resetHeader.includes('complexity') ? 'complexity budget' : 'request budget',
    };
  },
  exhaustedUntil(headers) {
    const until: number[] = [];
    for (const kind of ['requests', 'complexity']) {
      const remaining = headerNumber(headers, `x-ratelimit-${kind}-remaining`);
      const reset = headerNumber(headers, `x-ratelimit-${kind}-reset`);
      if (remaining !== null && remaining <= 0 && reset !== null) until.push(epochToMs(reset));
    }
    return until.length > 0 ? Math.max(...until) : null;
  },
};
