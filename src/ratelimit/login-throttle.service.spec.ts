import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/index.js';
import { RedisService } from '../redis/index.js';
import { LimiterPool } from './limiter-pool.js';
import { accountKey, RateLimitLoginThrottle } from './login-throttle.service.js';

function throttle(threshold = 3, minutes = 15): RateLimitLoginThrottle {
  const config = loadConfig({
    SWITCHBOARD_LOCKOUT_THRESHOLD: String(threshold),
    SWITCHBOARD_LOCKOUT_MINUTES: String(minutes),
  });
  return new RateLimitLoginThrottle(new LimiterPool(new RedisService(config)), config);
}

async function fail(t: RateLimitLoginThrottle, account: string, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await t.recordFailure(account, ip);
}

describe('RateLimitLoginThrottle (in memory)', () => {
  it('blocks an account from an address after the threshold of consecutive failures', async () => {
    const t = throttle(3, 15);
    await fail(t, 'ada@example.com', '198.51.100.1', 2);
    expect(await t.check('ada@example.com', '198.51.100.1')).toEqual({ allowed: true });
    await t.recordFailure('ada@example.com', '198.51.100.1');
    const d = await t.check('ada@example.com', '198.51.100.1');
    expect(d.allowed).toBe(false);
    expect(d.allowed === false && d.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(d.allowed === false && d.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // The owner at another address is not locked out by someone else's guessing.
    expect(await t.check('ada@example.com', '203.0.113.9')).toEqual({ allowed: true });
    expect(t.stats().blocks).toBe(1);
    expect(t.stats().refusals).toBe(1);
  });

  it('treats accounts case-insensitively and IPv4-mapped addresses as IPv4', async () => {
    const t = throttle(3);
    await fail(t, 'Ada@Example.com ', '::ffff:198.51.100.1', 3);
    expect((await t.check('ada@example.com', '198.51.100.1')).allowed).toBe(false);
  });

  it('a success clears the consecutive count of the account, not of the address', async () => {
    const t = throttle(3);
    await fail(t, 'bob@example.com', '198.51.100.2', 2);
    await t.recordSuccess('bob@example.com', '198.51.100.2');
    await fail(t, 'bob@example.com', '198.51.100.2', 2);
    expect((await t.check('bob@example.com', '198.51.100.2')).allowed).toBe(true);

    // The address keeps its count: 100 failures a day over any accounts block it for a day.
    const addr = '198.51.100.3';
    for (let i = 0; i < 99; i++) await t.recordFailure(`user${i}@example.com`, addr);
    await t.recordSuccess('user0@example.com', addr);
    expect((await t.check('someone@example.com', addr)).allowed).toBe(true);
    await t.recordFailure('user99@example.com', addr);
    const d = await t.check('someone@example.com', addr);
    expect(d.allowed).toBe(false);
    expect(d.allowed === false && d.retryAfterSeconds).toBeGreaterThan(23 * 3600);
  });

  it('blocks an account guessed at from many addresses', async () => {
    const t = throttle(3);
    // Five times the threshold, two failures per address: no single address reaches its own threshold.
    for (let i = 0; i < 15; i++) await t.recordFailure('carol@example.com', `192.0.2.${Math.floor(i / 2)}`);
    const d = await t.check('carol@example.com', '203.0.113.77');
    expect(d.allowed).toBe(false);
  });

  it('never keys Redis or memory by the raw account', () => {
    expect(accountKey('Ada@Example.com')).toBe(accountKey('ada@example.com'));
    expect(accountKey('ada@example.com')).not.toContain('ada');
  });
});
