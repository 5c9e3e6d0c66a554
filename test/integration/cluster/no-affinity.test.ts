/**
 * Two nodes as an operator runs them — separate processes, one PostgreSQL, one Redis, a round-robin proxy
 * with no session affinity — and nothing depends on which node a request reaches: a 2025-era session
 * opened on one node is served by the other (resumed SSE stream included), a change made through one
 * node's admin API or the CLI reaches the other's caches at once, and rate limits are counted once.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';

import {
  Cluster,
  clusterSuite,
  eventually,
  fetchVia,
  legacyClient,
  modernCall,
  text,
  type NodeProcess,
} from './support.js';

jest.setTimeout(180_000);

const suite = clusterSuite('no-affinity.test.ts');

suite('two nodes, no affinity', () => {
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

  it('serves a legacy session initialized on node A through node B, and resumes its SSE stream on B', async () => {
    const t = await cluster.tenant();
    const mcpUrl = `${cluster.proxy.url}/t/${t.slug}/mcp`;
    const seen: string[] = [];
    // initialize on A; afterwards every request alternates, and a resumption (GET with Last-Event-ID) goes to B.
    let posts = 0;
    const client = await legacyClient(
      mcpUrl,
      t.key,
      fetchVia((_url, init) => {
        const headers = new Headers(init?.headers);
        const method = init?.method ?? 'GET';
        const node = method === 'GET' && headers.has('last-event-id') ? b : posts++ % 2 === 0 ? a : b;
        seen.push(`${method}${headers.has('last-event-id') ? '+resume' : ''}→${node.name}`);
        return node;
      }),
    );
    try {
      expect(seen[0]).toBe('POST→A');
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name)).toContain('test_simple_text');
      const echoed = await client.callTool({
        name: 'json_schema_2020_12_tool',
        arguments: { name: 'via-b' },
      });
      expect(text(echoed)).toContain('via-b');
      expect(seen.filter((s) => s === 'POST→B').length).toBeGreaterThan(0);

      // The tool closes its own response stream mid-call; the client resumes it with Last-Event-ID on
      // node B, which rebuilds the session and replays the stored events — the result among them.
      const resumed = await client.callTool({ name: 'test_reconnection', arguments: {} });
      expect(text(resumed)).toContain('Reconnection test completed');
      expect(seen.some((s) => s === 'GET+resume→B')).toBe(true);
      expect(client.getNegotiatedProtocolVersion()).not.toBe('2026-07-28');
    } finally {
      await client.close();
    }
  });

  it('refuses a session to any other credential, on every node', async () => {
    const t = await cluster.tenant();
    const other = await cluster.cli<{ key: string }>('key', 'create', '--tenant', t.slug);
    const mcpUrl = `${cluster.proxy.url}/t/${t.slug}/mcp`;
    const client = await legacyClient(
      mcpUrl,
      t.key,
      fetchVia(() => a),
    );
    try {
      const sessionId = (client.transport as { sessionId?: string } | undefined)?.sessionId;
      expect(sessionId).toBeTruthy();
      for (const node of [a, b]) {
        const res = await fetch(`${node.url}/t/${t.slug}/mcp`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${other.key}`,
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            'Mcp-Session-Id': sessionId!,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
        });
        expect(res.status).toBe(403);
      }
    } finally {
      await client.close();
    }
  });

  it("tells a session whose stream node B holds about a pack enabled through the CLI, and B's tools change", async () => {
    const t = await cluster.tenant();
    const mcpUrl = `${cluster.proxy.url}/t/${t.slug}/mcp`;
    // Everything on B except the initialize: B holds the GET stream.
    let first = true;
    const client = await legacyClient(
      mcpUrl,
      t.key,
      fetchVia(() => {
        const node = first ? a : b;
        first = false;
        return node;
      }),
    );
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      changed++;
    });
    try {
      const before = (await client.listTools()).tools.map((x) => x.name);
      expect(before).toContain('test_simple_text');
      // Wait for the standalone GET stream to be open on B before changing anything.
      await eventually('the GET stream on B', async () => {
        const { Redis } = await import('ioredis');
        const r = new Redis(process.env.TEST_REDIS_URL!);
        try {
          const keys = await r.keys(`${cluster.prefix}mcp:s:*:stream`);
          return keys.length > 0 ? true : undefined;
        } finally {
          await r.quit();
        }
      });
      await cluster.cli('pack', 'disable', 'protocol-test-kit', '--tenant', t.slug);
      await eventually('list_changed from B', () => (changed > 0 ? true : undefined));
      const after = (await client.listTools()).tools.map((x) => x.name);
      expect(after).not.toContain('test_simple_text');
    } finally {
      await client.close();
    }
  });

  it("applies a rate-limit policy changed through node A's admin API on node B without waiting for its cache", async () => {
    const t = await cluster.tenant('admin,mcp');
    const onB = `${b.url}/t/${t.slug}/mcp`;
    // Warm B's policy cache with the default plan.
    const warm = await modernCall(onB, t.key, 'tools/list');
    expect(warm.headers.get('ratelimit-policy')).toContain('"principal";q=600;w=60');
    const put = await fetch(`${a.url}/api/v1/tenants/${t.slug}/rate-limit-policy`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${t.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ plan: 'team', overrides: { principal: { points: 77, windowSeconds: 45 } } }),
    });
    expect(put.status).toBe(200);
    const changedAt = Date.now();
    // B's cache lives 30 s; seeing the new policy within a few seconds shows the change was pushed.
    await eventually(
      'the new policy on B',
      async () => {
        const res = await modernCall(onB, t.key, 'tools/list');
        return res.headers.get('ratelimit-policy')?.includes('"principal";q=77;w=45') ? true : undefined;
      },
      10_000,
    );
    process.stdout.write(`policy change visible on node B after ${Date.now() - changedAt} ms\n`);
  });

  it('counts one limit across both nodes', async () => {
    const t = await cluster.tenant();
    await cluster.cli(
      'plan',
      'set',
      '--tenant',
      t.slug,
      '--plan',
      'team',
      '--override',
      '{"principal":{"points":5,"windowSeconds":120}}',
    );
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const node = i % 2 === 0 ? a : b;
      codes.push((await modernCall(`${node.url}/t/${t.slug}/mcp`, t.key, 'tools/list', {}, i)).status);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Through the proxy too.
    const viaProxy = await modernCall(`${cluster.proxy.url}/t/${t.slug}/mcp`, t.key, 'tools/list');
    expect(viaProxy.status).toBe(429);
  });

  it('counts failed token requests on both nodes against one brute-force limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const node = i % 2 === 0 ? a : b;
      const res = await fetch(`${node.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: `guess-${i}`,
          client_id: 'no-such-client',
          redirect_uri: 'http://127.0.0.1/callback',
          code_verifier: 'x'.repeat(43),
        }),
      });
      statuses.push(res.status);
      await res.text();
    }
    // Three failures (the threshold) however they were spread, then refused on either node.
    expect(statuses.slice(0, 3).every((s) => s >= 400 && s < 500 && s !== 429)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('runs the periodic jobs on exactly one node', async () => {
    const leaders = [a, b].filter((n) => n.output().includes('this node is now the cluster leader'));
    expect(leaders).toHaveLength(1);
  });
});
