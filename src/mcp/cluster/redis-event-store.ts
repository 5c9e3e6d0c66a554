import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';

/** Redis stream ids (`<ms>-<seq>`): anything else a client sends as `Last-Event-ID` is unknown. */
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

export interface RedisEventStoreOptions {
  readonly key: string;
  readonly maxEvents: number;
  readonly ttlSeconds: number;
}

/**
 * The SSE events of one legacy session in a Redis stream, so a client can resume with `Last-Event-ID` on
 * whichever node it reaches. Ids are the stream's own (ordered, unique per session); each entry holds the
 * SDK's stream id and the message. Bounded (`MAXLEN ~ maxEvents`, the oldest go first) and expiring with
 * the session (`ttlSeconds` after the last event or touch).
 *
 * `mute()` makes the store forget what it is given (fresh ids, nothing written): used while a node
 * rebuilds a session by replaying its `initialize`, whose answer must not reach the client again.
 */
export class RedisEventStore implements EventStore {
  private muted = false;
  private mutedSeq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisEventStoreOptions,
  ) {}

  mute(muted: boolean): void {
    this.muted = muted;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    if (this.muted) return `0-${++this.mutedSeq}`;
    const { key, maxEvents, ttlSeconds } = this.options;
    const results = await this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', String(maxEvents), '*', 's', streamId, 'm', JSON.stringify(message))
      .expire(key, ttlSeconds)
      .exec();
    const [err, id] = results?.[0] ?? [new Error('no reply to XADD'), null];
    if (err || typeof id !== 'string') throw err ?? new Error('XADD returned no id');
    return id;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    if (!STREAM_ID.test(eventId)) return undefined;
    const entries = await this.redis.xrange(this.options.key, eventId, eventId);
    return entries[0] ? fieldOf(entries[0][1], 's') : undefined;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    // An evicted or foreign id: nothing can be replayed, and the SDK answers an empty stream id as "unknown".
    const streamId = await this.getStreamIdForEventId(lastEventId);
    if (!streamId) return '';
    const entries = await this.redis.xrange(
      this.options.key,
      `(${lastEventId}`,
      '+',
      'COUNT',
      this.options.maxEvents * 2,
    );
    for (const [id, fields] of entries) {
      if (fieldOf(fields, 's') !== streamId) continue;
      const raw = fieldOf(fields, 'm');
      if (raw === undefined) continue;
      await send(id, JSON.parse(raw) as JSONRPCMessage);
    }
    return streamId;
  }
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
