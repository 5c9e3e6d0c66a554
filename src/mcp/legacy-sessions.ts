import { randomUUID } from 'node:crypto';

import { isInitializeRequest, type AuthInfo, type JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';

import type { AppConfig } from '../config/index.js';
import type { SurfaceAccess } from '../rbac/rbac.service.js';
import { MAX_SESSION_EVENTS, type McpCluster } from './cluster/mcp-cluster.service.js';
import { SessionSharing } from './cluster/session-sharing.js';
import type { EndpointSurface } from './endpoint-surface.js';
import { LegacySession, type LegacySessionHooks } from './legacy-session.js';
import { SessionEventStore } from './session-event-store.js';
import { restoreSubscriptions, subscribedUris, type SurfaceServerDeps } from './surface-server.js';

/** What a legacy session needs of its endpoint. */
export interface LegacyEndpoint {
  readonly endpointId: string;
  readonly deps: SurfaceServerDeps;
  readonly surface: EndpointSurface;
}

type AccessFor = (principal: Principal, endpointId: string) => SurfaceAccess;

/** Time kept back from the drain bound to close what is still open cleanly. */
const CLOSE_MARGIN_MS = 1000;

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers });
}

const notFound = (): Response => jsonRpcError(404, -32001, 'Session not found');

function initializeOf(body: unknown): JSONRPCMessage | undefined {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  return messages.find((m) => isInitializeRequest(m)) as JSONRPCMessage | undefined;
}

/**
 * The 2025-era sessions this process serves. Alone, they live in this process. With `REDIS_URL`
 * (`McpCluster.enabled`), every session is also recorded in Redis with its event store, so any node can
 * rebuild it on its first request there: a fresh server and transport with the same session id, fed the
 * stored `initialize` (its answer discarded). The principal that opened a session is recorded with it and
 * checked on every request, on every node.
 */
export class LegacySessions {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly restoring = new Map<string, Promise<LegacySession | Response>>();
  /** Set when sessions are shared between nodes (`REDIS_URL`). */
  private readonly sharing: SessionSharing | null;
  private draining = false;

  constructor(
    private readonly config: AppConfig,
    cluster: McpCluster | null,
    private readonly logger: Logger,
    private readonly accessFor: AccessFor,
  ) {
    this.sharing = cluster?.enabled ? new SessionSharing(cluster, config, logger) : null;
    this.sharing?.listen({
      routed: (sessionId, message) => {
        const session = this.sessions.get(sessionId);
        if (session?.holdsStream) void session.deliver(message).catch(() => undefined);
      },
      ended: (sessionId) => void this.sessions.get(sessionId)?.close(),
      resourceUpdated: (endpointId, uri) => void this.deliverResourceUpdated(endpointId, uri),
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  values(): IterableIterator<LegacySession> {
    return this.sessions.values();
  }

  /** Serves one legacy request (POST, GET or DELETE) on `endpoint` for an authenticated principal. */
  async handle(
    request: Request,
    endpoint: LegacyEndpoint,
    principal: Principal,
    authInfo: AuthInfo,
    parsedBody: unknown,
  ): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) return this.serveExisting(sessionId, request, endpoint, principal, authInfo, parsedBody);
    if (request.method !== 'POST') {
      // Without a session there is no stream to open or end; 405 is also what a 2026-era client expects.
      return jsonRpcError(405, -32000, 'Method Not Allowed: open a session with initialize first', {
        Allow: 'POST',
      });
    }
    const initialize = initializeOf(parsedBody);
    if (!initialize) {
      return jsonRpcError(
        400,
        -32000,
        'Bad Request: Mcp-Session-Id header is required (send initialize first)',
      );
    }
    if (this.sessions.size >= this.config.mcp.maxSessions) return tooMany();
    const id = randomUUID();
    const session = this.create(endpoint, principal, id, async (s) => {
      this.sessions.set(id, s);
      await this.sharing?.record(id, s, principal, initialize);
    });
    await session.connect();
    const response = await session.transport.handleRequest(request, { parsedBody, authInfo });
    if (!this.sessions.has(id)) {
      await session.close();
      return response;
    }
    return session.track(response, 'post');
  }

  /** Swaps an endpoint's new surface into its sessions (they send list_changed where they hold a stream). */
  rebind(endpoint: LegacyEndpoint): void {
    for (const session of this.sessions.values()) {
      if (session.endpointId === endpoint.endpointId) session.rebind(endpoint.deps, endpoint.surface);
    }
  }

  /**
   * Tells the sessions of an endpoint that subscribed to `uri` that it changed: on this node, and through
   * the bus on the others (each node writes to the streams it holds). Returns how many were told here.
   */
  async notifyResourceUpdated(endpointId: string, uri: string): Promise<number> {
    this.sharing?.publishResourceUpdated(endpointId, uri);
    return this.deliverResourceUpdated(endpointId, uri);
  }

  /** Lets go of copies idle for longer than `sessionIdleSeconds` (they live on in Redis when shared). */
  async sweepIdle(now: number): Promise<number> {
    const cutoff = now - this.config.mcp.sessionIdleSeconds * 1000;
    const stale = [...this.sessions.values()].filter((s) => s.lastSeen < cutoff);
    for (const s of stale) {
      if (s.id) this.sessions.delete(s.id);
      await s.close();
    }
    return stale.length;
  }

  /**
   * Graceful shutdown: end every GET stream now (clients reconnect, elsewhere, and resume with
   * `Last-Event-ID`), let requests in flight finish until shortly before `deadline`, then let go of every
   * copy. Shared sessions stay in Redis for the other nodes.
   */
  async drain(deadline: number): Promise<void> {
    this.draining = true;
    for (const s of this.sessions.values()) s.closeStreams();
    await until(() => [...this.sessions.values()].every((s) => s.inFlight === 0), deadline - CLOSE_MARGIN_MS);
    await this.closeAll();
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  private async serveExisting(
    sessionId: string,
    request: Request,
    endpoint: LegacyEndpoint,
    principal: Principal,
    authInfo: AuthInfo,
    parsedBody: unknown,
  ): Promise<Response> {
    let session = this.sessions.get(sessionId);
    if (!session) {
      const restored = await this.restore(sessionId, endpoint, principal, authInfo);
      if (restored instanceof Response) return restored;
      session = restored;
    }
    if (session.endpointId !== endpoint.endpointId) return notFound();
    if (session.principalId !== principal.id || session.tenantId !== principal.tenantId) {
      this.logger.warn({
        msg: 'Refused a legacy session used by another principal',
        endpointId: session.endpointId,
      });
      return forbidden();
    }
    const now = Date.now();
    session.lastSeen = now;
    this.sharing?.touch(session, sessionId, now);
    const response = await session.transport.handleRequest(request, { parsedBody, authInfo });
    if (request.method === 'GET') {
      const tracked = session.track(response, 'get');
      // A reconnect that reached a node already draining: end it at once so it goes elsewhere.
      if (this.draining) setImmediate(() => session.closeStreams());
      return tracked;
    }
    return request.method === 'POST' ? session.track(response, 'post') : response;
  }

  /** Rebuilds a session recorded in Redis by another node (once, however many requests ask at once). */
  private restore(
    sessionId: string,
    endpoint: LegacyEndpoint,
    principal: Principal,
    authInfo: AuthInfo,
  ): Promise<LegacySession | Response> {
    const sharing = this.sharing;
    if (!sharing) return Promise.resolve(notFound());
    const key = `${sessionId}\0${principal.id}`;
    let pending = this.restoring.get(key);
    if (!pending) {
      pending = this.rebuild(sharing, sessionId, endpoint, principal, authInfo)
        .catch((e: unknown) => {
          this.logger.warn({ msg: 'could not rebuild a legacy session', err: (e as Error).message });
          return notFound();
        })
        .finally(() => this.restoring.delete(key));
      this.restoring.set(key, pending);
    }
    return pending;
  }

  private async rebuild(
    sharing: SessionSharing,
    sessionId: string,
    endpoint: LegacyEndpoint,
    principal: Principal,
    authInfo: AuthInfo,
  ): Promise<LegacySession | Response> {
    const existing = this.sessions.get(sessionId);
    if (existing) return existing;
    const record = await sharing.load(sessionId);
    if (!record || record.endpointId !== endpoint.endpointId) return notFound();
    if (record.principalId !== principal.id || record.tenantId !== principal.tenantId) {
      this.logger.warn({
        msg: 'Refused a legacy session used by another principal',
        endpointId: record.endpointId,
      });
      return forbidden();
    }
    if (this.sessions.size >= this.config.mcp.maxSessions) return tooMany();
    const session = this.create(endpoint, principal, sessionId, () => undefined);
    await session.connect();
    if (!(await sharing.replayInitialize(session, record, authInfo))) {
      await session.close();
      return notFound();
    }
    restoreSubscriptions(session.server, await sharing.subscriptions(sessionId));
    this.sessions.set(sessionId, session);
    return session;
  }

  private create(
    endpoint: LegacyEndpoint,
    principal: Principal,
    sessionId: string,
    onInitialized: LegacySessionHooks['onInitialized'],
  ): LegacySession {
    const shared = this.sharing?.eventStore(sessionId) ?? null;
    const session = new LegacySession({
      endpointId: endpoint.endpointId,
      tenantId: principal.tenantId,
      principalId: principal.id,
      allowed: this.accessFor(principal, endpoint.endpointId),
      deps: endpoint.deps,
      surface: endpoint.surface,
      now: Date.now(),
      sessionId,
      eventStore: shared ?? new SessionEventStore(MAX_SESSION_EVENTS),
      hooks: {
        onInitialized,
        onClosed: (s, ended) => this.closed(s, ended),
        ...(shared && this.sharing?.hooks()),
      },
    });
    if (shared) this.sharing?.shareSubscriptions(session, sessionId);
    return session;
  }

  private closed(session: LegacySession, ended: boolean): void {
    const id = session.id;
    if (!id) return;
    if (this.sessions.get(id) === session) this.sessions.delete(id);
    if (ended) this.sharing?.ended(id);
  }

  private async deliverResourceUpdated(endpointId: string, uri: string): Promise<number> {
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (session.endpointId !== endpointId) continue;
      // Shared sessions: only the node holding the stream writes, with subscriptions made on any node.
      const subscribed = this.sharing
        ? session.holdsStream && (await this.sharing.subscribed(session, uri))
        : subscribedUris(session.server).has(uri);
      if (!subscribed) continue;
      await session.server.server.sendResourceUpdated({ uri }).catch(() => undefined);
      sent++;
    }
    return sent;
  }
}

function tooMany(): Response {
  return jsonRpcError(503, -32000, 'Service Unavailable: too many open sessions, retry later', {
    'Retry-After': '30',
  });
}

function forbidden(): Response {
  return jsonRpcError(403, -32003, 'Forbidden: this session belongs to another credential');
}

/** Resolves when `done()` holds (checked every 50 ms) or at `deadline`. */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
