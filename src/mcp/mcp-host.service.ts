import { randomBytes } from 'node:crypto';

import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  createRequestStateCodec,
  isLegacyRequest,
  type AuthInfo,
  type McpHttpHandler,
  type RequestStateCodec,
} from '@modelcontextprotocol/server';
import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { PackLogger, Principal } from '@switchboard/integration-kit';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

import { APP_CONFIG, decodeKey, type AppConfig } from '../config/index.js';
// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { RbacService, type SurfaceAccess } from '../rbac/rbac.service.js';
import { Lifecycle } from '../health/lifecycle.service.js';
import { McpCluster } from './cluster/mcp-cluster.service.js';
import { buildEndpointSurface, type EndpointSurface, type ExposedTool } from './endpoint-surface.js';
import { LegacySessions } from './legacy-sessions.js';
import { onResponseEnd } from './response-end.js';
import type { EndpointDescriptor, ExposedConnection, McpHostStats } from './mcp.types.js';
import { ServerPool } from './server-pool.js';
import { McpInterceptors } from './mcp-interceptors.js';
import {
  createSurfaceServer,
  hostAuthOf,
  toAuthInfo,
  type SealedRequestState,
  type SurfaceServerDeps,
} from './surface-server.js';

/** A principal without authentication info sees nothing. */
const NOTHING: SurfaceAccess = { key: 'none', permits: () => false };

/** Idle servers kept per (endpoint generation, access view). */
const MAX_IDLE_SERVERS = 16;
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
  private readonly sessions: LegacySessions;
  /** Modern requests being answered, `subscriptions/listen` streams excepted (a drain waits for these). */
  private modernInFlight = 0;
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
    @Optional() cluster?: McpCluster,
    @Optional() lifecycle?: Lifecycle,
  ) {
    this.sessions = new LegacySessions(config, cluster ?? null, this.logger, (principal, endpointId) =>
      this.allowedFor(principal, endpointId),
    );
    lifecycle?.onDrain('mcp', (deadline) => this.drain(deadline));
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
    this.sessions.rebind({ endpointId, deps: runtime.deps, surface: runtime.surface });
    runtime.handler.notify.toolsChanged();
    runtime.handler.notify.promptsChanged();
    runtime.handler.notify.resourcesChanged();
  }

  /**
   * Graceful shutdown (`Lifecycle.onDrain`): legacy GET streams end now so clients resume elsewhere,
   * requests in flight in both eras finish until shortly before `deadline`, then sessions and handlers
   * (with their `subscriptions/listen` streams) close. A request arriving after that still gets served.
   */
  async drain(deadline: number): Promise<void> {
    await Promise.all([
      this.sessions.drain(deadline),
      until(() => this.modernInFlight === 0, deadline - 1000),
    ]);
    await this.closeAll();
  }

  /** Closes every session and endpoint handler (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sessions.closeAll();
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

  /**
   * Tells legacy sessions of an endpoint that subscribed to `uri` that the resource changed, on every
   * node; returns how many this node told.
   */
  notifyResourceUpdated(endpointId: string, uri: string): Promise<number> {
    return this.sessions.notifyResourceUpdated(endpointId, uri);
  }

  /** Descriptors of the endpoints this process currently serves (to push changes to them). */
  servedEndpoints(): EndpointDescriptor[] {
    return [...this.settled.values()].map((r) => r.descriptor);
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Closes legacy sessions idle for longer than `sessionIdleSeconds`; the clock is a parameter for tests. */
  sweepIdleSessions(now = Date.now()): Promise<number> {
    return this.sessions.sweepIdle(now);
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
    // Only the legacy era has sessions (a 2026-07-28 request never names one): a request naming a session
    // goes straight to the sessions — held here or rebuilt from Redis — without classifying the body.
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) return this.routeLegacy(request, runtime, auth.principal, authInfo!, parsedBody);
    if (
      !(await isLegacyRequest(request, parsedBody, { maxRequestBodySize: this.config.http.maxBodyBytes }))
    ) {
      return this.routeModern(request, runtime, authInfo!, parsedBody);
    }
    return this.routeLegacy(request, runtime, auth.principal, authInfo!, parsedBody);
  }

  private async routeModern(
    request: Request,
    runtime: EndpointRuntime,
    authInfo: AuthInfo,
    parsedBody: unknown,
  ): Promise<Response> {
    // A listen stream stays open until the client leaves: a drain ends it rather than waiting for it.
    if (request.headers.get('mcp-method') === 'subscriptions/listen') {
      return runtime.handler.fetch(request, { authInfo, parsedBody });
    }
    this.modernInFlight++;
    let response: Response;
    try {
      response = await runtime.handler.fetch(request, { authInfo, parsedBody });
    } catch (e) {
      this.modernInFlight--;
      throw e;
    }
    return onResponseEnd(response, () => this.modernInFlight--);
  }

  private routeLegacy(
    request: Request,
    runtime: EndpointRuntime,
    principal: Principal,
    authInfo: AuthInfo,
    parsedBody: unknown,
  ): Promise<Response> {
    const endpoint = {
      endpointId: runtime.descriptor.endpoint.id,
      deps: runtime.deps,
      surface: runtime.surface,
    };
    return this.sessions.handle(request, endpoint, principal, authInfo, parsedBody);
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

/** Resolves when `done()` holds (checked every 50 ms) or at `deadline`. */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
