/**
 * The running platform, driven the way Claude drives it: the official SDK v2 client, an API key, a tenant's
 * hosted MCP URL, in both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createTenant, startTestApp, type TestApp } from '../support/app.js';

const MODERN = '2026-07-28';
type Era = 'legacy' | 'modern';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

async function connect(url: string, key: string, era: Era): Promise<Client> {
  const client = new Client(
    { name: `e2e-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

describe.each<Era>(['legacy', 'modern'])('hosted endpoint, %s era', (era) => {
  it('lists and calls tools, reads resources, gets prompts, reports progress', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    await app.workspace.setResource(t.slug, {
      name: 'handbook',
      mimeType: 'text/markdown',
      content: '# Handbook',
    });
    await app.workspace.setPrompt(t.slug, {
      name: 'greet',
      arguments: [{ name: 'who', required: true }],
      template: 'Say hello to {{who}}.',
    });
    const client = await connect(t.mcpUrl, t.key, era);
    try {
      if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      else expect(client.getNegotiatedProtocolVersion()).not.toBe(MODERN);

      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name)).toEqual(
        expect.arrayContaining(['test_simple_text', 'test_tool_with_progress']),
      );

      const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(textOf(simple)).toBe('This is a simple text response for testing.');

      const { resources } = await client.listResources();
      const handbook = resources.find((r) => r.name === 'handbook');
      expect(handbook?.uri).toBe('workspace://resources/handbook');
      const read = await client.readResource({ uri: handbook!.uri });
      expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: '# Handbook' });

      const prompt = await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } });
      expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to Ada.' });

      const progress: number[] = [];
      const withProgress = await client.callTool(
        { name: 'test_tool_with_progress', arguments: {} },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(withProgress.isError).toBeFalsy();
      expect(progress).toEqual([0, 50, 100]);
    } finally {
      await client.close();
    }
  });

  it("is refused at another tenant's URL with the first tenant's key", async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    await expect(connect(b.mcpUrl, a.key, era)).rejects.toThrow();
    const res = await fetch(b.mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${a.key}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});

describe('legacy sessions', () => {
  it('receives list_changed when the tenant adds a prompt', async () => {
    const t = await createTenant(app);
    const client = await connect(t.mcpUrl, t.key, 'legacy');
    try {
      const changed = new Promise<void>((resolve) => {
        client.setNotificationHandler('notifications/prompts/list_changed', () => resolve());
      });
      // The standalone GET stream carries server-initiated notifications; listing opens the session fully.
      await client.listPrompts();
      await app.workspace.setPrompt(t.slug, { name: 'later', template: 'Added while connected.' });
      await changed;
      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => p.name)).toContain('later');
    } finally {
      await client.close();
    }
  });

  it('resumes a broken stream with Last-Event-ID and loses no message', async () => {
    const t = await createTenant(app, { packs: ['protocol-test-kit'] });
    const headers = {
      Authorization: `Bearer ${t.key}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    };
    const init = await fetch(t.mcpUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    const session = { ...headers, 'Mcp-Session-Id': sid, 'Mcp-Protocol-Version': '2025-11-25' };
    await fetch(t.mcpUrl, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });

    const abort = new AbortController();
    const call = await fetch(t.mcpUrl, {
      method: 'POST',
      headers: session,
      signal: abort.signal,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p' } },
      }),
    });
    const reader = call.body!.getReader();
    let buffer = '';
    let firstId: string | undefined;
    while (firstId === undefined) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      const block = buffer.split('\n\n').find((b) => b.includes('notifications/progress'));
      if (block) firstId = /^id: ?(.+)$/m.exec(block)?.[1];
    }
    expect(firstId).toBeDefined();
    abort.abort();
    await reader.cancel().catch(() => undefined);

    // Until the server has seen the old connection close it answers 409 (stream still active), as a real
    // client's reconnect with back-off would also see; retry a bounded number of times.
    const resumed = new AbortController();
    let replay: Response | undefined;
    for (let attempt = 0; attempt < 40; attempt++) {
      replay = await fetch(t.mcpUrl, {
        method: 'GET',
        signal: resumed.signal,
        headers: { ...session, Accept: 'text/event-stream', 'Last-Event-ID': firstId! },
      });
      if (replay.status !== 409) break;
      await replay.body?.cancel();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(replay!.status).toBe(200);
    const replayReader = replay!.body!.getReader();
    let text = '';
    while (!text.includes('"id":7')) {
      const { value, done } = await replayReader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    resumed.abort();
    expect(text).toContain('"progress":50');
    expect(text).toContain('"progress":100');
    expect(text).toContain('"id":7');
    expect(text).not.toContain('"progress":0,');
  });
});

describe('URLs and credentials', () => {
  it('answers an unknown tenant and an unknown endpoint of a real tenant identically', async () => {
    const t = await createTenant(app);
    const post = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${t.key}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      });
    const unknownTenant = await post(`${app.url}/t/no-such-tenant/mcp`);
    const unknownEndpoint = await post(`${app.url}/t/${t.slug}/e/no-such-endpoint/mcp`);
    expect(unknownTenant.status).toBe(404);
    expect(unknownEndpoint.status).toBe(404);
    expect(await unknownTenant.json()).toEqual(await unknownEndpoint.json());
  });

  it('refuses a revoked key and a key without the tenant prefix', async () => {
    const t = await createTenant(app);
    const views = await app.apiKeys.list(t.slug);
    await app.apiKeys.revoke(t.slug, views[0]!.prefix);
    await expect(connect(t.mcpUrl, t.key, 'legacy')).rejects.toThrow();
    const res = await fetch(t.mcpUrl, {
      method: 'POST',
      headers: { Authorization: 'Bearer not-a-key', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('serves a further endpoint only the tools chosen for it', async () => {
    const t = await createTenant(app);
    await app.tenancy.createEndpoint(t.slug, { slug: 'narrow' });
    await app.tenancy.enablePack(t.slug, 'protocol-test-kit', {
      endpointSlug: 'narrow',
      tools: ['test_simple_text', 'test_image_content'],
    });
    const client = await connect(`${app.url}/t/${t.slug}/e/narrow/mcp`, t.key, 'modern');
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual(['test_image_content', 'test_simple_text']);
    } finally {
      await client.close();
    }
    const main = await connect(t.mcpUrl, t.key, 'modern');
    try {
      expect((await main.listTools()).tools).toEqual([]);
    } finally {
      await main.close();
    }
  });
});
