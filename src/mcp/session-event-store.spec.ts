import { describe, expect, it } from '@jest/globals';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

import { SessionEventStore } from './session-event-store.js';

const msg = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 't', progress: n },
});

describe('SessionEventStore', () => {
  it('replays the events of the same stream after the given id', async () => {
    const store = new SessionEventStore();
    const a1 = await store.storeEvent('a', msg(1));
    await store.storeEvent('b', msg(2));
    await store.storeEvent('a', msg(3));
    const sent: JSONRPCMessage[] = [];
    const stream = await store.replayEventsAfter(a1, { send: async (_id, m) => void sent.push(m) });
    expect(stream).toBe('a');
    expect(sent).toEqual([msg(3)]);
    expect(await store.getStreamIdForEventId(a1)).toBe('a');
  });

  it('is bounded and forgets the oldest events', async () => {
    const store = new SessionEventStore(2);
    const first = await store.storeEvent('a', msg(1));
    await store.storeEvent('a', msg(2));
    await store.storeEvent('a', msg(3));
    expect(store.size).toBe(2);
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    expect(await store.replayEventsAfter(first, { send: async () => undefined })).toBe('');
  });
});
