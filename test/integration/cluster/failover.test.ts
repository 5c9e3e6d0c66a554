/**
 * Losing a node under load, behind a round-robin proxy (retrying only requests that reached no node):
 * - SIGKILL: every tool call that was acknowledged is in the audit log, and clients — a 2025-era session
 *   included — carry on on the surviving node;
 * - SIGTERM: the node drains — no request is answered with a 5xx, its SSE stream ends cleanly (the
 *   client reconnects elsewhere), every acknowledged call is audited, and the process exits.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/client';

import {
  Cluster,
  clusterSuite,
  eventually,
  legacyClient,
  modernCall,
  text,
  type NodeProcess,
} from './support.js';

jest.setTimeout(300_000);

const suite = clusterSuite('failover.test.ts');

interface Load {
  readonly acked: string[];
  readonly statuses: number[];
  readonly errors: string[];
  stop(): Promise<void>;
}

/** `workers` loops of stateless tool calls through the proxy, each call naming itself in its arguments. */
function startLoad(url: string, key: string, tag: string, workers = 4): Load {
  const acked: string[] = [];
  const statuses: number[] = [];
  const errors: string[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      const name = `${tag}-${w}-${i}`;
      try {
        const res = await modernCall(url, key, 'tools/call', {
          name: 'json_schema_2020_12_tool',
          arguments: { name },
        });
        statuses.push(res.status);
        const result = (res.body as { result?: { content?: unknown } } | null)?.result;
        if (res.status === 200 && result && text(result).includes(name)) acked.push(name);
      } catch (e) {
        // The connection broke under the request (its node was killed): not acknowledged.
        errors.push((e as Error).message);
      }
    }
  });
  return {
    acked,
    statuses,
    errors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** A legacy session's tool calls in a loop through the proxy; counts what succeeded and what failed. */
function startLegacyLoop(
  client: Client,
  tag: string,
): { ok: string[]; failed: string[]; stop(): Promise<void> } {
  const ok: string[] = [];
  const failed: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const name = `${tag}-${i}`;
      try {
        // A call in flight on the node that dies has no answer anywhere: like any client, give up on it
        // after a while (the SDK's default is a minute) and carry on.
        const r = await client.callTool(
          { name: 'json_schema_2020_12_tool', arguments: { name } },
          { timeout: 10_000 },
        );
        if (text(r).includes(name)) ok.push(name);
      } catch (e) {
        failed.push(`${name}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  return {
    ok,
    failed,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

suite('losing a node under load', () => {
  const cluster = new Cluster();
  let a: NodeProcess;
  let b: NodeProcess;

  beforeAll(async () => {
    await cluster.start();
    [a, b] = await Promise.all([cluster.startNode('A'), cluster.startNode('B')]);
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('SIGKILL: no acknowledged call goes unaudited, and clients recover on the other node', async () => {
    const t = await cluster.tenant();
    const mcpUrl = `${cluster.proxy.url}/t/${t.slug}/mcp`;
    const legacy = await legacyClient(mcpUrl, t.key);
    const load = startLoad(mcpUrl, t.key, 'kill');
    const session = startLegacyLoop(legacy, 'kill-legacy');
    try {
      await eventually('load on both nodes', () => (load.acked.length >= 40 ? true : undefined), 60_000);
      a.child.kill('SIGKILL');
      await a.exited;
      const ackedAtKill = load.acked.length;
      const legacyAtKill = session.ok.length;
      // Recovery: the survivor keeps answering both eras, the legacy session rebuilt there.
      await eventually(
        'calls acknowledged after the kill',
        () =>
          load.acked.length >= ackedAtKill + 40 && session.ok.length >= legacyAtKill + 5 ? true : undefined,
        60_000,
      );
    } finally {
      await load.stop();
      await session.stop();
      await legacy.close().catch(() => undefined);
    }
    const audited = new Set(await cluster.auditedNames(t.slug));
    const lost = [...load.acked, ...session.ok].filter((n) => !audited.has(n));
    expect(lost).toEqual([]);
    // Only requests in flight on the killed node may have failed.
    expect(load.statuses.filter((s) => s >= 500).length + load.errors.length).toBeLessThan(20);
  });

  it('SIGTERM: drains without a 5xx, ends its stream cleanly, flushes the audit log and exits', async () => {
    const c = await cluster.startNode('C');
    cluster.route([b, c]);
    const t = await cluster.tenant();
    const mcpUrl = `${cluster.proxy.url}/t/${t.slug}/mcp`;
    const legacy = await legacyClient(mcpUrl, t.key);
    const sessionId = (legacy.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(sessionId).toBeTruthy();
    // The session's GET stream, opened on C directly so we know which node holds it.
    const stream = await fetch(`${c.url}/t/${t.slug}/mcp`, {
      headers: {
        Authorization: `Bearer ${t.key}`,
        Accept: 'text/event-stream',
        'Mcp-Session-Id': sessionId!,
      },
    });
    // The SDK client may already hold the session's one GET stream on C; then C answers 409 and the
    // client's own stream is the one C must end.
    expect([200, 409]).toContain(stream.status);
    const streamEnd =
      stream.status === 200
        ? (async () => {
            const reader = stream.body!.getReader();
            for (;;) {
              const { done } = await reader.read();
              if (done) return 'ended cleanly';
            }
          })().catch((e: unknown) => `failed: ${(e as Error).message}`)
        : Promise.resolve('ended cleanly');

    const load = startLoad(mcpUrl, t.key, 'term');
    const session = startLegacyLoop(legacy, 'term-legacy');
    try {
      await eventually('load on both nodes', () => (load.acked.length >= 40 ? true : undefined), 60_000);
      c.child.kill('SIGTERM');
      const exit = await c.exited;
      expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
      const ackedAtExit = load.acked.length;
      const legacyAtExit = session.ok.length;
      await eventually(
        'calls acknowledged after the drain',
        () =>
          load.acked.length >= ackedAtExit + 20 && session.ok.length >= legacyAtExit + 3 ? true : undefined,
        60_000,
      );
    } finally {
      await load.stop();
      await session.stop();
      await legacy.close().catch(() => undefined);
    }
    expect(await streamEnd).toBe('ended cleanly');
    expect(c.output()).toContain('Shutdown: drained');
    process.stdout.write(
      `${c
        .output()
        .split('\n')
        .filter((l) => l.includes('Shutdown'))
        .join('\n')}\n`,
    );
    expect(load.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(load.errors).toEqual([]);
    expect(session.failed).toEqual([]);
    const audited = new Set(await cluster.auditedNames(t.slug));
    expect([...load.acked, ...session.ok].filter((n) => !audited.has(n))).toEqual([]);
  });
});
