import { describe, expect, it } from '@jest/globals';
import type { Principal } from '@switchboard/integration-kit';
import { loadConfig } from '../config/index.js';
import { RedisService } from '../redis/index.js';
import { LimiterPool } from './limiter-pool.js';
import { RateLimitLoginThrottle } from './login-throttle.service.js';
import { effectiveLimits, type RateLimitOverrides } from './rate-limit-plans.js';
import type { RateLimitPolicyService } from './rate-limit-policy.service.js';
import { principalKey, RateLimitService } from './rate-limit.service.js';

function service(overrides: RateLimitOverrides): RateLimitService {
  const config = loadConfig({});
  const pool = new LimiterPool(new RedisService(config));
  const policies = {
    limitsFor: () => Promise.resolve(effectiveLimits('free', overrides)),
  } as unknown as RateLimitPolicyService;
  return new RateLimitService(pool, policies, new RateLimitLoginThrottle(pool, config));
}

const user = (id: string): Principal => ({
  kind: 'api_key',
  id,
  tenantId: 't1',
  userId: 'u1',
  role: 'member',
  scopes: ['mcp'],
});

describe('RateLimitService (in memory)', () => {
  it('refuses past the principal limit, per principal', async () => {
    const s = service({ principal: { points: 2, windowSeconds: 60 } });
    const a = principalKey(user('a'), undefined);
    const b = principalKey(user('b'), undefined);
    expect((await s.consumeRequest('t1', a)).allowed).toBe(true);
    expect((await s.consumeRequest('t1', a)).allowed).toBe(true);
    const third = await s.consumeRequest('t1', a);
    expect(third.allowed).toBe(false);
    if (third.allowed) return;
    expect(third.denied).toMatchObject({ scope: 'principal', remaining: 0, rule: { points: 2 } });
    expect(third.denied.resetMs).toBeGreaterThan(50_000);
    expect(third.firstDenial).toBe(true);
    const fourth = await s.consumeRequest('t1', a);
    expect(!fourth.allowed && fourth.firstDenial).toBe(false);
    expect((await s.consumeRequest('t1', b)).allowed).toBe(true);
    expect((await s.consumeRequest('t2', a)).allowed).toBe(true);
    expect(s.stats()).toMatchObject({ store: 'memory', rejections: { tenant: 0, principal: 2, tool: 0 } });
  });

  it('refuses past the tenant limit whoever asks, and reports every applied limit', async () => {
    const s = service({ tenant: { points: 3, windowSeconds: 60 } });
    for (const id of ['a', 'b', 'c'])
      expect((await s.consumeRequest('t1', `api_key:${id}`)).allowed).toBe(true);
    const d = await s.consumeRequest('t1', 'api_key:d');
    expect(d.allowed).toBe(false);
    expect(d.states.map((x) => x.scope)).toEqual(['tenant', 'principal']);
    expect(!d.allowed && d.denied.scope).toBe('tenant');
  });

  it('limits each tool separately and honours per-tool overrides', async () => {
    const s = service({
      tool: { points: 1, windowSeconds: 60 },
      tools: { search: { points: 3, windowSeconds: 60 }, ping: null },
    });
    expect((await s.consumeTool('t1', 'api_key:a', 'fetch')).allowed).toBe(true);
    expect((await s.consumeTool('t1', 'api_key:a', 'fetch')).allowed).toBe(false);
    for (let i = 0; i < 3; i++) expect((await s.consumeTool('t1', 'api_key:a', 'search')).allowed).toBe(true);
    expect((await s.consumeTool('t1', 'api_key:a', 'search')).allowed).toBe(false);
    for (let i = 0; i < 10; i++) expect((await s.consumeTool('t1', 'api_key:a', 'ping')).allowed).toBe(true);
    expect(s.stats().rejections.tool).toBe(2);
  });

  it('counts anonymous callers per client address', () => {
    const anon: Principal = { ...user('x'), kind: 'anonymous', id: 'anonymous:e1' };
    expect(principalKey(anon, '::ffff:198.51.100.4')).toBe('anonymous:198.51.100.4');
    expect(principalKey(anon, '2001:db8::1')).toBe(principalKey(anon, '2001:db8::2'));
    expect(principalKey(user('k1'), '198.51.100.4')).toBe('api_key:k1');
  });
});
