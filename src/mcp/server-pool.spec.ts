import { describe, expect, it } from '@jest/globals';
import type { McpServer } from '@modelcontextprotocol/server';

import { ServerPool } from './server-pool.js';

function fakeServer(): McpServer {
  const inner: { onclose?: () => void } = {};
  return { server: inner, isConnected: () => false } as unknown as McpServer;
}

const closeExchange = async (s: McpServer) => {
  s.server.onclose?.();
  await Promise.resolve();
};

describe('ServerPool', () => {
  it('reuses an instance once its exchange closed, and never hands one out twice at once', async () => {
    const pool = new ServerPool(fakeServer, 4);
    const a = pool.acquire();
    const b = pool.acquire();
    expect(a).not.toBe(b);
    await closeExchange(a);
    expect(pool.acquire()).toBe(a);
    expect(pool.builtCount).toBe(2);
  });

  it('keeps at most maxIdle instances', async () => {
    const pool = new ServerPool(fakeServer, 1);
    const servers = [pool.acquire(), pool.acquire()];
    for (const s of servers) await closeExchange(s);
    expect(pool.idleCount).toBe(1);
  });

  it('stops recycling once retired', async () => {
    const pool = new ServerPool(fakeServer, 4);
    const a = pool.acquire();
    pool.retire();
    await closeExchange(a);
    expect(pool.idleCount).toBe(0);
  });
});
