import { randomUUID } from 'node:crypto';

import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  WebStandardStreamableHTTPServerTransport,
  type EventStore,
  type JSONRPCMessage,
  type McpServer,
} from '@modelcontextprotocol/server';

import type { SurfaceAccess } from '../rbac/rbac.service.js';
import type { EndpointSurface } from './endpoint-surface.js';
import { isEventStream, onResponseEnd } from './response-end.js';
import {
  createSurfaceServer,
  registerSurface,
  type SurfaceRegistration,
  type SurfaceServerDeps,
} from './surface-server.js';

/**
 * Unsolicited notifications every node derives from the same broadcast (an endpoint change, a resource
 * update): only the node holding the client's stream sends them, so the client hears each once.
 */
const BROADCAST_DERIVED = new Set([
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
]);

export interface LegacySessionHooks {
  onInitialized(session: LegacySession): void | Promise<void>;
  /** `ended`: the client ended the session (DELETE), as opposed to this node letting go of its copy. */
  onClosed(session: LegacySession, ended: boolean): void;
  /** The session's GET stream opened (true) or closed (false) on this node. */
  onStream?(session: LegacySession, open: boolean): void;
  /**
   * Set when sessions are shared between nodes: an unsolicited message from a copy that holds no stream,
   * for the node that does. Returns false when no node holds one (the message is then only stored, for
   * a client that resumes with `Last-Event-ID`).
   */
  forward?(session: LegacySession, message: JSONRPCMessage): Promise<boolean>;
}

export interface LegacySessionOptions {
  readonly endpointId: string;
  readonly tenantId: string;
  readonly principalId: string;
  readonly allowed: SurfaceAccess;
  readonly deps: SurfaceServerDeps;
  readonly surface: EndpointSurface;
  readonly now: number;
  readonly hooks: LegacySessionHooks;
  readonly eventStore: EventStore;
  /** Rebuilding a session another node created: its id (a new one is generated otherwise). */
  readonly sessionId?: string;
}

/**
 * One 2025-era session: its own server and transport (they hold the session's negotiated state), an event
 * store for resumption, and the principal and tenant that opened it — the SDK does not bind a session to
 * anyone, so the host refuses every request on it from someone else. With several nodes, any node may hold
 * a copy (rebuilt from Redis); the one serving the client's GET stream sends unsolicited messages.
 */
export class LegacySession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly events: EventStore;
  readonly endpointId: string;
  readonly tenantId: string;
  readonly principalId: string;
  readonly allowed: SurfaceAccess;
  lastSeen: number;
  /** When this copy last extended the shared record's lifetime. */
  lastTouched: number;
  private registration: SurfaceRegistration;
  private closed = false;
  private letGo = false;
  private openStreams = 0;
  /** Requests of this session being answered here (POSTs until their response is complete). */
  inFlight = 0;

  constructor(private readonly options: LegacySessionOptions) {
    this.endpointId = options.endpointId;
    this.tenantId = options.tenantId;
    this.principalId = options.principalId;
    this.allowed = options.allowed;
    this.lastSeen = options.now;
    this.lastTouched = options.now;
    this.events = options.eventStore;
    const built = createSurfaceServer(options.deps, options.surface, options.allowed);
    this.server = built.server;
    this.registration = built.registration;
    const fixedId = options.sessionId;
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: fixedId ? () => fixedId : () => randomUUID(),
      eventStore: this.events,
      onsessioninitialized: () => options.hooks.onInitialized(this),
    });
    this.transport.onclose = () => {
      this.closed = true;
      options.hooks.onClosed(this, !this.letGo);
    };
    if (options.hooks.forward) this.interceptUnsolicited(options.hooks.forward);
  }

  get id(): string | undefined {
    return this.transport.sessionId;
  }

  /** True while this node serves the client's GET stream. */
  get holdsStream(): boolean {
    return this.openStreams > 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async connect(): Promise<void> {
    await this.server.connect(this.transport);
  }

  /**
   * Wraps a response of this session to learn when it is over: a GET stream is where unsolicited
   * messages go (and what a drain must end); a POST is in flight until its response is complete.
   */
  track(response: Response, kind: 'get' | 'post'): Response {
    if (kind === 'post') {
      this.inFlight++;
      return onResponseEnd(response, () => this.inFlight--);
    }
    if (!isEventStream(response)) return response;
    this.openStreams++;
    this.options.hooks.onStream?.(this, true);
    return onResponseEnd(response, () => {
      this.openStreams--;
      this.options.hooks.onStream?.(this, false);
    });
  }

  /** Ends the GET stream cleanly; the client reconnects (elsewhere, when this node is draining). */
  closeStreams(): void {
    this.transport.closeStandaloneSSEStream();
  }

  /** Writes a message another node routed here, as if this copy had sent it. */
  async deliver(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    await this.transport.send(message);
  }

  /** Swaps in a new surface; the debounced list_changed notifications reach the client's GET stream. */
  rebind(deps: SurfaceServerDeps, surface: EndpointSurface): void {
    if (this.closed) return;
    this.registration.remove();
    this.registration = registerSurface(this.server, deps, surface, this.allowed);
    this.server.sendToolListChanged();
    this.server.sendPromptListChanged();
    this.server.sendResourceListChanged();
  }

  /** Lets go of this node's copy (idle, drain, shutdown); the session itself lives on where it is shared. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.letGo = true;
    this.closed = true;
    await this.server.close().catch(() => undefined);
  }

  /**
   * Unsolicited messages (no request they answer or belong to) go to the client's GET stream. A copy
   * without that stream drops broadcast-derived ones (the stream's node sends its own) and forwards the
   * rest to the node that holds it.
   */
  private interceptUnsolicited(forward: NonNullable<LegacySessionHooks['forward']>): void {
    const send = this.transport.send.bind(this.transport);
    this.transport.send = async (message, options) => {
      const unsolicited =
        options?.relatedRequestId === undefined &&
        !isJSONRPCResultResponse(message) &&
        !isJSONRPCErrorResponse(message);
      if (!unsolicited || this.holdsStream) return send(message, options);
      const method = (message as { method?: unknown }).method;
      if (typeof method === 'string' && BROADCAST_DERIVED.has(method)) return;
      if (!(await forward(this, message))) await send(message, options);
    };
  }
}
