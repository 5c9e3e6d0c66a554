import type { AddressInfo } from 'node:net';

import type { INestApplication } from '@nestjs/common';
import express from 'express';
import { Test } from '@nestjs/testing';
import type { Principal } from '@switchboard/integration-kit';

import { ConfigModule, loadConfig, type AppConfig } from '../../../src/config/index.js';
import { McpHostService } from '../../../src/mcp/mcp-host.service.js';
import { mcpBodyParser } from '../../../src/mcp/mcp-http.js';
import { McpModule } from '../../../src/mcp/mcp.module.js';
import {
  MCP_REQUEST_GATE,
  type EndpointDescriptor,
  type McpRequestGate,
} from '../../../src/mcp/mcp.types.js';
import { AccessGrantRepository } from '../../../src/rbac/access-grant.repository.js';
import { RbacModule } from '../../../src/rbac/rbac.module.js';
import { createTestPack, type TestPackControl } from './test-pack.js';

export const PRINCIPALS: Record<string, Principal> = {
  reader: {
    kind: 'api_key',
    id: 'key-reader',
    tenantId: 'tenant-1',
    userId: 'u1',
    role: 'viewer',
    scopes: ['mcp'],
  },
  reader2: {
    kind: 'api_key',
    id: 'key-reader-2',
    tenantId: 'tenant-1',
    userId: 'u2',
    role: 'viewer',
    scopes: ['mcp'],
  },
  writer: {
    kind: 'api_key',
    id: 'key-writer',
    tenantId: 'tenant-1',
    userId: 'u3',
    role: 'member',
    scopes: ['mcp'],
  },
};

export interface Harness {
  readonly app: INestApplication;
  readonly url: string;
  readonly mcpUrl: string;
  readonly host: McpHostService;
  readonly control: TestPackControl;
  readonly config: AppConfig;
  descriptor: EndpointDescriptor;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    SWITCHBOARD_MAX_BODY_BYTES: '4096',
    SWITCHBOARD_SESSION_IDLE_SECONDS: '60',
    SWITCHBOARD_MAX_SESSIONS: '50',
    SWITCHBOARD_REQUEST_STATE_KEY: 'ab'.repeat(32),
    ...env,
  });
  const { pack, control } = createTestPack();
  const state: { descriptor: EndpointDescriptor } = {
    descriptor: {
      tenant: { id: 'tenant-1', slug: 'acme', name: 'Acme' },
      endpoint: { id: 'endpoint-1', slug: 'default', name: 'Default', isDefault: true, public: false },
      path: '/t/acme/mcp',
      generation: 1,
      connections: [
        {
          connectionId: 'conn-1',
          connectionName: 'Main',
          pack,
          config: {},
          mode: 'all',
          toolOverrides: new Map([['echo', { enabled: true, title: 'Echo (renamed)', description: null }]]),
          secrets: { get: async () => 'never', has: async () => false },
        },
      ],
    },
  };
  const gate: McpRequestGate = {
    resolveEndpoint: async (tenant, endpoint) =>
      tenant === 'acme' && (endpoint === null || endpoint === 'default') ? state.descriptor : null,
    authenticate: async (authorization) => {
      const m = /^Bearer (\S+)$/.exec(authorization ?? '');
      return (m && PRINCIPALS[m[1]]) || null;
    },
    challenge: () =>
      'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/t/acme/mcp"',
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forConfig(config),
      RbacModule,
      McpModule.forRoot({ gate: { provide: MCP_REQUEST_GATE, useValue: gate } }),
    ],
  })
    // No database here: the fake gate never loads access rules, so RBAC decides by role and scopes.
    .overrideProvider(AccessGrantRepository)
    .useValue({ list: async () => [] })
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  // Mounted as src/bootstrap.ts does: our parser on the MCP paths, then the general JSON parser.
  app.use(['/t/:tenant/mcp', '/t/:tenant/e/:endpoint/mcp'], mcpBodyParser(config));
  app.use(express.json({ limit: config.http.maxBodyBytes }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    mcpUrl: `${url}/t/acme/mcp`,
    host: app.get(McpHostService),
    control,
    config,
    get descriptor() {
      return state.descriptor;
    },
    set descriptor(d: EndpointDescriptor) {
      state.descriptor = d;
    },
    close: () => app.close(),
  };
}

/** Parses an SSE body (or a JSON body) into the JSON-RPC messages it carries. */
export function messagesOf(contentType: string | null, text: string): Record<string, unknown>[] {
  if (contentType?.includes('application/json')) {
    const parsed = JSON.parse(text) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  }
  const out: Record<string, unknown>[] = [];
  for (const block of text.split(/\n\n/)) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .join('\n');
    if (data) out.push(JSON.parse(data) as Record<string, unknown>);
  }
  return out;
}

export const LEGACY_VERSION = '2025-11-25';
export const MODERN_VERSION = '2026-07-28';

export function modernMeta(): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
  };
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; messages: Record<string, unknown>[]; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: 'Bearer reader',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let messages: Record<string, unknown>[];
  try {
    messages = text ? messagesOf(res.headers.get('content-type'), text) : [];
  } catch {
    messages = [];
  }
  return { status: res.status, headers: res.headers, messages, text };
}

/** A modern (2026-07-28) request with its envelope and standard headers. */
export function modernPost(
  url: string,
  id: number,
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const name =
    typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return post(
    url,
    {
      jsonrpc: '2.0',
      id,
      method,
      params: { ...params, _meta: { ...modernMeta(), ...(params._meta as object | undefined) } },
    },
    {
      'MCP-Protocol-Version': MODERN_VERSION,
      'Mcp-Method': method,
      ...(name !== undefined && { 'Mcp-Name': name }),
      ...headers,
    },
  );
}

/** Opens a legacy session by hand; returns its id. */
export async function openLegacySession(url: string, token = 'reader'): Promise<string> {
  const init = await post(
    url,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: LEGACY_VERSION,
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      },
    },
    { Authorization: `Bearer ${token}` },
  );
  const sid = init.headers.get('mcp-session-id');
  if (init.status !== 200 || !sid) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  await post(
    url,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    {
      Authorization: `Bearer ${token}`,
      'Mcp-Session-Id': sid,
      'MCP-Protocol-Version': LEGACY_VERSION,
    },
  );
  return sid;
}
