import { randomBytes } from 'node:crypto';

import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  createRequestStateCodec,
  isInitializeRequest,
  isLegacyRequest,
  type AuthInfo,
  type McpHttpHandler,
  type RequestStateCodec,
} from '@modelcontextprotocol/server';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { PackLogger, Principal } from '@switchboard/integration-kit';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

import { APP_CONFIG, decodeKey, type AppConfig } from '../config/index.js';
// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { RbacService, type SurfaceAccess } from '../rbac/rbac.service.js';
import { buildEndpointSurface, type EndpointSurface, type ExposedTool } from './endpoint-surface.js';
import { LegacySession } from './legacy-session.js';
import type { EndpointDescriptor, ExposedConnection, McpHostStats } from './mcp.types.js';
import { ServerPool } from './server-pool.js';
import { McpInterceptors } from './mcp-interceptors.js';
import {
  createSurfaceServer,
  hostAuthOf,
  toAuthInfo,
  type SealedRequestState,
  type SurfaceServerDeps,
  subscribedUris,
} from './surface-server.js';

/** A principal without authentication info sees nothing. */
const NOTHING: SurfaceAccess = { key: 'none', permits: () => false };

/** Idle servers kept per (endpoint generation, access view). */
const MAX_IDLE_SERVERS = 16;
/** SSE events kept per legacy session for Last-Event-ID resumption. */
const MAX_SESSION_EVENTS = 500;
/** Cache hint on list results: short, because list_changed is the real invalidation signal. */
const LIST_TTL_MS = 30_000;
const REQUEST_STATE_TTL_SECONDS = 600;

interface EndpointRuntime {
  descriptor: EndpointDescriptor;
  deps: SurfaceServerDeps;
  surface: EndpointSurface;
  pools: Map<string, ServerPool>;
  /** One per endpoint for its whole life: open `subscriptions/listen` streams hang off its bus. */
  handler: McpHttpHandler;
}

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers });
}

/**
 * Serves MCP for every endpoint in both protocol eras. Modern (2026-07-28) requests are stateless and
 * served by pooled per-endpoint servers through one `createMcpHandler` per endpoint; legacy (2025-era)
 * requests get one server and transport per `Mcp-Session-Id`, bound to the principal that opened it.
 */
@Injectable()
export class McpHostService implements OnApplicationShutdown {
  private readonly logger = new Logger(McpHostService.name);
  private readonly runtimes = new Map<string, Promise<EndpointRuntime>>();
  /** The same runtimes once built, for synchronous lookups on the request path. */
  private readonly settled = new Map<string, EndpointRuntime>();
  private readonly sessions = new Map<string, LegacySession>();
  private readonly requestState: RequestStateCodec<SealedRequestState>;
  private readonly sweeper: NodeJS.Timeout;
  private readonly nodeHandler = toNodeHandler(
    { fetch: (request, options) => this.route(request, options?.authInfo, options?.parsedBody) },
    { onerror: (error) => this.logger.error({ msg: 'MCP adapter error', err: error.message }) },
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rbac: RbacService,
    private readonly interceptors: McpInterceptors,
  ) {
    let key: Uint8Array;
    if (config.mcp.requestStateKey) {
      key = decodeKey(config.mcp.requestStateKey);
    } else {
      key = randomBytes(32);
      this.logger.warn(
        'SWITCHBOARD_REQUEST_STATE_KEY is not set: using a random key for this process. Multi-round-trip ' +
          'requests will fail across nodes or restarts; set the variable (same value on every node) for multi-node deployments.',
      );
    }
    this.requestState = createRequestStateCodec<SealedRequestState>({
      key,
      ttlSeconds: REQUEST_STATE_TTL_SECONDS,
      // Replaying a state minted for one principal, endpoint or method anywhere else fails verification.
      bind: (ctx) => {
        const auth = hostAuthOf(ctx);
        return [
          auth?.tenantId ?? '',
          auth?.endpointId ?? '',
          auth?.principal.id ?? '',
          ctx.mcpReq.method,
        ].join('\0');
      },
    });
    const sweepMs = Math.min(60_000, Math.max(1_000, (config.mcp.sessionIdleSeconds * 1000) / 4));
    this.sweeper = setInterval(() => void this.sweepIdleSessions(), sweepMs);
    this.sweeper.unref();
  }

  /** Serves one HTTP request (POST, GET or DELETE) on an endpoint URL, already authenticated. */
  async handle(
    req: ExpressRequest,
    res: ExpressResponse,
    endpoint: EndpointDescriptor,
    principal: Principal,
  ): Promise<void> {
    await this.runtimeFor(endpoint);
    (req as ExpressRequest & { auth?: AuthInfo }).auth = toAuthInfo(principal, endpoint);
    await this.nodeHandler(req, res, req.body);
  }

  /**
   * The endpoint's surface changed: rebuild it, tell open legacy sessions (list_changed on their streams)
   * and modern listeners (`subscriptions/listen`). Without `next` the current descriptor is rebuilt, which
   * re-runs `pack.surface()` (an upstream schema changed).
   */
  async invalidate(endpointId: string, next?: EndpointDescriptor): Promise<void> {
    const current = this.runtimes.get(endpointId);
    if (!current) return;
    const runtime = await current.catch(() => null);
    if (!runtime) {
      this.runtimes.delete(endpointId);
      return;
    }
    await this.rebuild(runtime, next ?? runtime.descriptor);
    for (const session of this.sessions.values()) {
      if (session.endpointId === endpointId) session.rebind(runtime.deps, runtime.surface);
    }
    runtime.handler.notify.toolsChanged();
    runtime.handler.notify.promptsChanged();
    runtime.handler.notify.resourcesChanged();
  }

  /** Closes every session and endpoint handler (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    const runtimes = await Promise.all([...this.runtimes.values()].map((r) => r.catch(() => null)));
    this.runtimes.clear();
    this.settled.clear();
    await Promise.all(runtimes.map((r) => r?.handler.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }

  stats(): McpHostStats {
    return {
      legacySessions: this.sessions.size,
      endpoints: this.runtimes.size,
      idleServers: this.idleServerCount,
    };
  }

  /** Servers built by the modern-era pools so far (a steady value under load means they are being reused). */
  poolBuildCount(): number {
    let n = 0;
    for (const runtime of this.settled.values())
      for (const pool of runtime.pools.values()) n += pool.builtCount;
    return n;
  }

  /** Tells legacy sessions of an endpoint that subscribed to `uri` that the resource changed. */
  async notifyResourceUpdated(endpointId: string, uri: string): Promise<number> {
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (session.endpointId !== endpointId || !subscribedUris(session.server).has(uri)) continue;
      await session.server.server.sendResourceUpdated({ uri }).catch(() => undefined);
      sent++;
    }
    return sent;
  }

  /** Descriptors of the endpoints this process currently serves (to push changes to them). */
  servedEndpoints(): EndpointDescriptor[] {
    return [...this.settled.values()].map((r) => r.descriptor);
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Closes legacy sessions idle for longer than `sessionIdleSeconds`; the clock is a parameter for tests. */
  async sweepIdleSessions(now = Date.now()): Promise<number> {
    const cutoff = now - this.config.mcp.sessionIdleSeconds * 1000;
    const stale = [...this.sessions.values()].filter((s) => s.lastSeen < cutoff);
    for (const s of stale) {
      if (s.id) this.sessions.delete(s.id);
      await s.close();
    }
    return stale.length;
  }

  private get idleServerCount(): number {
    let n = 0;
    for (const runtime of this.settled.values())
      for (const pool of runtime.pools.values()) n += pool.idleCount;
    return n;
  }

  private async runtimeFor(endpoint: EndpointDescriptor): Promise<EndpointRuntime> {
    const id = endpoint.endpoint.id;
    let pending = this.runtimes.get(id);
    if (!pending) {
      pending = this.createRuntime(endpoint);
      this.runtimes.set(id, pending);
      pending.catch(() => this.runtimes.delete(id));
    }
    const runtime = await pending;
    if (endpoint.generation > runtime.descriptor.generation) await this.invalidate(id, endpoint);
    return runtime;
  }

  private async createRuntime(descriptor: EndpointDescriptor): Promise<EndpointRuntime> {
    const runtime = {
      pools: new Map<string, ServerPool>(),
    } as EndpointRuntime;
    runtime.handler = createMcpHandler(
      ({ authInfo }) => {
        const auth = authInfo ? hostAuthOf({ http: { authInfo } }) : undefined;
        return this.poolFor(
          runtime,
          auth ? this.allowedFor(auth.principal, auth.endpointId) : NOTHING,
        ).acquire();
      },
      {
        legacy: 'reject',
        maxRequestBodySize: this.config.http.maxBodyBytes,
        onerror: (error) =>
          this.logger.debug({
            msg: 'MCP request rejected',
            endpointId: descriptor.endpoint.id,
            err: error.message,
          }),
      },
    );
    await this.rebuild(runtime, descriptor);
    this.settled.set(descriptor.endpoint.id, runtime);
    return runtime;
  }

  private async rebuild(runtime: EndpointRuntime, descriptor: EndpointDescriptor): Promise<void> {
    const deps: SurfaceServerDeps = {
      descriptor,
      rbac: this.rbac,
      logger: this.logger,
      requestState: this.requestState,
      cacheTtlMs: LIST_TTL_MS,
      packLogger: (connection) => this.packLogger(descriptor, connection),
      interceptors: this.interceptors,
    };
    const surface = await buildEndpointSurface(descriptor, deps.packLogger, (connection, error) =>
      this.logger.error({
        msg: 'Tool pack failed to build its surface; connection left out',
        tenantId: descriptor.tenant.id,
        endpointId: descriptor.endpoint.id,
        connectionId: connection.connectionId,
        err: error instanceof Error ? error.message : String(error),
      }),
    );
    const oldPools = runtime.pools;
    runtime.descriptor = descriptor;
    runtime.deps = deps;
    runtime.surface = surface;
    runtime.pools = new Map();
    for (const pool of oldPools.values()) pool.retire();
  }

  /** The principal's view of this endpoint (role, per-tool rules, scopes); equal views share a pool. */
  private allowedFor(principal: Principal, endpointId: string): SurfaceAccess {
    return this.rbac.surfaceAccess(principal, endpointId);
  }

  /**
   * A tool as this process serves it on an endpoint (undefined when unknown or not built yet), for
   * controls that act before the SDK sees a call (authorization's 403 and denial audit).
   */
  findTool(endpointId: string, name: string): ExposedTool | undefined {
    return this.settled.get(endpointId)?.surface.tools.find((t) => t.name === name);
  }

  private poolFor(runtime: EndpointRuntime, allowed: SurfaceAccess): ServerPool {
    const key = allowed.key;
    let pool = runtime.pools.get(key);
    if (!pool) {
      const { deps, surface } = runtime;
      pool = new ServerPool(() => createSurfaceServer(deps, surface, allowed).server, MAX_IDLE_SERVERS);
      runtime.pools.set(key, pool);
    }
    return pool;
  }

  /** The fetch-shaped router behind `handle()`: legacy traffic to sessions, the rest to the endpoint's handler. */
  private async route(
    request: Request,
    authInfo: AuthInfo | undefined,
    parsedBody: unknown,
  ): Promise<Response> {
    const auth = authInfo ? hostAuthOf({ http: { authInfo } }) : undefined;
    if (!auth) return jsonRpcError(401, -32001, 'Unauthorized');
    const runtime = this.settled.get(auth.endpointId);
    if (!runtime) return jsonRpcError(404, -32001, 'Endpoint not found');
    // Only the legacy era has sessions: a request naming a session we hold goes straight to it, without
    // classifying the body (the SDK's classifier parses it, and the session's transport does so again).
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null && this.sessions.has(sessionId)) {
      return this.routeLegacy(request, runtime, auth.principal, authInfo!, parsedBody);
    }
    if (
      !(await isLegacyRequest(request, parsedBody, { maxRequestBodySize: this.config.http.maxBodyBytes }))
    ) {
      return runtime.handler.fetch(request, { authInfo: authInfo!, parsedBody });
    }
    return this.routeLegacy(request, runtime, auth.principal, authInfo!, parsedBody);
  }

  private async routeLegacy(
    request: Request,
    runtime: EndpointRuntime,
    principal: Principal,
    authInfo: AuthInfo,
    parsedBody: unknown,
  ): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session || session.endpointId !== runtime.descriptor.endpoint.id) {
        return jsonRpcError(404, -32001, 'Session not found');
      }
      if (session.principalId !== principal.id || session.tenantId !== principal.tenantId) {
        this.logger.warn({
          msg: 'Refused a legacy session used by another principal',
          endpointId: session.endpointId,
        });
        return jsonRpcError(403, -32003, 'Forbidden: this session belongs to another credential');
      }
      session.lastSeen = Date.now();
      return session.transport.handleRequest(request, { parsedBody, authInfo });
    }

    if (request.method !== 'POST') {
      // Without a session there is no stream to open or end; 405 is also what a 2026-era client expects.
      return jsonRpcError(405, -32000, 'Method Not Allowed: open a session with initialize first', {
        Allow: 'POST',
      });
    }
    const isInit =
      request.method === 'POST' &&
      (isInitializeRequest(parsedBody) ||
        (Array.isArray(parsedBody) && parsedBody.some((m) => isInitializeRequest(m))));
    if (!isInit) {
      return jsonRpcError(
        400,
        -32000,
        'Bad Request: Mcp-Session-Id header is required (send initialize first)',
      );
    }
    if (this.sessions.size >= this.config.mcp.maxSessions) {
      return jsonRpcError(503, -32000, 'Service Unavailable: too many open sessions, retry later', {
        'Retry-After': '30',
      });
    }
    const session = new LegacySession(
      runtime.descriptor.endpoint.id,
      principal.tenantId,
      principal.id,
      this.allowedFor(principal, runtime.descriptor.endpoint.id),
      runtime.deps,
      runtime.surface,
      Date.now(),
      {
        onInitialized: (s) => {
          if (s.id) this.sessions.set(s.id, s);
        },
        onClosed: (s) => {
          if (s.id && this.sessions.get(s.id) === s) this.sessions.delete(s.id);
        },
      },
      MAX_SESSION_EVENTS,
    );
    await session.connect();
    const response = await session.transport.handleRequest(request, { parsedBody, authInfo });
    if (!session.id || !this.sessions.has(session.id)) await session.close();
    return response;
  }

  private packLogger(descriptor: EndpointDescriptor, connection: ExposedConnection): PackLogger {
    const base = {
      tenantId: descriptor.tenant.id,
      connectionId: connection.connectionId,
      pack: connection.pack.id,
    };
    return {
      debug: (msg, fields) => this.logger.debug({ msg, ...base, ...fields }),
      info: (msg, fields) => this.logger.log({ msg, ...base, ...fields }),
      warn: (msg, fields) => this.logger.warn({ msg, ...base, ...fields }),
      error: (msg, fields) => this.logger.error({ msg, ...base, ...fields }),
    };
  }
}
