import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/index.js';
import { reconnectDelay, redactRedisUrl, RedisService } from './redis.service.js';

describe('RedisService', () => {
  it('has no connections when REDIS_URL is unset', () => {
    const r = new RedisService(loadConfig({}));
    expect(r.configured).toBe(false);
    expect(r.client).toBeNull();
    expect(r.limiterClient).toBeNull();
    expect(r.subscriber('x')).toBeNull();
    expect(r.status()).toEqual({ configured: false, ready: false, connections: {} });
  });

  it('prefixes keys with SWITCHBOARD_REDIS_KEY_PREFIX', () => {
    expect(new RedisService(loadConfig({})).key('rl', 'tenant')).toBe('sb:rl:tenant');
    expect(new RedisService(loadConfig({ SWITCHBOARD_REDIS_KEY_PREFIX: 'test-1:' })).key('a')).toBe(
      'test-1:a',
    );
  });

  it('backs off exponentially up to 5 s, with jitter', () => {
    expect(reconnectDelay(1, () => 0)).toBe(50);
    expect(reconnectDelay(1, () => 1)).toBe(100);
    expect(reconnectDelay(4, () => 1)).toBe(800);
    expect(reconnectDelay(50, () => 1)).toBe(5000);
    expect(reconnectDelay(50, () => 0)).toBe(2500);
  });

  it('never logs credentials', () => {
    expect(redactRedisUrl('redis://user:s3cret@cache:6379/0')).toBe('redis://***:***@cache:6379/0');
    expect(redactRedisUrl('rediss://:s3cret@cache:6380')).not.toContain('s3cret');
  });
});
