import { describe, expect, it } from '@jest/globals';
import { DataKeyCache } from './data-key-cache.js';

describe('DataKeyCache', () => {
  it('expires entries and zeroes the key it drops', () => {
    let now = 0;
    const cache = new DataKeyCache(1000, 10, () => now);
    const key = Buffer.alloc(32, 7);
    cache.set('a', key);
    expect(cache.get('a')).toBe(key);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(key.every((b) => b === 0)).toBe(true);
  });

  it('evicts the oldest entry beyond its size and zeroes it', () => {
    const cache = new DataKeyCache(60_000, 2);
    const [a, b, c] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2), Buffer.alloc(32, 3)];
    cache.set('a', a);
    cache.set('b', b);
    cache.set('c', c);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(a.every((x) => x === 0)).toBe(true);
    expect(cache.get('c')).toBe(c);
    cache.clear();
    expect(c.every((x) => x === 0)).toBe(true);
  });
});
