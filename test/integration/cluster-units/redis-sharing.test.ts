/**
 * The Redis parts of scale-out on a real Redis: the invalidation bus between two "nodes", and a legacy
 * session's shared record, stream pointer, subscriptions and event store.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';

import { loadConfig } from '../../../src/config/index.js';
import { SessionDirectory } from '../../../src/mcp/cluster/session-directory.js';
import { InvalidationBus } from '../../../src/redis/invalidation-bus.js';
import { RedisService } from '../../../src/redis/redis.service.js';
import { eventually } from '../cluster/support.js';

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl && process.env.CI === 'true') throw new Error('CI must set TEST_REDIS_URL');
const suite = redisUrl ? describe : describe.skip;

suite('on a real Redis', () => {
  const prefix = `sbtest-share-${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({
    REDIS_URL: redisUrl,
    SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
    SWITCHBOARD_SESSION_IDLE_SECONDS: '60',
  });
  const services: RedisService[] = [];
  let raw: Redis;

  beforeAll(() => {
    raw = new Redis(redisUrl!);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.onApplicationShutdown()));
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  async function node(): Promise<{ redis: RedisService; bus: InvalidationBus }> {
    const redis = new RedisService(config);
    services.push(redis);
    await redis.onModuleInit();
    const bus = new InvalidationBus(redis);
    await bus.onModuleInit();
    return { redis, bus };
  }

  describe('InvalidationBus', () => {
    it('delivers at once on the publishing node and through Redis on the others, once each', async () => {
      const a = await node();
      const b = await node();
      const seenA: unknown[] = [];
      const seenB: { payload: unknown; origin: string; local: boolean }[] = [];
      a.bus.on('t', (p) => seenA.push(p));
      b.bus.on('t', (payload, d) => seenB.push({ payload, origin: d.origin, local: d.local }));
      await a.bus.publish('t', { tenantId: 'x' });
      expect(seenA).toEqual([{ tenantId: 'x' }]);
      await eventually('delivery on B', () => (seenB.length > 0 ? true : undefined), 10_000);
      expect(seenB).toEqual([{ payload: { tenantId: 'x' }, origin: a.bus.nodeId, local: false }]);
      // Published by B: A hears it once, B's own listener once (locally), never twice.
      await b.bus.publish('t', { tenantId: 'y' });
      await eventually('delivery on A', () => (seenA.length === 2 ? true : undefined), 10_000);
      expect(seenB.filter((s) => (s.payload as { tenantId: string }).tenantId === 'y')).toHaveLength(1);
    });

    it('ignores messages that are not its own envelopes, and keeps working after a listener throws', async () => {
      const a = await node();
      const seen: unknown[] = [];
      a.bus.on('t2', () => {
        throw new Error('listener bug');
      });
      a.bus.on('t2', (p) => seen.push(p));
      await raw.publish(`${prefix}bus`, 'not json');
      await raw.publish(`${prefix}bus`, JSON.stringify({ t: 't2' }));
      await a.bus.publish('t2', 1);
      expect(seen).toEqual([1]);
    });

    it('is an in-process emitter without Redis', async () => {
      const redis = new RedisService(loadConfig({}));
      const bus = new InvalidationBus(redis);
      await bus.onModuleInit();
      const seen: unknown[] = [];
      bus.on('t', (p, d) => seen.push([p, d.local]));
      await bus.publish('t', 'p');
      expect(bus.distributed).toBe(false);
      expect(seen).toEqual([['p', true]]);
    });
  });

  describe('SessionDirectory and RedisEventStore', () => {
    let directory: SessionDirectory;

    beforeAll(async () => {
      const { redis } = await node();
      directory = new SessionDirectory(redis.client!, {
        prefix: (...parts) => redis.key(...parts),
        ttlSeconds: 60,
        maxEvents: 5,
      });
    });

    const record = {
      tenantId: 't',
      endpointId: 'e',
      principalId: 'p',
      principalKind: 'api_key',
      protocolVersion: '2025-11-25',
      initialize: { jsonrpc: '2.0', id: 0, method: 'initialize', params: {} },
      createdAt: 1,
    } as const;

    it('keeps a record with a TTL, refuses malformed ids and forgets a removed session', async () => {
      const id = randomBytes(8).toString('hex');
      await directory.save(id, record);
      expect(await directory.load(id)).toEqual(record);
      expect(await raw.ttl(`${prefix}mcp:s:{${id}}`)).toBeGreaterThan(0);
      expect(await directory.load('../../etc')).toBeNull();
      await raw.set(`${prefix}mcp:s:{bad-record-1}`, '{"tenantId":1}');
      expect(await directory.load('bad-record-1')).toBeNull();
      await directory.remove(id);
      expect(await directory.load(id)).toBeNull();
    });

    it('points at the node holding the stream, and only that node clears it', async () => {
      const id = randomBytes(8).toString('hex');
      await directory.setStreamNode(id, 'node-a');
      await directory.clearStreamNode(id, 'node-b');
      expect(await directory.streamNode(id)).toBe('node-a');
      await directory.clearStreamNode(id, 'node-a');
      expect(await directory.streamNode(id)).toBeNull();
    });

    it('shares subscriptions', async () => {
      const id = randomBytes(8).toString('hex');
      await directory.setSubscriptions(id, new Set(['a://1', 'a://2']));
      expect(await directory.subscriptions(id)).toEqual(new Set(['a://1', 'a://2']));
      await directory.setSubscriptions(id, new Set());
      expect(await directory.subscriptions(id)).toEqual(new Set());
    });

    it('replays the events of one stream after an id, bounded, and not what was stored while muted', async () => {
      const id = randomBytes(8).toString('hex');
      const store = directory.eventStore(id);
      const first = await store.storeEvent('s1', { jsonrpc: '2.0', method: 'n/1' });
      await store.storeEvent('s2', { jsonrpc: '2.0', method: 'other' });
      await store.storeEvent('s1', { jsonrpc: '2.0', method: 'n/2' });
      store.mute(true);
      expect(await store.storeEvent('s1', { jsonrpc: '2.0', method: 'hidden' })).toMatch(/^0-/);
      store.mute(false);
      expect(await store.getStreamIdForEventId(first)).toBe('s1');
      expect(await store.getStreamIdForEventId('not-an-id')).toBeUndefined();
      const sent: string[] = [];
      const stream = await store.replayEventsAfter(first, {
        send: async (_eid, m) => void sent.push((m as { method: string }).method),
      });
      expect(stream).toBe('s1');
      expect(sent).toEqual(['n/2']);
      expect(await store.replayEventsAfter('1-1', { send: async () => undefined })).toBe('');
      // Bounded: MAXLEN ~ trims whole stream nodes (100 entries by default), so at most maxEvents + 100.
      for (let i = 0; i < 300; i++) await store.storeEvent('s3', { jsonrpc: '2.0', method: `m/${i}` });
      expect(await raw.xlen(`${prefix}mcp:s:{${id}}:ev`)).toBeLessThanOrEqual(5 + 100);
      expect(await raw.ttl(`${prefix}mcp:s:{${id}}:ev`)).toBeGreaterThan(0);
    });
  });
});
