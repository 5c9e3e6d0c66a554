import type { LimitState } from './rate-limit.service.js';

/**
 * Response fields from the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers-10): one `RateLimit-Policy` item per applied limit
 * (`q` quota, `w` window in seconds) and one `RateLimit` item per limit (`r` remaining, `t` seconds until
 * the window restarts), named after the scope. Chosen over the older `RateLimit-Limit/-Remaining/-Reset`
 * trio because those can describe only one limit and we apply two per request. A 429 adds `Retry-After`,
 * which the draft says takes precedence.
 */
export function rateLimitHeaders(states: readonly LimitState[]): Record<string, string> {
  if (states.length === 0) return {};
  return {
    'RateLimit-Policy': states
      .map((s) => `"${s.scope}";q=${s.rule.points};w=${s.rule.windowSeconds}`)
      .join(', '),
    RateLimit: states.map((s) => `"${s.scope}";r=${s.remaining};t=${seconds(s.resetMs)}`).join(', '),
  };
}

/** Whole seconds, rounded up (a client that waits `t` seconds must find the window restarted). */
export function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/** Retry-After in whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, seconds(ms));
}
