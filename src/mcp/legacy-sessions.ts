import { randomUUID } from 'node:crypto';

import {
  isInitializeRequest,
  type AuthInfo,
  type JSONRPCMessage,
  type McpServer,
} from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';

import type { AppConfig } from '../config/index.js';
import type { SurfaceAccess } from '../rbac/rbac.service.js';
import {
  MAX_SESSION_EVENTS,
  RESOURCE_UPDATED,
  SESSION_ENDED,
  type McpCluster,
} from './cluster/mcp-cluster.service.js';
import type { SessionDirectory, SessionRecord } from './cluster/session-directory.js';
import type { EndpointSurface } from './endpoint-surface.js';
import { LegacySession, type LegacySessionHooks } from './legacy-session.js';
import { SessionEventStore } from './session-event-store.js';
import {
  restoreSubscriptions,
  subscribedUris,
  watchSubscriptions,
  type SurfaceServerDeps,
} from './surface-server.js';

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
  private draining = false;

  constructor(
    private readonly config: AppConfig,
    private readonly cluster: McpCluster | null,
    private readonly logger: Logger,
    private readonly accessFor: AccessFor,
  ) {
    if (!cluster?.enabled) return;
    cluster.onRouted(({ sessionId, message }) => {
      const session = this.sessions.get(sessionId);
      if (session?.holdsStream) void session.deliver(message).catch(() => undefined);
    });
    cluster.on<{ sessionId?: unknown }>(SESSION_ENDED, (p) => {
      const session = typeof p.sessionId === 'string' ? this.sessions.get(p.sessionId) : undefined;
      void session?.close();
    });
    cluster.on<{ endpointId?: unknown; uri?: unknown }>(RESOURCE_UPDATED, (p, local) => {
      if (!local && typeof p.endpointId === 'string' && typeof p.uri === 'string')
        void this.deliverResourceUpdated(p.endpointId, p.uri);
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
    const directory = this.cluster?.directory ?? null;
    const session = this.create(endpoint, principal, id, directory, {
      onInitialized: async (s) => {
        this.sessions.set(id, s);
        if (directory) await this.record(directory, id, s, principal, initialize);
      },
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
    if (this.cluster?.enabled) void this.cluster.publish(RESOURCE_UPDATED, { endpointId, uri });
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
      return jsonRpcError(403, -32003, 'Forbidden: this session belongs to another credential');
    }
    const now = Date.now();
    session.lastSeen = now;
    this.touch(session, sessionId, now);
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
    const directory = this.cluster?.directory;
    if (!directory) return Promise.resolve(notFound());
    const key = `${sessionId}\0${principal.id}`;
    let pending = this.restoring.get(key);
    if (!pending) {
      pending = this.rebuild(directory, sessionId, endpoint, principal, authInfo)
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
    directory: SessionDirectory,
    sessionId: string,
    endpoint: LegacyEndpoint,
    principal: Principal,
    authInfo: AuthInfo,
  ): Promise<LegacySession | Response> {
    const existing = this.sessions.get(sessionId);
    if (existing) return existing;
    const record = await directory.load(sessionId);
    if (!record || record.endpointId !== endpoint.endpointId) return notFound();
    if (record.principalId !== principal.id || record.tenantId !== principal.tenantId) {
      this.logger.warn({
        msg: 'Refused a legacy session used by another principal',
        endpointId: record.endpointId,
      });
      return jsonRpcError(403, -32003, 'Forbidden: this session belongs to another credential');
    }
    if (this.sessions.size >= this.config.mcp.maxSessions) return tooMany();
    const session = this.create(endpoint, principal, sessionId, directory, {
      onInitialized: () => undefined,
    });
    await session.connect();
    const replayed = await this.replayInitialize(session, record, authInfo);
    if (!replayed) {
      await session.close();
      return notFound();
    }
    restoreSubscriptions(session.server, await directory.subscriptions(sessionId));
    this.sessions.set(sessionId, session);
    return session;
  }

  /** Feeds the stored `initialize` and `notifications/initialized` to a fresh server; nothing reaches the client. */
  private async replayInitialize(
    session: LegacySession,
    record: SessionRecord,
    authInfo: AuthInfo,
  ): Promise<boolean> {
    const store = session.events as { mute?: (muted: boolean) => void };
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    store.mute?.(true);
    try {
      const init = await session.transport.handleRequest(post(headers, record.initialize), {
        parsedBody: record.initialize,
        authInfo,
      });
      await init.text();
      if (!init.ok || !session.id) return false;
      const initialized: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
      const ack = await session.transport.handleRequest(
        post({ ...headers, 'mcp-session-id': session.id }, initialized),
        { parsedBody: initialized, authInfo },
      );
      await ack.text();
      return ack.ok;
    } finally {
      store.mute?.(false);
    }
  }

  private create(
    endpoint: LegacyEndpoint,
    principal: Principal,
    sessionId: string,
    directory: SessionDirectory | null,
    hooks: Pick<LegacySessionHooks, 'onInitialized'>,
  ): LegacySession {
    const session = new LegacySession({
      endpointId: endpoint.endpointId,
      tenantId: principal.tenantId,
      principalId: principal.id,
      allowed: this.accessFor(principal, endpoint.endpointId),
      deps: endpoint.deps,
      surface: endpoint.surface,
      now: Date.now(),
      sessionId,
      eventStore: directory ? directory.eventStore(sessionId) : new SessionEventStore(MAX_SESSION_EVENTS),
      hooks: {
        onInitialized: hooks.onInitialized,
        onClosed: (s, ended) => this.closed(s, ended, directory),
        ...(directory && {
          onStream: (s: LegacySession, open: boolean) => this.streamChanged(directory, s, open),
          forward: (s: LegacySession, message: JSONRPCMessage) => this.forward(directory, s, message),
        }),
      },
    });
    if (directory) {
      watchSubscriptions(session.server, (uris) => {
        void directory
          .setSubscriptions(sessionId, uris)
          .catch((e: unknown) => this.redisFailed('subscriptions', e));
      });
    }
    return session;
  }

  private async record(
    directory: SessionDirectory,
    sessionId: string,
    session: LegacySession,
    principal: Principal,
    initialize: JSONRPCMessage,
  ): Promise<void> {
    const params = (initialize as { params?: { protocolVersion?: unknown } }).params;
    try {
      await directory.save(sessionId, {
        tenantId: session.tenantId,
        endpointId: session.endpointId,
        principalId: principal.id,
        principalKind: principal.kind,
        protocolVersion: typeof params?.protocolVersion === 'string' ? params.protocolVersion : 'unknown',
        initialize,
        createdAt: Date.now(),
      });
    } catch (e) {
      // The session still works on this node; other nodes will answer 404 and the client re-initializes.
      this.redisFailed('session record', e);
    }
  }

  private closed(session: LegacySession, ended: boolean, directory: SessionDirectory | null): void {
    const id = session.id;
    if (!id) return;
    if (this.sessions.get(id) === session) this.sessions.delete(id);
    if (!ended || !directory) return;
    // The client ended it (DELETE): forget it everywhere.
    void directory.remove(id).catch((e: unknown) => this.redisFailed('session removal', e));
    void this.cluster?.publish(SESSION_ENDED, { sessionId: id });
  }

  private streamChanged(directory: SessionDirectory, session: LegacySession, open: boolean): void {
    const id = session.id;
    if (!id || !this.cluster) return;
    const nodeId = this.cluster.nodeId;
    const change = open
      ? directory.setStreamNode(id, nodeId)
      : session.holdsStream
        ? Promise.resolve()
        : directory.clearStreamNode(id, nodeId);
    void change.catch((e: unknown) => this.redisFailed('stream routing', e));
  }

  private async forward(
    directory: SessionDirectory,
    session: LegacySession,
    message: JSONRPCMessage,
  ): Promise<boolean> {
    const id = session.id;
    if (!id || !this.cluster) return false;
    const node = await directory.streamNode(id).catch(() => null);
    if (!node || node === this.cluster.nodeId) return false;
    await this.cluster.route(node, { sessionId: id, message });
    return true;
  }

  private touch(session: LegacySession, sessionId: string, now: number): void {
    const directory = this.cluster?.directory;
    if (!directory) return;
    // A tenth of the idle timeout: the shared record never expires under an active client.
    if (now - session.lastTouched < (this.config.mcp.sessionIdleSeconds * 1000) / 10) return;
    session.lastTouched = now;
    void directory.touch(sessionId).catch((e: unknown) => this.redisFailed('session touch', e));
  }

  private async deliverResourceUpdated(endpointId: string, uri: string): Promise<number> {
    const directory = this.cluster?.directory ?? null;
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (session.endpointId !== endpointId) continue;
      // Shared sessions: only the node holding the stream writes, with subscriptions made on any node.
      if (directory && !session.holdsStream) continue;
      if (!(await this.subscribed(session.server, session.id, uri, directory))) continue;
      await session.server.server.sendResourceUpdated({ uri }).catch(() => undefined);
      sent++;
    }
    return sent;
  }

  private async subscribed(
    server: McpServer,
    sessionId: string | undefined,
    uri: string,
    directory: SessionDirectory | null,
  ): Promise<boolean> {
    if (subscribedUris(server).has(uri)) return true;
    if (!directory || !sessionId) return false;
    const shared = await directory.subscriptions(sessionId).catch(() => new Set<string>());
    return shared.has(uri);
  }

  private redisFailed(what: string, e: unknown): void {
    this.logger.warn({ msg: `legacy session ${what} not shared through Redis`, err: (e as Error).message });
  }
}

function tooMany(): Response {
  return jsonRpcError(503, -32000, 'Service Unavailable: too many open sessions, retry later', {
    'Retry-After': '30',
  });
}

function post(headers: Record<string, string>, body: JSONRPCMessage): Request {
  return new Request('http://session.rebuild/mcp', { method: 'POST', headers, body: JSON.stringify(body) });
}

/** Resolves when `done()` holds (checked every 50 ms) or at `deadline`. */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
