import { describe, expect, it } from '@jest/globals';

import { intervalMs, RateLimitGate, retryAfterMs } from './rate-limit-gate.js';

describe('RateLimitGate', () => {
  const setup = () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const gate = new RateLimitGate(
      () => now,
      async (ms) => void waits.push(ms),
    );
    return { gate, waits, advance: (ms: number) => (now += ms) };
  };

  it('waits out a used-up window for that connection only', async () => {
    const { gate, waits, advance } = setup();
    gate.observe('a', {
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    await gate.beforeRequest('b');
    expect(waits).toEqual([]);
    advance(4_000);
    await gate.beforeRequest('a');
    expect(waits).toEqual([6_000]);
    advance(6_000);
    await gate.beforeRequest('a');
    expect(waits).toEqual([6_000]);
  });

  it('waits a second when the per-second allowance is used up, and remembers the daily allowance', async () => {
    const { gate, waits } = setup();
    gate.observe('a', {
      'x-hubspot-ratelimit-secondly-remaining': '0',
      'x-hubspot-ratelimit-daily-remaining': '1234',
    });
    await gate.beforeRequest('a');
    expect(waits).toEqual([1_000]);
    expect(gate.dailyRemaining('a')).toBe(1234);
  });

  it('never pauses longer than ten seconds, and ignores nonsense headers', async () => {
    const { gate, waits } = setup();
    gate.observe('a', {
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '600000',
    });
    gate.observe('b', {
      'x-hubspot-ratelimit-remaining': 'zero',
      'x-hubspot-ratelimit-interval-milliseconds': '-5',
    });
    await gate.beforeRequest('a');
    await gate.beforeRequest('b');
    expect(waits).toEqual([10_000]);
  });
});

describe('retry hints', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2024-07-01T10:00:00Z');
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'retry-after': 'Mon, 01 Jul 2024 10:00:05 GMT' }, now)).toBe(5_000);
    expect(retryAfterMs({ 'retry-after': 'Mon, 01 Jul 2024 09:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
    expect(intervalMs({ 'x-hubspot-ratelimit-interval-milliseconds': ['10000'] })).toBe(10_000);
  });
});
