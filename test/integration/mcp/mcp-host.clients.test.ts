import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { MODERN_VERSION, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

type Era = 'legacy' | 'modern';

async function connect(era: Era, token = 'reader'): Promise<Client> {
  const client = new Client(
    { name: `jest-${era}`, version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} } },
      ...(era === 'modern' && { versionNegotiation: { mode: { pin: MODERN_VERSION } } }),
    },
  );
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { confirm: true },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(h.mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

function text(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('');
}

describe.each<Era>(['legacy', 'modern'])('MCP host, %s era, official client', (era) => {
  let reader: Client;

  beforeAll(async () => {
    reader = await connect(era);
  });

  afterAll(async () => {
    await reader.close();
  });

  it('negotiates the expected protocol era', () => {
    const version = reader.getNegotiatedProtocolVersion();
    if (era === 'modern') expect(version).toBe(MODERN_VERSION);
    else expect(version).not.toBe(MODERN_VERSION);
  });

  it('lists only the tools the principal may use, with overrides applied', async () => {
    const { tools } = await reader.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'count_slowly', 'explode', 'confirm_action']));
    expect(names).not.toContain('write_note');
    expect(tools.find((t) => t.name === 'echo')?.title).toBe('Echo (renamed)');

    const writer = await connect(era, 'writer');
    try {
      expect((await writer.listTools()).tools.map((t) => t.name)).toContain('write_note');
      expect(text(await writer.callTool({ name: 'write_note', arguments: { note: 'hi' } }))).toBe('saved hi');
    } finally {
      await writer.close();
    }
  });

  it("refuses a tool above the principal's permission", async () => {
    await expect(reader.callTool({ name: 'write_note', arguments: { note: 'x' } })).rejects.toThrow(
      /write_note/,
    );
  });

  it('calls a tool with the principal and connection in its context', async () => {
    const result = await reader.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(text(result)).toBe('hello (from key-reader on Main)');
  });

  it('turns a thrown error into a tool error with a correlation id and no internals', async () => {
    const result = await reader.callTool({ name: 'explode', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Correlation id: [0-9a-f-]{36}/);
    expect(text(result)).not.toMatch(/secret|app\.js/);
  });

  it('relays progress notifications', async () => {
    const seen: number[] = [];
    const result = await reader.callTool(
      { name: 'count_slowly', arguments: {} },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(text(result)).toBe('counted');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('reads resources and templates, and completes template variables', async () => {
    const { resources } = await reader.listResources();
    expect(resources.map((r) => r.uri)).toContain('test://static');
    const statics = await reader.readResource({ uri: 'test://static' });
    expect(statics.contents[0]).toMatchObject({ text: 'static for key-reader' });
    const { resourceTemplates } = await reader.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('test://items/{id}');
    const item = await reader.readResource({ uri: 'test://items/42' });
    expect(item.contents[0]).toMatchObject({ text: 'item 42' });
    const completion = await reader.complete({
      ref: { type: 'ref/resource', uri: 'test://items/{id}' },
      argument: { name: 'id', value: '42' },
    });
    expect(completion.completion.values).toEqual(['42', '420']);
  });

  it('gets prompts and completes prompt arguments', async () => {
    const { prompts } = await reader.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('greet');
    const prompt = await reader.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(prompt.messages[0].content).toMatchObject({ text: 'Hello Ada' });
    const completion = await reader.complete({
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: 'A' },
    });
    expect(completion.completion.values).toEqual(['Ada', 'Alan']);
  });

  it('runs a multi-round-trip tool, the pack seeing its own (host-signed) requestState', async () => {
    const result = await reader.callTool({ name: 'confirm_action', arguments: { action: 'deploy' } });
    expect(text(result)).toBe('confirmed with state round-1:deploy');
  });
});

describe('list_changed after invalidate()', () => {
  it('reaches an open legacy session and a modern subscriptions/listen stream', async () => {
    const legacy = await connect('legacy');
    const modern = await connect('modern');
    try {
      const legacyChanged = new Promise<void>((resolve) =>
        legacy.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
      );
      const modernChanged = new Promise<void>((resolve) =>
        modern.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
      );
      const subscription = await modern.listen({ toolsListChanged: true });
      // The legacy client opens its GET stream after initialization; a request round-trip makes sure it is up.
      await legacy.listTools();
      await waitFor(() => h.host.stats().legacySessions > 0);

      const before = h.control.surfaceCalls;
      h.control.extraTool = true;
      await h.host.invalidate(h.descriptor.endpoint.id);
      expect(h.control.surfaceCalls).toBe(before + 1);

      await Promise.all([legacyChanged, modernChanged]);
      expect((await legacy.listTools()).tools.map((t) => t.name)).toContain('late_tool');
      expect(
        (await modern.listTools(undefined, { cacheMode: 'refresh' })).tools.map((t) => t.name),
      ).toContain('late_tool');
      await subscription.close();
    } finally {
      h.control.extraTool = false;
      await legacy.close();
      await modern.close();
    }
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}
