import { randomUUID } from 'node:crypto';

import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

import type { SurfaceAccess } from '../rbac/rbac.service.js';
import type { EndpointSurface } from './endpoint-surface.js';
import { SessionEventStore } from './session-event-store.js';
import {
  createSurfaceServer,
  registerSurface,
  type SurfaceRegistration,
  type SurfaceServerDeps,
} from './surface-server.js';

/**
 * One 2025-era session: its own server and transport (they hold the session's negotiated state), an event
 * store for resumption, and the principal and tenant that opened it — the SDK does not bind a session to
 * anyone, so the host refuses every request on it from someone else.
 */
export class LegacySession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly events: SessionEventStore;
  lastSeen: number;
  private registration: SurfaceRegistration;
  private closed = false;

  constructor(
    readonly endpointId: string,
    readonly tenantId: string,
    readonly principalId: string,
    readonly allowed: SurfaceAccess,
    deps: SurfaceServerDeps,
    surface: EndpointSurface,
    now: number,
    hooks: { onInitialized(session: LegacySession): void; onClosed(session: LegacySession): void },
    maxEvents: number,
  ) {
    this.lastSeen = now;
    this.events = new SessionEventStore(maxEvents);
    const built = createSurfaceServer(deps, surface, allowed);
    this.server = built.server;
    this.registration = built.registration;
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: this.events,
      onsessioninitialized: () => hooks.onInitialized(this),
    });
    this.transport.onclose = () => {
      this.closed = true;
      hooks.onClosed(this);
    };
  }

  get id(): string | undefined {
    return this.transport.sessionId;
  }

  async connect(): Promise<void> {
    await this.server.connect(this.transport);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.server.close().catch(() => undefined);
  }
}
