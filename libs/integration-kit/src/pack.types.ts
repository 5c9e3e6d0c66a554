import type {
  CallToolResult,
  GetPromptResult,
  InputRequiredResult,
  ReadResourceResult,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from '@modelcontextprotocol/server';

/** What a principal must hold to call a tool. Roles map onto these in `src/rbac`. */
export type ToolPermission = 'read' | 'write' | 'admin';

/** `anonymous` only exists on endpoints an admin made public; it is always a viewer with read scope. */
export type PrincipalKind = 'user' | 'api_key' | 'oauth_client' | 'anonymous';
export type TenantRole = 'owner' | 'admin' | 'member' | 'viewer';

/** Who is calling. Integrations see this, never raw credentials or the HTTP request. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id of the credential (API key id, OAuth client id, user id). */
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string | null;
  readonly role: TenantRole;
  /** Scopes carried by the credential; they narrow what the role allows. */
  readonly scopes: readonly string[];
}

export interface TenantRef {
  readonly id: string;
  readonly slug: string;
}

export interface PackLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Reads a connection's secrets for the duration of one call. Values must never be logged or returned. */
export interface SecretsAccessor {
  get(name: string): Promise<string>;
  has(name: string): Promise<boolean>;
}

/** Context given to everything a pack builds for one connection. */
export interface ConnectionContext<Config = unknown> {
  readonly tenant: TenantRef;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly config: Config;
  readonly secrets: SecretsAccessor;
  readonly logger: PackLogger;
}

/** Context given to a tool handler (and to resource and prompt callbacks) for one call. */
export interface CallContext<Config = unknown> extends ConnectionContext<Config> {
  readonly principal: Principal;
  readonly signal: AbortSignal;
  /** Report progress when the client asked for it (no-op otherwise). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * The SDK's request context. Only protocol-level packs (protocol-test-kit) need it, for sampling,
   * elicitation and logging; business integrations must not depend on it.
   */
  readonly protocol: ServerContext;
}

/**
 * A tool's answer: a result, or (2026-07-28 multi-round-trip) a request for client input; the host signs the
 * request state and serves legacy clients the same handler through real elicitation/sampling requests.
 */
export type ToolHandlerResult = CallToolResult | InputRequiredResult;

export interface ToolDefinition<Config = unknown> {
  /** Name as exposed to the model: lowercase, `[a-z0-9_.-]`, at most 64 characters. */
  readonly name: string;
  readonly title: string;
  /** Written for a model: what it does, when to use it, what it returns. */
  readonly description: string;
  readonly inputSchema: StandardSchemaWithJSON;
  readonly outputSchema?: StandardSchemaWithJSON;
  readonly annotations: ToolAnnotations;
  readonly permission: ToolPermission;
  handler(args: Record<string, unknown>, ctx: CallContext<Config>): Promise<ToolHandlerResult>;
}

export interface ResourceDefinition<Config = unknown> {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly permission: ToolPermission;
  read(uri: URL, ctx: CallContext<Config>): Promise<ReadResourceResult>;
}

export interface ResourceTemplateDefinition<Config = unknown> {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly permission: ToolPermission;
  read(
    uri: URL,
    variables: Record<string, string | string[]>,
    ctx: CallContext<Config>,
  ): Promise<ReadResourceResult>;
  /** Completion for a template variable. */
  complete?: Record<string, (value: string) => string[] | Promise<string[]>>;
}

export interface PromptArgumentDefinition {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
  /** Completion for this argument's value. */
  complete?(value: string): string[] | Promise<string[]>;
}

export interface PromptDefinition<Config = unknown> {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: readonly PromptArgumentDefinition[];
  readonly permission: ToolPermission;
  get(args: Record<string, string>, ctx: CallContext<Config>): Promise<GetPromptResult>;
}

/** Everything one connection contributes to an endpoint. */
export interface PackSurface<Config = unknown> {
  readonly tools: readonly ToolDefinition<Config>[];
  readonly resources?: readonly ResourceDefinition<Config>[];
  readonly resourceTemplates?: readonly ResourceTemplateDefinition<Config>[];
  readonly prompts?: readonly PromptDefinition<Config>[];
}

/** The answer to an admin's "test connection": a cheap authenticated read against the upstream. */
export interface ConnectionTestResult {
  readonly ok: boolean;
  /** One sentence a tenant admin understands ("Signed in to HubSpot portal 1234 as …", "Wrong token: …"). */
  readonly message: string;
  /** Non-secret facts found on the way (server version, account name, latency); never secret values. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface SecretSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/**
 * The contract every integration implements. A pack is registered once; a tenant's connection is one
 * configured instance of it, and an endpoint exposes a chosen set of its tools.
 */
export interface ToolPack<Config = unknown> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** zod (or any Standard Schema) describing the connection's non-secret configuration. */
  readonly configSchema: StandardSchemaWithJSON<unknown, Config>;
  readonly secrets: readonly SecretSpec[];
  /** Whether a new endpoint exposes this pack's tools without being told to. */
  readonly exposeByDefault: boolean;
  /**
   * Builds the surface for one connection. Called when an endpoint's surface is (re)built, never per request.
   * May read from the connection's upstream (a schema, an OpenAPI document) and so may be slow.
   */
  surface(ctx: ConnectionContext<Config>): Promise<PackSurface<Config>>;
  /**
   * Proves a connection works with its config and secrets, for the admin's "test connection". Expected
   * failures (unreachable, refused credentials) are an `ok: false` answer, not a throw.
   */
  test?(ctx: ConnectionContext<Config>): Promise<ConnectionTestResult>;
}
