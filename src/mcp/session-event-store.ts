import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

interface StoredEvent {
  readonly id: EventId;
  readonly streamId: StreamId;
  readonly message: JSONRPCMessage;
}

/**
 * The SSE events of one legacy session, kept so a client whose stream broke can resume with
 * `Last-Event-ID`. One store per session because the SDK names every session's GET stream
 * `_GET_stream`; bounded because the SDK stores every message it sends and never forgets.
 */
export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private seq = 0;

  constructor(private readonly maxEvents = 500) {}

  get size(): number {
    return this.events.length;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${++this.seq}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    return id;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.events.find((e) => e.id === eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const index = this.events.findIndex((e) => e.id === lastEventId);
    // An evicted or foreign id: nothing can be replayed, and the SDK answers an empty stream id as "unknown".
    if (index < 0) return '';
    const { streamId } = this.events[index];
    for (const event of this.events.slice(index + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
