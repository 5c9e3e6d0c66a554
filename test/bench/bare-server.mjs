// The baseline for `npm run bench`: a bare MCP SDK v2 server with the same trivial tool Switchboard's
// benchmark tenant calls, written the way the SDK documents it — one transport per legacy session, and
// createMcpHandler (a server per request) for the stateless 2026-07-28 era. No auth, tenancy or controls.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer, createMcpHandler, isInitializeRequest } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';

const TEXT = 'This is a simple text response for testing.';

function buildServer() {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool('test_simple_text', { description: 'Returns a fixed text.' }, () => ({
    content: [{ type: 'text', text: TEXT }],
  }));
  return server;
}

const modern = createMcpHandler(() => buildServer(), { legacy: 'reject' });
const modernNode = toNodeHandler(modern);
const sessions = new Map();

function readJson(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        resolve(body ? JSON.parse(body) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

const http = createServer(async (req, res) => {
  try {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const transport = sessions.get(sid);
      if (!transport) {
        res.writeHead(404).end();
        return;
      }
      await transport.handleRequest(req, res, body);
      return;
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => sessions.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
      await buildServer().connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    // Everything else is 2026-07-28 (the handler itself refuses stray legacy requests).
    await modernNode(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${http.address().port}\n`);
});
process.on('SIGTERM', () => http.close(() => process.exit(0)));
