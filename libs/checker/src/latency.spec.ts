import { describe, expect, it } from '@jest/globals';

import { percentile, summarise } from './latency.js';

describe('percentile (nearest rank)', () => {
  it('picks the nearest-rank sample', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile(sorted, 99)).toBe(20);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises unsorted durations, rounded to 0.1 ms', () => {
    expect(summarise([3.04, 1.01, 2.06], 4)).toEqual({
      requests: 4,
      ok: 3,
      p50: 2.1,
      p95: 3,
      p99: 3,
      min: 1,
      max: 3,
    });
  });
});
