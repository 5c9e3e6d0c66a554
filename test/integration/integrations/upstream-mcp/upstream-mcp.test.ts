import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  McpServer,
  type CallToolResult,
  type McpHttpHandler,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { EgressPolicy } from '@switchboard/http-client';
import type { CallContext, PackSurface } from '@switchboard/integration-kit';
import * as z from 'zod';

import {
  createUpstreamMcpPack,
  parseUpstreamConfig,
  UpstreamClients,
  type UpstreamConfig,
} from '@switchboard/upstream-mcp';

const TOKEN = `upstream-${randomBytes(16).toString('hex')}`;

/**
 * A second, real MCP server (official SDK v2, both eras through `createMcpHandler`, legacy stateless) on
 * 127.0.0.1 that requires a bearer token. `addLateTool` changes its tool list.
 */
class UpstreamServer {
  private http: Server | null = null;
  private handler: McpHttpHandler | null = null;
  port = 0;
  lateTool = false;
  calls = 0;

  private build(): McpServer {
    const server = new McpServer({ name: 'upstream-fixture', version: '1.0.0' });
    server.registerTool(
      'echo',
      {
        title: 'Echo',
        description: 'Returns the text it is given.',
        inputSchema: z.object({ text: z.string().describe('What to echo') }),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ text }) => {
        this.calls += 1;
        return { content: [{ type: 'text', text: `echo: ${text}` }] };
      },
    );
    server.registerTool(
      'Delete-Item',
      {
        description: 'Deletes an item by id.',
        inputSchema: z.object({ id: z.number().int() }),
        annotations: { destructiveHint: true },
      },
      ({ id }) => ({ content: [{ type: 'text', text: `deleted ${id}` }] }),
    );
    server.registerTool(
      'hidden',
      { description: 'Not chosen by the connection.', inputSchema: z.object({}) },
      () => ({ content: [{ type: 'text', text: 'hidden' }] }),
    );
    if (this.lateTool) {
      server.registerTool(
        'late',
        { description: 'Appears after a list change.', inputSchema: z.object({}) },
        () => ({ content: [{ type: 'text', text: 'late' }] }),
      );
    }
    server.registerResource(
      'readme',
      'upstream://readme',
      { title: 'Read me', mimeType: 'text/plain' },
      (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'upstream readme' }] }),
    );
    server.registerPrompt(
      'greet',
      { description: 'Greets someone.', argsSchema: z.object({ who: z.string() }) },
      ({ who }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${who}` } }] }),
    );
    return server;
  }

  async start(port = 0): Promise<void> {
    this.handler = createMcpHandler(() => this.build(), { legacy: 'stateless' });
    const node = toNodeHandler(this.handler);
    this.http = createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_token' }));
        return;
      }
      void node(req, res);
    });
    await new Promise<void>((resolve) => this.http!.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const http = this.http;
    this.http = null;
    if (!http) return;
    await this.handler?.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  toolsChanged(): void {
    this.handler?.notify.toolsChanged();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }
}

function context(
  config: unknown,
  connectionId: string,
  secrets: Record<string, string> = { token: TOKEN },
): CallContext<UpstreamConfig> {
  const log = () => undefined;
  return {
    tenant: { id: 'tenant-upstream-tests', slug: 'upstream-tests' },
    connectionId,
    connectionName: 'Upstream fixture',
    config: config as UpstreamConfig,
    secrets: {
      get: async (name) => {
        const value = secrets[name];
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      has: async (name) => secrets[name] !== undefined,
    },
    logger: { debug: log, info: log, warn: log, error: log },
    principal: {
      kind: 'api_key',
      id: 'k1',
      tenantId: 'tenant-upstream-tests',
      userId: null,
      role: 'admin',
      scopes: [],
    },
    signal: new AbortController().signal,
    progress: async () => undefined,
    protocol: {} as ServerContext,
  };
}

async function call(
  surface: PackSurface<UpstreamConfig>,
  name: string,
  args: Record<string, unknown>,
  ctx: CallContext<UpstreamConfig>,
): Promise<{ result: CallToolResult; text: string }> {
  const tool = surface.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${surface.tools.map((t) => t.name).join(', ')}`);
  const result = (await tool.handler(args, ctx)) as CallToolResult;
  const first = result.content[0];
  return { result, text: first?.type === 'text' ? first.text : '' };
}

const newId = () => `conn-${randomBytes(4).toString('hex')}`;

describe('upstream MCP servers', () => {
  const upstream = new UpstreamServer();
  // Loopback is opened for these tests only; by default the egress policy refuses it.
  const clients = new UpstreamClients({
    policy: EgressPolicy.fromList(['127.0.0.1']),
    initialBackoffMs: 1,
    maxBackoffMs: 1,
  });
  const pack = createUpstreamMcpPack({ clients });

  beforeAll(async () => {
    await upstream.start();
  });

  afterAll(async () => {
    await clients.closeAll();
    await upstream.stop();
  });

  const configFor = (protocol: 'legacy' | 'modern', extra: Record<string, unknown> = {}) => ({
    url: upstream.url,
    namespace: 'up',
    tools: ['echo', 'Delete-Item', 'late'],
    auth: { kind: 'bearer' },
    protocol,
    ...extra,
  });

  describe.each(['legacy', 'modern'] as const)('over the %s era', (protocol) => {
    it('re-exposes the chosen tools under the namespace, with schemas and annotations', async () => {
      const ctx = context(configFor(protocol), newId());
      const surface = await pack.surface(ctx);
      expect(surface.tools.map((t) => t.name).sort()).toEqual(['up_delete-item', 'up_echo']);
      const echo = surface.tools.find((t) => t.name === 'up_echo')!;
      expect(echo.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(echo.permission).toBe('read');
      expect(surface.tools.find((t) => t.name === 'up_delete-item')!.permission).toBe('write');
      const schema = echo.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
      expect(schema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
      const bad = await echo.inputSchema['~standard'].validate({ text: 42 });
      expect('issues' in bad && bad.issues?.length).toBeTruthy();

      const { result, text } = await call(surface, 'up_echo', { text: `hi ${protocol}` }, ctx);
      expect(result.isError).toBeFalsy();
      expect(text).toBe(`echo: hi ${protocol}`);
      expect((await call(surface, 'up_delete-item', { id: 7 }, ctx)).text).toBe('deleted 7');
    });

    it('proxies resources and prompts', async () => {
      const ctx = context(configFor(protocol), newId());
      const surface = await pack.surface(ctx);
      const readme = surface.resources?.find((r) => r.uri === 'upstream://readme');
      expect(readme?.name).toBe('up_readme');
      const read = await readme!.read(new URL('upstream://readme'), ctx);
      expect(read.contents[0]).toMatchObject({ text: 'upstream readme' });
      const greet = surface.prompts?.find((p) => p.name === 'up_greet');
      expect(greet?.arguments.map((a) => a.name)).toEqual(['who']);
      const prompt = await greet!.get({ who: 'Ada' }, ctx);
      expect(prompt.messages[0]?.content).toMatchObject({ text: 'Say hello to Ada' });
    });
  });

  it('reuses one pooled client across surface builds and calls', async () => {
    const id = newId();
    const config = configFor('modern');
    const ctx = context(config, id);
    const surface = await pack.surface(ctx);
    await call(surface, 'up_echo', { text: 'a' }, ctx);
    await pack.surface(ctx);
    await call(surface, 'up_echo', { text: 'b' }, ctx);
    expect(clients.stats(id, parseUpstreamConfig(config))).toMatchObject({ connects: 1, connected: true });
  });

  it('turns a wrong token into a tool error that never shows a token', async () => {
    const good = context(configFor('legacy'), newId());
    const surface = await pack.surface(good);
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const bad = context(configFor('legacy'), newId(), { token: wrong });
    // The first build with a bad credential yields an empty surface, not a failure.
    expect((await pack.surface(bad)).tools).toEqual([]);
    const { result, text } = await call(surface, 'up_echo', { text: 'x' }, bad);
    expect(result.isError).toBe(true);
    expect(text).toMatch(/credentials|401/);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(TOKEN);
  });

  it('refuses an upstream the egress policy does not allow', async () => {
    const strict = new UpstreamClients({ policy: new EgressPolicy() });
    try {
      const strictPack = createUpstreamMcpPack({ clients: strict });
      expect((await strictPack.surface(context(configFor('modern'), newId()))).tools).toEqual([]);
      const ctx = context(configFor('modern'), newId());
      const config = parseUpstreamConfig(ctx.config);
      const message = await strict
        .run(ctx, config, async () => 'reached')
        .then(
          (value) => value,
          (error: unknown) => strict.describe(ctx, config, error),
        );
      expect(message).toMatch(/loopback/);
    } finally {
      await strict.closeAll();
    }
  });

  it('yields tool errors while the upstream is down and recovers on the same pooled entry', async () => {
    const id = newId();
    const config = configFor('legacy');
    const ctx = context(config, id);
    const surface = await pack.surface(ctx);
    expect((await call(surface, 'up_echo', { text: 'before' }, ctx)).text).toBe('echo: before');
    const port = upstream.port;
    await upstream.stop();
    try {
      const down = await call(surface, 'up_echo', { text: 'during' }, ctx);
      expect(down.result.isError).toBe(true);
      expect(down.text).toMatch(/unreachable|ECONNREFUSED/);
      // Rebuilding the surface during the outage keeps the last known tools.
      const rebuilt = await pack.surface(ctx);
      expect(rebuilt.tools.map((t) => t.name)).toContain('up_echo');
    } finally {
      await upstream.start(port);
    }
    // The first call after the restart may still meet the dead connection (a socket the old server held
    // open); a model retries a failed call, and so does the test — a bounded number of times.
    let after = await call(surface, 'up_echo', { text: 'after' }, ctx);
    for (let attempt = 0; after.result.isError && attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await call(surface, 'up_echo', { text: 'after' }, ctx);
    }
    expect(after.result.isError).toBeFalsy();
    expect(after.text).toBe('echo: after');
    expect(clients.stats(id, parseUpstreamConfig(config))).toMatchObject({ connected: true });
  });

  it('reports upstream list changes to the platform hook', async () => {
    const id = newId();
    const ctx = context(configFor('modern'), id);
    const changed = new Promise<string>((resolve) => {
      const off = clients.onListChanged((connectionId, list) => {
        if (connectionId === id && list === 'tools') {
          off();
          resolve(connectionId);
        }
      });
    });
    const before = await pack.surface(ctx);
    expect(before.tools.map((t) => t.name)).not.toContain('up_late');
    upstream.lateTool = true;
    // Notify until delivered, more slowly than the client's debounce window (which a faster stream would
    // keep postponing).
    const timer = setInterval(() => upstream.toolsChanged(), 250);
    try {
      await expect(changed).resolves.toBe(id);
    } finally {
      clearInterval(timer);
      upstream.lateTool = false;
    }
    upstream.lateTool = true;
    try {
      const after = await pack.surface(ctx);
      expect(after.tools.map((t) => t.name)).toContain('up_late');
    } finally {
      upstream.lateTool = false;
    }
  });
});
