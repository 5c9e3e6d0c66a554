import { describe, expect, it } from '@jest/globals';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.js';

describe('rateLimitHeaders', () => {
  it('lists one item per applied limit in both fields', () => {
    expect(
      rateLimitHeaders([
        { scope: 'tenant', rule: { points: 6000, windowSeconds: 60 }, remaining: 5990, resetMs: 41_200 },
        { scope: 'principal', rule: { points: 600, windowSeconds: 60 }, remaining: 0, resetMs: 12_001 },
      ]),
    ).toEqual({
      'RateLimit-Policy': '"tenant";q=6000;w=60, "principal";q=600;w=60',
      RateLimit: '"tenant";r=5990;t=42, "principal";r=0;t=13',
    });
  });

  it('sends nothing when no limit applies', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('never asks for a retry sooner than a second', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});
