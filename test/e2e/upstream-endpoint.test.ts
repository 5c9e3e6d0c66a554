/**
 * Issue 5's upstream-MCP path through the platform: a second MCP server started here (requiring a bearer
 * token kept in the vault) is re-exposed on a tenant endpoint under a namespace, and the official client
 * uses it in both protocol eras, through an upstream outage and its recovery.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, type McpHttpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { VaultService } from '../../src/vault/vault.service.js';
import { createTenant, startTestApp, type TestApp } from '../support/app.js';

const TOKEN = `upstream-${randomBytes(16).toString('hex')}`;

class Upstream {
  private http: Server | null = null;
  private handler: McpHttpHandler | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.handler = createMcpHandler(
      () => {
        const server = new McpServer({ name: 'company-tools', version: '1.0.0' });
        server.registerTool(
          'lookup',
          {
            description: 'Looks up an order by id.',
            inputSchema: z.object({ id: z.number().int() }),
            annotations: { readOnlyHint: true },
          },
          ({ id }) => ({ content: [{ type: 'text', text: `order ${id}: shipped` }] }),
        );
        server.registerTool('internal', { description: 'Not chosen.', inputSchema: z.object({}) }, () => ({
          content: [{ type: 'text', text: 'internal' }],
        }));
        return server;
      },
      { legacy: 'stateless' },
    );
    const node = toNodeHandler(this.handler);
    this.http = createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
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
}

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

describe('upstream MCP server through a hosted endpoint', () => {
  let app: TestApp;
  const upstream = new Upstream();

  beforeAll(async () => {
    await upstream.start();
    // The upstream lives on loopback, which the egress guard refuses unless the operator allows it.
    app = await startTestApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await upstream.stop();
  });

  it('serves the chosen upstream tools under a namespace in both eras, and survives an outage', async () => {
    const t = await createTenant(app);
    const { connection } = await app.tenancy.enablePack(t.slug, 'upstream-mcp', {
      endpointSlug: 'default',
      connectionName: 'company-tools',
      config: {
        url: `http://127.0.0.1:${upstream.port}/mcp`,
        namespace: 'co',
        tools: ['lookup'],
        auth: { kind: 'bearer' },
      },
    });
    const tenant = await app.tenancy.getTenant(t.slug);
    await app.running.app.get(VaultService).setSecret({ tenantId: tenant.id }, connection.id, 'token', TOKEN);
    // The secret arrived after the connection was attached: rebuild the endpoint's surface.
    await app.tenancy.enablePack(t.slug, 'upstream-mcp', {
      endpointSlug: 'default',
      connectionName: 'company-tools',
    });

    for (const era of ['legacy', 'modern'] as const) {
      const client = new Client(
        { name: `e2e-upstream-${era}`, version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
          requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
        }),
      );
      try {
        const { tools } = await client.listTools();
        expect(tools.map((x) => x.name)).toEqual(['co_lookup']);
        const ok = await client.callTool({ name: 'co_lookup', arguments: { id: 7 } });
        expect(textOf(ok)).toBe('order 7: shipped');
        expect(JSON.stringify(ok)).not.toContain(TOKEN);

        if (era === 'legacy') {
          const port = upstream.port;
          await upstream.stop();
          const down = await client.callTool({ name: 'co_lookup', arguments: { id: 7 } });
          expect(down.isError).toBe(true);
          expect(JSON.stringify(down)).not.toContain(TOKEN);
          await upstream.start(port);
          // The pooled client backs off after a failed connect; the model would retry, so does the test.
          let back = await client.callTool({ name: 'co_lookup', arguments: { id: 8 } });
          for (let attempt = 0; back.isError && attempt < 40; attempt++) {
            await new Promise((r) => setTimeout(r, 250));
            back = await client.callTool({ name: 'co_lookup', arguments: { id: 8 } });
          }
          expect(textOf(back)).toBe('order 8: shipped');
        }
      } finally {
        await client.close();
      }
    }
  });
});
