import type { AuthInfo, EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';

import type { AppConfig } from '../../config/index.js';
import type { LegacySession, LegacySessionHooks } from '../legacy-session.js';
import { subscribedUris, watchSubscriptions } from '../surface-server.js';
import { RESOURCE_UPDATED, SESSION_ENDED, type McpCluster } from './mcp-cluster.service.js';
import type { SessionDirectory, SessionRecord } from './session-directory.js';

/** What the local session registry does when the cluster tells it something. */
export interface SharingEvents {
  /** A message routed here for a session whose stream this node holds. */
  routed(sessionId: string, message: JSONRPCMessage): void;
  /** A client ended a session on another node. */
  ended(sessionId: string): void;
  /** A resource changed on another node. */
  resourceUpdated(endpointId: string, uri: string): void;
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function post(headers: Record<string, string>, body: JSONRPCMessage): Request {
  return new Request('http://session.rebuild/mcp', { method: 'POST', headers, body: JSON.stringify(body) });
}

/**
 * The Redis side of legacy sessions, for `LegacySessions` when `REDIS_URL` is set: recording a session
 * when it starts, rebuilding it elsewhere, the pointer to the node holding its stream, routing of
 * unsolicited messages there, shared subscriptions, and forgetting a session its client ended. A Redis
 * failure never fails the request: the session keeps working on this node and the failure is logged.
 */
export class SessionSharing {
  constructor(
    private readonly cluster: McpCluster,
    private readonly config: AppConfig,
    private readonly logger: Logger,
  ) {}

  get nodeId(): string {
    return this.cluster.nodeId;
  }

  listen(events: SharingEvents): void {
    this.cluster.onRouted(({ sessionId, message }) => events.routed(sessionId, message));
    this.cluster.on<{ sessionId?: unknown }>(SESSION_ENDED, (p) => {
      if (typeof p.sessionId === 'string') events.ended(p.sessionId);
    });
    this.cluster.on<{ endpointId?: unknown; uri?: unknown }>(RESOURCE_UPDATED, (p, local) => {
      if (!local && typeof p.endpointId === 'string' && typeof p.uri === 'string')
        events.resourceUpdated(p.endpointId, p.uri);
    });
  }

  /** The session's events, in Redis (null while Redis is shutting down). */
  eventStore(sessionId: string): EventStore | null {
    return this.directory?.eventStore(sessionId) ?? null;
  }

  /** The hooks a shared session needs: where its stream is, and forwarding to the node that holds it. */
  hooks(): Pick<LegacySessionHooks, 'onStream' | 'forward'> {
    return {
      onStream: (s, open) => this.streamChanged(s, open),
      forward: (s, message) => this.forward(s, message),
    };
  }

  /** Keeps the session's resource subscriptions in Redis, so the node holding its stream sees them. */
  shareSubscriptions(session: LegacySession, sessionId: string): void {
    watchSubscriptions(session.server, (uris) => {
      void this.directory
        ?.setSubscriptions(sessionId, uris)
        .catch((e: unknown) => this.failed('subscriptions', e));
    });
  }

  /** Records a new session so other nodes can rebuild it. */
  async record(
    sessionId: string,
    session: LegacySession,
    principal: Principal,
    initialize: JSONRPCMessage,
  ): Promise<void> {
    const params = (initialize as { params?: { protocolVersion?: unknown } }).params;
    try {
      await this.directory?.save(sessionId, {
        tenantId: session.tenantId,
        endpointId: session.endpointId,
        principalId: principal.id,
        principalKind: principal.kind,
        protocolVersion: typeof params?.protocolVersion === 'string' ? params.protocolVersion : 'unknown',
        initialize,
        createdAt: Date.now(),
      });
    } catch (e) {
      // The session still works on this node; other nodes answer 404 and the client re-initializes.
      this.failed('session record', e);
    }
  }

  load(sessionId: string): Promise<SessionRecord | null> {
    return this.directory?.load(sessionId) ?? Promise.resolve(null);
  }

  async subscriptions(sessionId: string): Promise<Set<string>> {
    return (await this.directory?.subscriptions(sessionId)) ?? new Set();
  }

  /**
   * Feeds the stored `initialize` and `notifications/initialized` to a fresh server and transport (the
   * event store muted, so nothing of it reaches the client); false when the server refused them.
   */
  async replayInitialize(
    session: LegacySession,
    record: SessionRecord,
    authInfo: AuthInfo,
  ): Promise<boolean> {
    const store = session.events as { mute?: (muted: boolean) => void };
    store.mute?.(true);
    try {
      const init = await session.transport.handleRequest(post(HEADERS, record.initialize), {
        parsedBody: record.initialize,
        authInfo,
      });
      await init.text();
      if (!init.ok || !session.id) return false;
      const initialized: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
      const ack = await session.transport.handleRequest(
        post({ ...HEADERS, 'mcp-session-id': session.id }, initialized),
        { parsedBody: initialized, authInfo },
      );
      await ack.text();
      return ack.ok;
    } finally {
      store.mute?.(false);
    }
  }

  /** The client ended the session (DELETE): forget it everywhere. */
  ended(sessionId: string): void {
    void this.directory?.remove(sessionId).catch((e: unknown) => this.failed('session removal', e));
    void this.cluster.publish(SESSION_ENDED, { sessionId });
  }

  /** The session was used here: keep the shared record alive (at most every tenth of the idle timeout). */
  touch(session: LegacySession, sessionId: string, now: number): void {
    if (now - session.lastTouched < (this.config.mcp.sessionIdleSeconds * 1000) / 10) return;
    session.lastTouched = now;
    void this.directory?.touch(sessionId).catch((e: unknown) => this.failed('session touch', e));
  }

  publishResourceUpdated(endpointId: string, uri: string): void {
    void this.cluster.publish(RESOURCE_UPDATED, { endpointId, uri });
  }

  /** Whether the session subscribed to `uri`, on this node or any other. */
  async subscribed(session: LegacySession, uri: string): Promise<boolean> {
    if (subscribedUris(session.server).has(uri)) return true;
    if (!session.id) return false;
    const shared = await this.subscriptions(session.id).catch(() => new Set<string>());
    return shared.has(uri);
  }

  private get directory(): SessionDirectory | null {
    return this.cluster.directory;
  }

  private streamChanged(session: LegacySession, open: boolean): void {
    const id = session.id;
    const directory = this.directory;
    if (!id || !directory) return;
    const change = open
      ? directory.setStreamNode(id, this.nodeId)
      : session.holdsStream
        ? Promise.resolve()
        : directory.clearStreamNode(id, this.nodeId);
    void change.catch((e: unknown) => this.failed('stream routing', e));
  }

  private async forward(session: LegacySession, message: JSONRPCMessage): Promise<boolean> {
    const id = session.id;
    const directory = this.directory;
    if (!id || !directory) return false;
    const node = await directory.streamNode(id).catch(() => null);
    if (!node || node === this.nodeId) return false;
    await this.cluster.route(node, { sessionId: id, message });
    return true;
  }

  private failed(what: string, e: unknown): void {
    this.logger.warn({ msg: `legacy session ${what} not shared through Redis`, err: (e as Error).message });
  }
}
