import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';
import { z } from 'zod';

import { RedisEventStore } from './redis-event-store.js';

/** What any node needs to rebuild a legacy session and to refuse it to anyone else. */
export interface SessionRecord {
  readonly tenantId: string;
  readonly endpointId: string;
  /** The principal that opened it: a request from anyone else on this session is refused. */
  readonly principalId: string;
  readonly principalKind: string;
  /** The protocol version the client asked for in `initialize`. */
  readonly protocolVersion: string;
  /** The client's `initialize` request, replayed into a fresh server to rebuild the session. */
  readonly initialize: JSONRPCMessage;
  readonly createdAt: number;
}

const recordSchema = z.object({
  tenantId: z.string().min(1),
  endpointId: z.string().min(1),
  principalId: z.string().min(1),
  principalKind: z.string().min(1),
  protocolVersion: z.string().min(1),
  initialize: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});

/** Session ids we accept as key material (the SDK's are UUIDs; clients may send anything). */
const SESSION_ID = /^[A-Za-z0-9._~-]{8,128}$/;

/** Deletes the key only if it still names this node (a stream that moved elsewhere keeps its pointer). */
const DELETE_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export interface SessionDirectoryOptions {
  readonly prefix: (...parts: string[]) => string;
  readonly ttlSeconds: number;
  readonly maxEvents: number;
}

/**
 * Legacy sessions in Redis, under `<prefix>mcp:s:{<id>}` (one hash slot per session): the record, the
 * node holding the client's open GET stream (`:stream`), resource subscriptions (`:subs`) and the event
 * store (`:ev`). Everything expires `ttlSeconds` after the session was last used.
 */
export class SessionDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly options: SessionDirectoryOptions,
  ) {}

  static validId(id: string): boolean {
    return SESSION_ID.test(id);
  }

  eventStore(sessionId: string): RedisEventStore {
    return new RedisEventStore(this.redis, {
      key: this.key(sessionId, 'ev'),
      maxEvents: this.options.maxEvents,
      ttlSeconds: this.options.ttlSeconds,
    });
  }

  async save(sessionId: string, record: SessionRecord): Promise<void> {
    await this.redis.set(this.key(sessionId), JSON.stringify(record), 'EX', this.options.ttlSeconds);
  }

  /** The record, or null when unknown, expired, ended or unreadable. */
  async load(sessionId: string): Promise<SessionRecord | null> {
    if (!SessionDirectory.validId(sessionId)) return null;
    const raw = await this.redis.get(this.key(sessionId));
    if (raw === null) return null;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? (parsed.data as SessionRecord) : null;
    } catch {
      return null;
    }
  }

  /** The session was used: every key of it lives `ttlSeconds` more. */
  async touch(sessionId: string): Promise<void> {
    const ttl = this.options.ttlSeconds;
    await this.redis
      .multi()
      .expire(this.key(sessionId), ttl)
      .expire(this.key(sessionId, 'stream'), ttl)
      .expire(this.key(sessionId, 'subs'), ttl)
      .expire(this.key(sessionId, 'ev'), ttl)
      .exec();
  }

  /** The client ended the session (DELETE): nothing of it remains. */
  async remove(sessionId: string): Promise<void> {
    await this.redis.del(
      this.key(sessionId),
      this.key(sessionId, 'stream'),
      this.key(sessionId, 'subs'),
      this.key(sessionId, 'ev'),
    );
  }

  async setStreamNode(sessionId: string, nodeId: string): Promise<void> {
    await this.redis.set(this.key(sessionId, 'stream'), nodeId, 'EX', this.options.ttlSeconds);
  }

  async clearStreamNode(sessionId: string, nodeId: string): Promise<void> {
    await this.redis.eval(DELETE_IF_EQUALS, 1, this.key(sessionId, 'stream'), nodeId);
  }

  /** The node holding the client's open GET stream, if any. */
  streamNode(sessionId: string): Promise<string | null> {
    return this.redis.get(this.key(sessionId, 'stream'));
  }

  async setSubscriptions(sessionId: string, uris: ReadonlySet<string>): Promise<void> {
    const key = this.key(sessionId, 'subs');
    const tx = this.redis.multi().del(key);
    if (uris.size > 0) tx.sadd(key, ...uris).expire(key, this.options.ttlSeconds);
    await tx.exec();
  }

  async subscriptions(sessionId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.key(sessionId, 'subs')));
  }

  private key(sessionId: string, part?: string): string {
    const base = this.options.prefix('mcp', 's', `{${sessionId}}`);
    return part ? `${base}:${part}` : base;
  }
}
