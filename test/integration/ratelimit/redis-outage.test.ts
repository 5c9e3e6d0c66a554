/**
 * Redis goes away mid-test and comes back: limits keep working from the in-memory insurance limiter while
 * it is gone, and are counted in Redis again once it returns. The test runs its own redis-server child
 * (never the machine's shared one) and kills it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { e2eDatabaseKind } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import {
  createTenant,
  eventually,
  mcpRequest,
  RedisChild,
  redisServerAvailable,
  startNode,
  uniquePrefix,
  type Node,
  type TestTenant,
} from './support.js';

jest.setTimeout(90_000);

const available = await redisServerAvailable();
if (!available) {
  if (process.env.CI === 'true')
    throw new Error('redis-server is not installed: CI must run the Redis outage test');
  process.stderr.write('\n!!! redis-outage.test.ts NOT RUN: redis-server is not installed\n\n');
}
const suite = available ? describe : describe.skip;

suite('Redis outage', () => {
  let db: TestDatabase;
  let server: RedisChild;
  let node: Node;
  let t: TestTenant;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    server = await RedisChild.start();
    db = await createTestDatabase(e2eDatabaseKind());
    node = await startNode(db.config, { REDIS_URL: server.url, SWITCHBOARD_REDIS_KEY_PREFIX: prefix });
    t = await createTenant(node);
    await node.policies.set(
      t.slug,
      { plan: 'team', overrides: { principal: { points: 4, windowSeconds: 300 } } },
      { type: 'system', id: null },
      'replace',
    );
  });

  afterAll(async () => {
    await node?.close();
    await server?.stop();
    await db?.dispose();
  });

  async function statuses(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++)
      out.push((await mcpRequest(t.mcpUrl(node), t.key, 'tools/list', {}, i)).status);
    return out;
  }

  async function principalCountInRedis(): Promise<number> {
    const r = new Redis(server.url, { maxRetriesPerRequest: 0 });
    try {
      return Number(await r.get(`${prefix}rl:principal:${t.id}:api_key:${t.keyId}`));
    } finally {
      r.disconnect();
    }
  }

  it('counts in Redis, then in the insurance limiter while Redis is down, then in Redis again', async () => {
    expect(await statuses(2)).toEqual([200, 200]);
    expect(await principalCountInRedis()).toBe(2);

    await server.stop();
    await eventually(() => node.redis.limiterClient?.status !== 'ready');
    const insuredBefore = node.limits.stats().insuranceDecisions;
    // The insurance limiter has the same rule and its own (empty) counters: 4 pass, the 5th is refused.
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 429]);
    // Two decisions per request: the tenant's counter and the principal's.
    expect(node.limits.stats().insuranceDecisions - insuredBefore).toBe(10);

    await server.start();
    await eventually(() => node.redis.limiterClient?.status === 'ready', 20_000);
    // The new Redis is empty (no persistence): a fresh window, counted in Redis again.
    const insuredAfterRecovery = node.limits.stats().insuranceDecisions;
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 429]);
    expect(await principalCountInRedis()).toBe(5);
    expect(node.limits.stats().insuranceDecisions).toBe(insuredAfterRecovery);
  });
});
