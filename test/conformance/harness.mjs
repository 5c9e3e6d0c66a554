// Test-only: a bare SDK v2 server that mounts the protocol-test-kit pack's surface directly, so the pack can
// be run against the official conformance suite before (or apart from) the platform host. It is NOT a second
// MCP host: no tenancy, auth, rate limits or audit — one fixed surface on http://localhost:PORT/mcp.
//
//   node test/conformance/harness.mjs            # listens on HARNESS_PORT or 3939
//   npx @modelcontextprotocol/conformance server --url http://localhost:3939/mcp
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { registerHooks } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from '@swc/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const aliases = {
  '@switchboard/integration-kit': 'libs/integration-kit/src/index.ts',
  '@switchboard/protocol-test-kit': 'libs/integrations/protocol-test-kit/src/index.ts',
};

// Loads the pack's TypeScript in place: path aliases, `.js` → `.ts` specifiers, swc with decorators.
registerHooks({
  resolve(specifier, context, next) {
    if (aliases[specifier])
      return { url: pathToFileURL(resolve(root, aliases[specifier])).href, shortCircuit: true };
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const candidate = fileURLToPath(new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL));
      if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
    }
    return next(specifier, context);
  },
  load(url, context, next) {
    if (!url.endsWith('.ts')) return next(url, context);
    const { code } = transformSync(readFileSync(fileURLToPath(url), 'utf8'), {
      filename: fileURLToPath(url),
      swcrc: false, // the repo's .swcrc rewrites path aliases for the build; here the resolve hook does
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2023',
      },
      module: { type: 'es6' },
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});

await import('reflect-metadata');
const { McpServer, ResourceTemplate, completable, createMcpHandler, isLegacyRequest } =
  await import('@modelcontextprotocol/server');
const { NodeStreamableHTTPServerTransport, localhostHostValidation, toNodeHandler, toWebRequest } =
  await import('@modelcontextprotocol/node');
const z = await import('zod');
const { protocolTestKitPack } = await import('@switchboard/protocol-test-kit');

const tenant = { id: 'harness', slug: 'harness' };
const connection = {
  tenant,
  connectionId: 'harness',
  connectionName: 'protocol-test-kit',
  config: {},
  secrets: { get: async (name) => Promise.reject(new Error(`no secret ${name}`)), has: async () => false },
  logger: { debug() {}, info() {}, warn: console.warn, error: console.error },
};
const surface = await protocolTestKitPack.surface(connection);

/** What the platform host would build per call; here from the SDK context alone. */
function callContext(ctx) {
  return {
    ...connection,
    principal: {
      kind: 'api_key',
      id: 'harness',
      tenantId: tenant.id,
      userId: null,
      role: 'owner',
      scopes: [],
    },
    signal: ctx.mcpReq.signal,
    async progress(progress, total, message) {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken, progress, total, message },
      });
    },
    protocol: ctx,
  };
}

function buildServer() {
  const server = new McpServer(
    { name: 'protocol-test-kit-harness', version: '0.0.0' },
    { capabilities: { logging: {}, completions: {}, resources: { subscribe: true, listChanged: true } } },
  );
  for (const tool of surface.tools) {
    const { name, title, description, inputSchema, outputSchema, annotations } = tool;
    server.registerTool(name, { title, description, inputSchema, outputSchema, annotations }, (args, ctx) =>
      tool.handler(args, callContext(ctx)),
    );
  }
  for (const r of surface.resources ?? []) {
    const { title, description, mimeType } = r;
    server.registerResource(r.name, r.uri, { title, description, mimeType }, (uri, ctx) =>
      r.read(uri, callContext(ctx)),
    );
  }
  for (const t of surface.resourceTemplates ?? []) {
    const { title, description, mimeType } = t;
    const template = new ResourceTemplate(t.uriTemplate, { list: undefined, complete: t.complete });
    server.registerResource(t.name, template, { title, description, mimeType }, (uri, vars, ctx) =>
      t.read(uri, vars, callContext(ctx)),
    );
  }
  for (const p of surface.prompts ?? []) {
    const { title, description } = p;
    const get = (args, ctx) => p.get(args, callContext(ctx));
    if (p.arguments.length === 0) {
      server.registerPrompt(p.name, { title, description }, (ctx) => get({}, ctx));
      continue;
    }
    const shape = {};
    for (const a of p.arguments) {
      let field = z.string().describe(a.description ?? a.name);
      if (!a.required) field = field.optional();
      shape[a.name] = a.complete ? completable(field, (value) => a.complete(value ?? '')) : field;
    }
    server.registerPrompt(p.name, { title, description, argsSchema: z.object(shape) }, get);
  }
  // Subscriptions are the host's job; the harness only acknowledges them.
  server.server.setRequestHandler('resources/subscribe', async () => ({}));
  server.server.setRequestHandler('resources/unsubscribe', async () => ({}));
  return server;
}

/** Minimal per-session event store so a closed SSE stream can be resumed (test_reconnection). */
function memoryEventStore() {
  const events = [];
  return {
    async storeEvent(streamId, message) {
      const eventId = `${streamId}:${events.length}`;
      events.push({ eventId, streamId, message });
      return eventId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const index = events.findIndex((e) => e.eventId === lastEventId);
      if (index < 0) throw new Error(`unknown event ${lastEventId}`);
      const { streamId } = events[index];
      for (const e of events.slice(index + 1)) if (e.streamId === streamId) await send(e.eventId, e.message);
      return streamId;
    },
  };
}

const sessions = new Map();
async function serveLegacy(req, res, body) {
  const sid = req.headers['mcp-session-id'];
  let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
  if (!transport) {
    if (sid !== undefined || req.method !== 'POST' || body?.method !== 'initialize') {
      res.writeHead(sid !== undefined ? 404 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32000, message: 'Bad or missing session' },
        }),
      );
      return;
    }
    transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: memoryEventStore(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await buildServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
}

const modern = toNodeHandler(createMcpHandler(() => buildServer(), { legacy: 'reject' }));
const validHost = localhostHostValidation();

async function readJson(req) {
  if (req.method !== 'POST') return undefined;
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

const http = createServer(async (req, res) => {
  try {
    if (!validHost(req, res)) return;
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    if (await isLegacyRequest(await toWebRequest(req, body), body)) await serveLegacy(req, res, body);
    else await modern(req, res, body);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  }
});

const port = Number(process.env.HARNESS_PORT ?? 3939);
http.listen(port, '127.0.0.1', () =>
  console.log(`protocol-test-kit harness on http://localhost:${port}/mcp`),
);
