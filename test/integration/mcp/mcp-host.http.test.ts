import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import {
  LEGACY_VERSION,
  MODERN_VERSION,
  messagesOf,
  modernPost,
  openLegacySession,
  post,
  startHarness,
  type Harness,
} from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ SWITCHBOARD_MAX_SESSIONS: '3' });
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  // A far-future sweep closes every session: each test starts with none open.
  await h.host.sweepIdleSessions(Date.now() + 10 ** 9);
});

function errorOf(messages: Record<string, unknown>[]): { code: number; message: string } | undefined {
  return messages.find((m) => 'error' in m)?.error as { code: number; message: string } | undefined;
}

function legacyHeaders(sid: string, token = 'reader'): Record<string, string> {
  return { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': LEGACY_VERSION, Authorization: `Bearer ${token}` };
}

describe('transport-level checks', () => {
  it('404s an unknown tenant or endpoint with the same body', async () => {
    const a = await post(`${h.url}/t/nope/mcp`, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const b = await post(`${h.url}/t/acme/e/nope/mcp`, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(a.status).toBe(404);
    expect(JSON.parse(a.text)).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(b.text).toBe(a.text);
  });

  it('401s a missing or bad credential with WWW-Authenticate', async () => {
    for (const auth of ['', 'Bearer wrong']) {
      const res = await post(
        h.mcpUrl,
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { Authorization: auth },
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('403s a Host that is not allowed (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.mcpUrl}`,
        {
          method: 'POST',
          headers: {
            Host: 'evil.example',
            'Content-Type': 'application/json',
            Authorization: 'Bearer reader',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('403s a foreign Origin and accepts the same origin', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: {} } };
    const foreign = await post(h.mcpUrl, body, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign.messages)?.message).toMatch(/Origin/);
    const same = await modernPost(h.mcpUrl, 1, 'tools/list', {}, { Origin: h.url });
    expect(same.status).toBe(200);
  });

  it('answers malformed JSON with 400 / -32700', async () => {
    const res = await post(h.mcpUrl, '{"jsonrpc": "2.0", ');
    expect(res.status).toBe(400);
    expect(errorOf(res.messages)?.code).toBe(-32700);
  });

  it('answers a wrong Content-Type with 415', async () => {
    const res = await post(h.mcpUrl, 'hello', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(errorOf(res.messages)).toBeDefined();
  });

  it('answers a missing or wrong Accept with 406', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const res = await post(h.mcpUrl, init, { Accept: 'text/html' });
    expect(res.status).toBe(406);
    expect(errorOf(res.messages)).toBeDefined();
  });

  it('answers a body over maxBodyBytes with 413 and a JSON-RPC error', async () => {
    const res = await post(h.mcpUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x'.repeat(10_000) } },
    });
    expect(res.status).toBe(413);
    expect(errorOf(res.messages)?.code).toBe(-32000);
  });

  it('answers an unknown method with -32601 (both eras)', async () => {
    const modern = await modernPost(h.mcpUrl, 7, 'nope/nothing', {});
    expect(errorOf(modern.messages)?.code).toBe(-32601);
    const sid = await openLegacySession(h.mcpUrl);
    const legacy = await post(
      h.mcpUrl,
      { jsonrpc: '2.0', id: 2, method: 'nope/nothing' },
      legacyHeaders(sid),
    );
    expect(errorOf(legacy.messages)?.code).toBe(-32601);
  });

  it('answers invalid params with -32602', async () => {
    const unknownTool = await modernPost(h.mcpUrl, 8, 'tools/call', { name: 'no_such_tool', arguments: {} });
    expect(errorOf(unknownTool.messages)?.code).toBe(-32602);
    const missingArg = await modernPost(h.mcpUrl, 9, 'prompts/get', { name: 'greet', arguments: {} });
    expect(errorOf(missingArg.messages)?.code).toBe(-32602);
  });

  it('answers an unsupported protocol version with 400', async () => {
    const res = await post(
      h.mcpUrl,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2099-01-01',
            'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      },
      { 'MCP-Protocol-Version': '2099-01-01', 'Mcp-Method': 'tools/list' },
    );
    expect(res.status).toBe(400);
    const error = errorOf(res.messages);
    expect(error?.message).toMatch(/protocol version/i);

    const sid = await openLegacySession(h.mcpUrl);
    const legacy = await post(
      h.mcpUrl,
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { ...legacyHeaders(sid), 'MCP-Protocol-Version': '1999-01-01' },
    );
    expect(legacy.status).toBe(400);
  });

  it('never leaks a stack', async () => {
    const res = await post(h.mcpUrl, '[1, 2, {"x": ');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('legacy sessions', () => {
  it('refuses a session used with another principal', async () => {
    const sid = await openLegacySession(h.mcpUrl, 'reader');
    const res = await post(
      h.mcpUrl,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      legacyHeaders(sid, 'reader2'),
    );
    expect(res.status).toBe(403);
    expect(errorOf(res.messages)).toBeDefined();
    const own = await post(
      h.mcpUrl,
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      legacyHeaders(sid, 'reader'),
    );
    expect(own.status).toBe(200);
  });

  it('404s an unknown session id and requires initialize first', async () => {
    const res = await post(
      h.mcpUrl,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      legacyHeaders('00000000-0000-0000-0000-000000000000'),
    );
    expect(res.status).toBe(404);
    expect(errorOf(res.messages)).toBeDefined();
    const noSession = await post(h.mcpUrl, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(noSession.status).toBe(400);
    const get = await fetch(h.mcpUrl, {
      headers: { Accept: 'text/event-stream', Authorization: 'Bearer reader' },
    });
    expect(get.status).toBe(405);
  });

  it('ends a session on DELETE', async () => {
    const sid = await openLegacySession(h.mcpUrl);
    expect(h.host.activeSessions).toBe(1);
    const del = await fetch(h.mcpUrl, { method: 'DELETE', headers: legacyHeaders(sid) });
    expect(del.status).toBe(200);
    expect(h.host.activeSessions).toBe(0);
    const after = await post(h.mcpUrl, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, legacyHeaders(sid));
    expect(after.status).toBe(404);
  });

  it('closes idle sessions after sessionIdleSeconds', async () => {
    const sid = await openLegacySession(h.mcpUrl);
    expect(await h.host.sweepIdleSessions(Date.now() + 1_000)).toBe(0);
    expect(await h.host.sweepIdleSessions(Date.now() + (h.config.mcp.sessionIdleSeconds + 1) * 1000)).toBe(1);
    const after = await post(h.mcpUrl, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, legacyHeaders(sid));
    expect(after.status).toBe(404);
  });

  it('answers 503 beyond maxSessions', async () => {
    for (let i = 0; i < h.config.mcp.maxSessions; i++) await openLegacySession(h.mcpUrl);
    const res = await post(h.mcpUrl, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    expect(res.status).toBe(503);
    expect(errorOf(res.messages)?.code).toBe(-32000);
  });

  it('resumes a broken stream with Last-Event-ID', async () => {
    const sid = await openLegacySession(h.mcpUrl);
    const abort = new AbortController();
    const res = await fetch(h.mcpUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...legacyHeaders(sid),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 42,
        method: 'tools/call',
        params: { name: 'wait_for_release', arguments: {}, _meta: { progressToken: 'p1' } },
      }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let buffer = '';
    let progressEventId: string | undefined;
    while (progressEventId === undefined) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const block of buffer.split('\n\n')) {
        if (block.includes('notifications/progress')) progressEventId = /^id: ?(.+)$/m.exec(block)?.[1];
      }
    }
    expect(progressEventId).toBeDefined();
    abort.abort(); // the client's connection drops before the result
    await reader.cancel().catch(() => undefined);

    const finished = h.control.finished;
    h.control.release();
    await finished;

    const resume = new AbortController();
    const replay = await fetch(h.mcpUrl, {
      method: 'GET',
      signal: resume.signal,
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': progressEventId!, ...legacyHeaders(sid) },
    });
    expect(replay.status).toBe(200);
    const replayReader = replay.body!.getReader();
    let text = '';
    while (!text.includes('"id":42')) {
      const { value, done } = await replayReader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    resume.abort();
    const result = messagesOf('text/event-stream', text).find((m) => m.id === 42) as {
      result: { content: { text: string }[] };
    };
    expect(result.result.content[0].text).toBe('released');
  });
});

describe('modern era', () => {
  it('puts private cache hints on list results', async () => {
    const res = await modernPost(h.mcpUrl, 1, 'tools/list', {});
    expect(res.status).toBe(200);
    const result = res.messages[0].result as { ttlMs: number; cacheScope: string };
    expect(result.cacheScope).toBe('private');
    expect(result.ttlMs).toBeGreaterThan(0);
  });

  it('answers server/discover', async () => {
    const res = await modernPost(h.mcpUrl, 1, 'server/discover', {});
    const result = res.messages[0].result as { supportedVersions: string[] };
    expect(result.supportedVersions).toContain(MODERN_VERSION);
  });

  it('signs requestState, binds it to the principal and rejects tampering', async () => {
    const first = await modernPost(h.mcpUrl, 1, 'tools/call', {
      name: 'confirm_action',
      arguments: { action: 'drop' },
    });
    const round = first.messages[0].result as { resultType: string; requestState: string };
    expect(round.resultType).toBe('input_required');
    expect(round.requestState).not.toContain('round-1:drop'); // sealed, not the pack's raw value
    const answers = { confirm: { action: 'accept', content: { confirm: true } } };

    const ok = await modernPost(h.mcpUrl, 2, 'tools/call', {
      name: 'confirm_action',
      arguments: { action: 'drop' },
      inputResponses: answers,
      requestState: round.requestState,
    });
    expect((ok.messages[0].result as { content: { text: string }[] }).content[0].text).toBe(
      'confirmed with state round-1:drop',
    );

    const [head, body, mac] = round.requestState.split('.');
    const tampered = `${head}.${body}.${mac.slice(0, -2)}AA`;
    const bad = await modernPost(h.mcpUrl, 3, 'tools/call', {
      name: 'confirm_action',
      arguments: { action: 'drop' },
      inputResponses: answers,
      requestState: tampered,
    });
    expect(errorOf(bad.messages)?.code).toBe(-32602);

    const replayed = await modernPost(
      h.mcpUrl,
      4,
      'tools/call',
      {
        name: 'confirm_action',
        arguments: { action: 'drop' },
        inputResponses: answers,
        requestState: round.requestState,
      },
      { Authorization: 'Bearer reader2' },
    );
    expect(errorOf(replayed.messages)?.code).toBe(-32602);
  });

  it('serves concurrent requests on separate instances', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        modernPost(h.mcpUrl, i, 'tools/call', {
          name: 'count_slowly',
          arguments: {},
          _meta: { progressToken: `c${i}` },
        }),
      ),
    );
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.messages.filter((m) => m.method === 'notifications/progress')).toHaveLength(3);
      expect(r.messages.find((m) => 'result' in m)).toMatchObject({
        result: { content: [{ text: 'counted' }] },
      });
    }
  });

  it('reuses pooled servers instead of building one per request', async () => {
    for (let i = 0; i < 20; i++)
      await modernPost(h.mcpUrl, i, 'tools/call', { name: 'echo', arguments: { text: `${i}` } });
    expect(h.host.stats().idleServers).toBeGreaterThan(0);
    expect(h.host.stats().idleServers).toBeLessThanOrEqual(16);
    const before = h.host.poolBuildCount();
    for (let i = 0; i < 20; i++) await modernPost(h.mcpUrl, i, 'tools/list', {});
    expect(h.host.poolBuildCount()).toBe(before);
  });
});
