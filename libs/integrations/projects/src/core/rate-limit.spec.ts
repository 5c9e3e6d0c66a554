import { describe, expect, it } from '@jest/globals';

import { githubRateLimits, jiraRateLimits, linearRateLimits, retryAfterMs } from './rate-limit.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const h = (values: Record<string, string>) => new Headers(values);

describe('vendor rate-limit readers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs(h({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), NOW)).toBe(30_000);
    expect(retryAfterMs(h({}), NOW)).toBeNull();
  });

  it('GitHub: primary limit waits for x-ratelimit-reset, secondary for Retry-After or a minute', () => {
    const reset = String(NOW / 1000 + 42);
    expect(
      githubRateLimits.rejection(
        403,
        h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        '{}',
        NOW,
      ),
    ).toEqual({
      waitMs: 42_000,
      reason: 'primary rate limit',
    });
    expect(githubRateLimits.rejection(403, h({ 'retry-after': '5' }), '{}', NOW)).toEqual({
      waitMs: 5000,
      reason: 'secondary rate limit',
    });
    expect(
      githubRateLimits.rejection(
        403,
        h({ 'x-ratelimit-remaining': '10' }),
        '{"message":"You have exceeded a secondary rate limit"}',
        NOW,
      )?.waitMs,
    ).toBe(60_000);
    // A plain permission 403 is not a rate limit.
    expect(
      githubRateLimits.rejection(
        403,
        h({ 'x-ratelimit-remaining': '4999' }),
        '{"message":"Resource not accessible by integration"}',
        NOW,
      ),
    ).toBeNull();
    expect(
      githubRateLimits.exhaustedUntil(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), NOW),
    ).toBe(NOW + 42_000);
  });

  it('Jira: 429 with Retry-After, else X-RateLimit-Reset', () => {
    expect(jiraRateLimits.rejection(429, h({ 'retry-after': '3' }), '', NOW)?.waitMs).toBe(3000);
    expect(
      jiraRateLimits.rejection(429, h({ 'x-ratelimit-reset': '2026-01-01T00:00:10Z' }), '', NOW)?.waitMs,
    ).toBe(10_000);
    expect(jiraRateLimits.rejection(429, h({}), '', NOW)?.waitMs).toBeNull();
    expect(jiraRateLimits.rejection(503, h({ 'retry-after': '3' }), '', NOW)).toBeNull();
  });

  it("Linear: RATELIMITED errors (HTTP 400) wait for the exhausted budget's reset (epoch ms)", () => {
    const body = '{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}';
    expect(
      linearRateLimits.rejection(
        400,
        h({ 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(NOW + 1500) }),
        body,
        NOW,
      ),
    ).toEqual({ waitMs: 1500, reason: 'request budget' });
    expect(
      linearRateLimits.rejection(
        400,
        h({
          'x-ratelimit-requests-remaining': '10',
          'x-ratelimit-complexity-remaining': '0',
          'x-ratelimit-complexity-reset': String(NOW + 9000),
        }),
        body,
        NOW,
      ),
    ).toEqual({ waitMs: 9000, reason: 'complexity budget' });
    expect(
      linearRateLimits.rejection(400, h({}), '{"errors":[{"message":"Argument Validation Error"}]}', NOW),
    ).toBeNull();
    expect(linearRateLimits.rejection(429, h({}), '', NOW)?.waitMs).toBeNull();
  });
});
