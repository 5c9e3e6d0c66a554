/**
 * Small, honest MCP deployments on loopback for the checker's negative tests: an MCP server (official SDK
 * v2, both eras) behind a bearer-token gate, RFC 9728 metadata, and a minimal authorization server (RFC
 * 8414 metadata, RFC 7591 registration, authorization code with PKCE, RFC 8707 resource, JWT access
 * tokens signed with a real key). Each follows the specs except for the one defect it is asked to have.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, type McpHttpHandler } from '@modelcontextprotocol/server';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import * as z from 'zod';

export interface Defects {
  /** Serve no protected-resource metadata and no resource_metadata in the challenge. */
  readonly noProtectedResourceMetadata?: boolean;
  /** Issue tokens for this audience instead of the requested resource (and accept them: a matched pair). */
  readonly tokenAudience?: string;
  /** PKCE methods advertised and enforced (default ["S256"]). */
  readonly pkceMethods?: readonly string[];
  /** No authorization at all, and a crash on malformed or unexpected requests. */
  readonly crashOnBadRequest?: boolean;
  /** Speaks only the 2025 protocol era (not a defect today: a server not yet on 2026-07-28). */
  readonly legacyOnly?: boolean;
}

export interface BrokenDeployment {
  readonly origin: string;
  readonly mcpUrl: string;
  /** Every access token the authorization server issued (to prove none reaches a report). */
  readonly issuedTokens: readonly string[];
  close(): Promise<void>;
}

interface Client {
  readonly redirectUris: readonly string[];
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly method: string;
  readonly resource: string;
}

const KNOWN_METHODS = new Set([
  'initialize',
  'notifications/initialized',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
]);

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'fixture', version: '1.0.0' });
  server.registerTool(
    'server_status',
    {
      description: 'Says whether the service is up.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    () => ({ content: [{ type: 'text', text: 'up' }] }),
  );
  server.registerTool(
    'delete_everything',
    {
      description: 'Never called by the checker.',
      inputSchema: z.object({}),
      annotations: { destructiveHint: true },
    },
    () => {
      throw new Error('the checker must never call this tool');
    },
  );
  server.registerResource('readme', 'fixture://readme', { mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'read me' }],
  }));
  return server;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startBrokenDeployment(defects: Defects = {}): Promise<BrokenDeployment> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const clients = new Map<string, Client>();
  const codes = new Map<string, PendingCode>();
  const issuedTokens: string[] = [];
  const pkceMethods = defects.pkceMethods ?? ['S256'];
  const handler: McpHttpHandler = createMcpHandler(buildMcpServer, { legacy: 'stateless' });
  const mcp = toNodeHandler(handler);
  let origin = '';

  const http: Server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path === '/mcp') return serveMcp(req, res);
    if (path === '/.well-known/oauth-protected-resource/mcp' && !defects.noProtectedResourceMetadata) {
      return json(res, 200, {
        resource: `${origin}/mcp`,
        authorization_servers: [origin],
        scopes_supported: ['mcp'],
        bearer_methods_supported: ['header'],
      });
    }
    if (path === '/.well-known/oauth-authorization-server') {
      return json(res, 200, {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        jwks_uri: `${origin}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: pkceMethods,
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['mcp'],
      });
    }
    if (path === '/jwks') return json(res, 200, { keys: [jwk] });
    if (path === '/register' && req.method === 'POST') return registerClient(req, res);
    if (path === '/authorize') return authorize(url, res);
    if (path === '/token' && req.method === 'POST') return token(req, res, privateKey);
    json(res, 404, { error: 'not_found' });
  }

  async function registerClient(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(req)) as { redirect_uris?: unknown };
    const uris = body.redirect_uris;
    if (
      !Array.isArray(uris) ||
      uris.length === 0 ||
      !uris.every((u) => typeof u === 'string' && URL.parse(u))
    ) {
      return json(res, 400, { error: 'invalid_redirect_uri' });
    }
    const clientId = `c_${randomBytes(8).toString('hex')}`;
    clients.set(clientId, { redirectUris: uris as string[] });
    json(res, 201, { client_id: clientId, redirect_uris: uris, token_endpoint_auth_method: 'none' });
  }

  /** Approves at once (there is nobody to sign in), after checking the request as an honest server does. */
  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const client = clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client || !client.redirectUris.includes(redirectUri))
      return json(res, 400, { error: 'invalid_request' });
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    const method = q.get('code_challenge_method') ?? 'plain';
    const challenge = q.get('code_challenge');
    if (!challenge || !pkceMethods.includes(method) || q.get('response_type') !== 'code') {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, {
        clientId: q.get('client_id')!,
        redirectUri,
        challenge,
        method,
        resource: q.get('resource') ?? '',
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse, key: CryptoKey): Promise<void> {
    const p = new URLSearchParams(await readBody(req));
    const code = codes.get(p.get('code') ?? '');
    codes.delete(p.get('code') ?? '');
    const verifier = p.get('code_verifier') ?? '';
    const derived =
      code?.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (
      !code ||
      code.clientId !== p.get('client_id') ||
      code.redirectUri !== p.get('redirect_uri') ||
      derived !== code.challenge
    ) {
      return json(res, 400, { error: 'invalid_grant' }, { 'Cache-Control': 'no-store' });
    }
    const accessToken = await new SignJWT({ scope: 'mcp', client_id: code.clientId })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(origin)
      .setAudience(defects.tokenAudience ?? code.resource)
      .setSubject('fixture-user')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    issuedTokens.push(accessToken);
    json(
      res,
      200,
      {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: randomBytes(16).toString('base64url'),
        scope: 'mcp',
      },
      { 'Cache-Control': 'no-store' },
    );
  }

  async function authorized(req: IncomingMessage): Promise<boolean> {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    try {
      // The resource checks the audience it was configured with: in the wrong-audience deployment, the
      // same wrong value the authorization server puts in (a matched misconfiguration).
      await jwtVerify(m[1]!, publicKey, {
        issuer: origin,
        audience: defects.tokenAudience ?? `${origin}/mcp`,
      });
      return true;
    } catch {
      return false;
    }
  }

  async function serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!defects.crashOnBadRequest && !(await authorized(req))) {
      const params = defects.noProtectedResourceMetadata
        ? 'scope="mcp"'
        : `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="mcp"`;
      return json(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': `Bearer ${params}` });
    }
    if (req.method !== 'POST') return mcp(req, res);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (defects.crashOnBadRequest) {
        req.socket.destroy();
        return;
      }
      return json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (defects.crashOnBadRequest) {
      const m = body as { method?: unknown; params?: { name?: unknown } };
      const unknownMethod = typeof m.method === 'string' && !KNOWN_METHODS.has(m.method);
      const badCall = m.method === 'tools/call' && typeof m.params?.name !== 'string';
      if (unknownMethod || badCall) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
        return;
      }
    }
    if (defects.legacyOnly) {
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await buildMcpServer().connect(transport);
      return transport.handleRequest(req, res, body);
    }
    return mcp(req, res, body);
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    mcpUrl: `${origin}/mcp`,
    issuedTokens,
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * The checker's hook for a server with nobody to sign in: follow the authorization URL until it redirects
 * to the redirect URI, as a browser would.
 */
export async function followRedirect(authorizationUrl: URL, redirectUri: string): Promise<string> {
  let url = authorizationUrl.href;
  for (let i = 0; i < 5; i++) {
    if (url.startsWith(redirectUri)) return url;
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location) throw new Error(`no redirect from ${url}: HTTP ${res.status}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
