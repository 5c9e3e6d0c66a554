/**
 * Two server nodes on one PostgreSQL database and one real Redis enforce ONE combined limit, count each
 * request once, share the brute-force counters and learn of policy changes (from each other and from the
 * CLI) through Redis. Without Redis the same two nodes each count alone — the control experiment.
 *
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL (`.ci/run` sets both); skipped loudly without them outside CI.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { run } from '../../../apps/cli/src/main.js';
import { LoginThrottle } from '../../../src/ratelimit/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { createTenant, eventually, mcpRequest, startNode, uniquePrefix, type Node } from './support.js';

jest.setTimeout(90_000);

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const available = Boolean(databaseUrl && redisUrl);
if (!available) {
  if (process.env.CI === 'true') throw new Error('CI must set TEST_DATABASE_URL and TEST_REDIS_URL');
  process.stderr.write('\n!!! shared-redis.test.ts NOT RUN: set TEST_DATABASE_URL and TEST_REDIS_URL\n\n');
}
const suite = available ? describe : describe.skip;

const SYSTEM = { type: 'system', id: null } as const;

suite('two nodes sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let a: Node;
  let b: Node;
  let redis: Redis;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const env = {
      REDIS_URL: redisUrl!,
      SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
      SWITCHBOARD_LOCKOUT_THRESHOLD: '4',
    };
    [a, b] = await Promise.all([startNode(db.config, env), startNode(db.config, env)]);
    redis = new Redis(redisUrl!);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await db?.dispose();
  });

  it('enforces one combined principal limit and counts each request exactly once', async () => {
    const t = await createTenant(a);
    await a.policies.set(
      t.slug,
      { plan: 'team', overrides: { principal: { points: 6, windowSeconds: 60 } } },
      SYSTEM,
      'replace',
    );
    const statuses: number[] = [];
    // Alternate nodes, like a load balancer without affinity.
    for (let i = 0; i < 6; i++) {
      const node = i % 2 === 0 ? a : b;
      const res = await mcpRequest(t.mcpUrl(node), t.key, 'tools/list', {}, i);
      statuses.push(res.status);
      expect(res.headers.get('ratelimit')).toContain(`"principal";r=${5 - i};`);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await mcpRequest(t.mcpUrl(a), t.key, 'tools/list')).status).toBe(429);
    expect((await mcpRequest(t.mcpUrl(b), t.key, 'tools/list')).status).toBe(429);

    // Eight requests, eight increments: one per request per key, whichever node served it.
    const principalCount = await redis.get(`${prefix}rl:principal:${t.id}:api_key:${t.keyId}`);
    const tenantCount = await redis.get(`${prefix}rl:tenant:${t.id}`);
    expect(Number(principalCount)).toBe(8);
    expect(Number(tenantCount)).toBe(8);
    expect(a.limits.stats().store).toBe('redis');
    expect(
      a.limits.stats().rejections.principal + b.limits.stats().rejections.principal,
    ).toBeGreaterThanOrEqual(2);
  });

  it('counts concurrent requests on both nodes atomically', async () => {
    const t = await createTenant(a);
    await a.policies.set(
      t.slug,
      { plan: 'free', overrides: { principal: { points: 10, windowSeconds: 60 } } },
      SYSTEM,
      'replace',
    );
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => mcpRequest(t.mcpUrl(i % 2 ? a : b), t.key, 'tools/list', {}, i)),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(6);
  });

  it('propagates a policy change to the other node at once through Redis', async () => {
    const t = await createTenant(a);
    // Node b reads (and caches) the default policy first.
    const before = await mcpRequest(t.mcpUrl(b), t.key, 'tools/list');
    expect(before.headers.get('ratelimit-policy')).toContain('"principal";q=600;w=60');
    await a.policies.set(
      t.slug,
      { plan: 'free', overrides: { principal: { points: 7, windowSeconds: 45 } } },
      SYSTEM,
      'replace',
    );
    await eventually(async () => (await b.policies.limitsFor(t.id)).principal?.points === 7, 5_000);
    const after = await mcpRequest(t.mcpUrl(b), t.key, 'tools/list');
    expect(after.headers.get('ratelimit-policy')).toContain('"principal";q=7;w=45');
  });

  it('takes a change made with the CLI, in another process, on both nodes', async () => {
    const t = await createTenant(a);
    await mcpRequest(t.mcpUrl(a), t.key, 'tools/list');
    await mcpRequest(t.mcpUrl(b), t.key, 'tools/list');
    const out: string[] = [];
    const env = {
      DATABASE_URL: (db as { url?: string }).url,
      REDIS_URL: redisUrl,
      SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
      SWITCHBOARD_DATA_DIR: '/tmp',
      LOG_LEVEL: 'error',
    };
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
    const code = await run(
      [
        'plan',
        'set',
        '--tenant',
        t.slug,
        '--plan',
        'enterprise',
        '--override',
        '{"tools":{"test_simple_text":{"points":3,"windowSeconds":60}}}',
        '--json',
      ],
      env,
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ plan: 'enterprise', source: 'tenant' });
    for (const node of [a, b]) {
      await eventually(async () => (await node.policies.limitsFor(t.id)).plan === 'enterprise', 5_000);
    }
    out.length = 0;
    expect(await run(['plan', 'show', '--tenant', t.slug, '--json'], env, io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      plan: 'enterprise',
      limits: { tools: { test_simple_text: { points: 3, windowSeconds: 60 } } },
    });
    out.length = 0;
    expect(
      await run(['plan', 'set', '--tenant', t.slug, '--override', '{"tenant":{"points":0}}'], env, io),
    ).toBe(2);
    expect(out.join('')).toMatch(/overrides\.tenant\.points/);
  });

  it('shares the brute-force counters: failures on one node lock the account on the other', async () => {
    const account = `victim-${prefix}@example.com`;
    const ta = a.running.app.get(LoginThrottle);
    const tb = b.running.app.get(LoginThrottle);
    for (let i = 0; i < 4; i++) await (i % 2 ? ta : tb).recordFailure(account, '198.51.100.20');
    const refused = await tb.check(account, '198.51.100.20');
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(60);
    // Another address is not locked out by this one's guessing…
    expect(await ta.check(account, '198.51.100.21')).toEqual({ allowed: true });
    // …and 100 failures a day from one address, over any accounts, lock the address.
    for (let i = 0; i < 100; i++)
      await (i % 2 ? ta : tb).recordFailure(`user${i}-${prefix}@example.com`, '203.0.113.50');
    expect((await ta.check(`fresh-${prefix}@example.com`, '203.0.113.50')).allowed).toBe(false);
    // No account appears in Redis in clear.
    const keys = await redis.keys(`${prefix}rl:login-*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toContain('example.com');
  });
});

suite('the same two nodes without Redis (control)', () => {
  it('count separately: each node allows the whole limit', async () => {
    const db = await createTestDatabase('postgres');
    const [a, b] = await Promise.all([startNode(db.config), startNode(db.config)]);
    try {
      const t = await createTenant(a);
      await a.policies.set(
        t.slug,
        { plan: 'team', overrides: { principal: { points: 3, windowSeconds: 60 } } },
        SYSTEM,
        'replace',
      );
      const codes: number[] = [];
      for (let i = 0; i < 8; i++)
        codes.push((await mcpRequest(t.mcpUrl(i % 2 ? b : a), t.key, 'tools/list')).status);
      expect(codes.filter((c) => c === 200)).toHaveLength(6);
      expect(a.limits.stats().store).toBe('memory');
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.dispose();
    }
  });
});
