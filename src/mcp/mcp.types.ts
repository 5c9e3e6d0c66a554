import type { PackSurface, Principal, SecretsAccessor, ToolPack } from '@switchboard/integration-kit';

export interface ToolOverride {
  readonly enabled: boolean;
  readonly title: string | null;
  readonly description: string | null;
}

/** One connection as an endpoint exposes it. */
export interface ExposedConnection {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly pack: ToolPack;
  readonly config: unknown;
  /** "all": every tool unless overridden with enabled=false; "selected": only tools overridden with enabled=true. */
  readonly mode: 'all' | 'selected';
  readonly toolOverrides: ReadonlyMap<string, ToolOverride>;
  readonly secrets: SecretsAccessor;
}

/** Everything the MCP host needs to serve one endpoint; built by tenancy, cached, replaced on change. */
export interface EndpointDescriptor {
  readonly tenant: { readonly id: string; readonly slug: string; readonly name: string };
  readonly endpoint: {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly isDefault: boolean;
    readonly public: boolean;
  };
  /** Path of the MCP URL, e.g. /t/acme/mcp or /t/acme/e/sales/mcp. */
  readonly path: string;
  readonly connections: readonly ExposedConnection[];
  /** Changes whenever anything above changes; lets the host know its built servers are stale. */
  readonly generation: number;
}

export type { PackSurface };

/**
 * What the MCP controller needs from tenancy and auth, implemented outside `src/mcp` and bound to
 * {@link MCP_REQUEST_GATE}. Keeping it a port lets the host be tested without a database.
 */
export interface McpRequestGate {
  /** The endpoint behind `/t/:tenant/mcp` (endpoint null = the tenant's default) or `/t/:tenant/e/:endpoint/mcp`. */
  resolveEndpoint(tenant: string, endpoint: string | null): Promise<EndpointDescriptor | null>;
  /** Whether a URL that resolved to nothing belongs to a suspended tenant (answered with 403, not 404). */
  isSuspended?(tenant: string): boolean;
  /** Verifies the `Authorization` header for this endpoint; null when missing or invalid. */
  authenticate(authorization: string | undefined, endpoint: EndpointDescriptor): Promise<Principal | null>;
  /** The `WWW-Authenticate` value sent with a 401 for this endpoint (`authorization` = what was presented). */
  challenge(endpoint: EndpointDescriptor, authorization?: string): string;
}

export const MCP_REQUEST_GATE = Symbol('MCP_REQUEST_GATE');

/** Gauges the telemetry module can read. */
export interface McpHostStats {
  readonly legacySessions: number;
  readonly endpoints: number;
  readonly idleServers: number;
}
