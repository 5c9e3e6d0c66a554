import { randomUUID } from 'node:crypto';

import {
  completable,
  isInputRequiredResult,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  type AuthInfo,
  type CacheHint,
  type RequestStateAccessor,
  type RequestStateCodec,
  type ServerContext,
  CLIENT_INFO_META_KEY,
} from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type {
  CallContext,
  PackLogger,
  Principal,
  ToolHandlerResult,
  ToolPermission,
} from '@switchboard/integration-kit';
import { z } from 'zod';

import type { RbacService, SurfaceAccess } from '../rbac/rbac.service.js';
import type { EndpointSurface, Exposed, ExposedTool } from './endpoint-surface.js';
import type { EndpointDescriptor, ExposedConnection } from './mcp.types.js';
import type { McpInterceptors, ToolCallInfo } from './mcp-interceptors.js';

/** JSON-RPC code for "authenticated but not allowed" (implementation-defined server error range). */
export const JSONRPC_FORBIDDEN = -32003;

/** What the host puts in `AuthInfo.extra`; handlers read the principal from here in both eras. */
export interface HostAuthExtra {
  readonly principal: Principal;
  readonly tenantId: string;
  readonly endpointId: string;
}

/** The payload the host seals into a modern-era `requestState`: the pack's own (unsigned) state. */
export interface SealedRequestState {
  readonly s: string;
}

export function toAuthInfo(principal: Principal, endpoint: EndpointDescriptor): AuthInfo {
  const extra: HostAuthExtra = { principal, tenantId: endpoint.tenant.id, endpointId: endpoint.endpoint.id };
  // The raw credential stays with the auth module; nothing downstream needs it.
  return { token: '', clientId: principal.id, scopes: [...principal.scopes], extra: { ...extra } };
}

export function hostAuthOf(ctx: Pick<ServerContext, 'http'>): HostAuthExtra | undefined {
  const extra = ctx.http?.authInfo?.extra as Partial<HostAuthExtra> | undefined;
  if (!extra?.principal || typeof extra.tenantId !== 'string' || typeof extra.endpointId !== 'string')
    return undefined;
  return extra as HostAuthExtra;
}

export interface SurfaceServerDeps {
  readonly descriptor: EndpointDescriptor;
  readonly rbac: RbacService;
  readonly logger: Logger;
  readonly requestState: RequestStateCodec<SealedRequestState>;
  readonly cacheTtlMs: number;
  readonly packLogger: (connection: ExposedConnection) => PackLogger;
  readonly interceptors: McpInterceptors;
}

/** Handles to everything registered from one surface, so a session can swap surfaces in place. */
export interface SurfaceRegistration {
  remove(): void;
}

const LIST_CHANGED = [
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
];

/**
 * A server for one endpoint surface and one access view (RBAC). Only what `allowed` permits is registered,
 * so lists are filtered for free and a call to anything else is the SDK's own "not found" (-32602).
 */
export function createSurfaceServer(
  deps: SurfaceServerDeps,
  surface: EndpointSurface,
  allowed: SurfaceAccess,
): { server: McpServer; registration: SurfaceRegistration } {
  const { descriptor } = deps;
  const hint: CacheHint = { ttlMs: deps.cacheTtlMs, cacheScope: 'private' };
  const server = new McpServer(
    { name: `switchboard:${descriptor.tenant.slug}/${descriptor.endpoint.slug}`, version: '1' },
    {
      cacheHints: {
        'tools/list': hint,
        'prompts/list': hint,
        'resources/list': hint,
        'resources/templates/list': hint,
        'server/discover': hint,
      },
      requestState: { verify: (state, ctx) => deps.requestState.verify(state, ctx) },
      // A surface swap removes and re-adds many handles; clients should hear about it once per kind.
      debouncedNotificationMethods: LIST_CHANGED,
    },
  );
  initialiseHandlers(server);
  enableSubscriptionsAndLogging(server);
  return { server, registration: registerSurface(server, deps, surface, allowed) };
}

const subscriptions = new WeakMap<McpServer, Set<string>>();
const subscriptionWatchers = new WeakMap<McpServer, (uris: ReadonlySet<string>) => void>();

/** Resource URIs a (legacy-session) server's client subscribed to. */
export function subscribedUris(server: McpServer): ReadonlySet<string> {
  return subscriptions.get(server) ?? new Set();
}

/** Calls `watcher` with the whole set after every subscribe or unsubscribe (to share it between nodes). */
export function watchSubscriptions(server: McpServer, watcher: (uris: ReadonlySet<string>) => void): void {
  subscriptionWatchers.set(server, watcher);
}

/** Puts back subscriptions a session made on another node (a rebuilt session). */
export function restoreSubscriptions(server: McpServer, uris: Iterable<string>): void {
  const set = subscriptions.get(server);
  if (!set) return;
  for (const uri of uris) if (set.size < MAX_SUBSCRIPTIONS) set.add(uri);
}

/**
 * `logging/setLevel` exists only once the logging capability is declared; resource subscriptions are not
 * handled by McpServer at all, so the host keeps them per server (one per legacy session) and
 * `McpHostService.notifyResourceUpdated` fans updates out to subscribers.
 */
function enableSubscriptionsAndLogging(server: McpServer): void {
  const uris = new Set<string>();
  subscriptions.set(server, uris);
  server.server.registerCapabilities({ logging: {}, resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    if (uris.size >= MAX_SUBSCRIPTIONS) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `at most ${MAX_SUBSCRIPTIONS} subscriptions per session`,
      );
    }
    uris.add(request.params.uri);
    subscriptionWatchers.get(server)?.(uris);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    uris.delete(request.params.uri);
    subscriptionWatchers.get(server)?.(uris);
    return {};
  });
}

const MAX_SUBSCRIPTIONS = 1000;

/**
 * Capabilities can only be declared before a server connects, and McpServer declares them on the first
 * registration of each kind. Registering and removing a placeholder of each kind declares them all up
 * front, so a legacy session can gain prompts or resources later without reconnecting.
 */
function initialiseHandlers(server: McpServer): void {
  const noop = async () => ({ contents: [] });
  server.registerTool('_init', { description: '' }, () => ({ content: [] })).remove();
  server.registerResource('_init', 'init://_', {}, noop).remove();
  server
    .registerResource(
      '_init_t',
      new ResourceTemplate('init://{x}', { list: undefined, complete: { x: () => [] } }),
      {},
      noop,
    )
    .remove();
  server.registerPrompt('_init', {}, () => ({ messages: [] })).remove();
}

export function registerSurface(
  server: McpServer,
  deps: SurfaceServerDeps,
  surface: EndpointSurface,
  allowed: SurfaceAccess,
): SurfaceRegistration {
  const handles: { remove(): void }[] = [];
  const permitted =
    (kind: 'resource' | 'prompt') =>
    <D extends { permission: ToolPermission }>(e: Exposed<D>) =>
      allowed.permits(kind, e.name, e.def.permission);

  for (const tool of surface.tools.filter((t) => allowed.permits('tool', t.name, t.def.permission))) {
    handles.push(
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: tool.def.inputSchema,
          ...(tool.def.outputSchema !== undefined && { outputSchema: tool.def.outputSchema }),
          annotations: tool.def.annotations,
        },
        async (args: unknown, sdkCtx: ServerContext) => {
          const input = (args ?? {}) as Record<string, unknown>;
          return runTool(deps, tool, sdkCtx, input, (ctx) => tool.def.handler(input, ctx));
        },
      ),
    );
  }

  for (const resource of surface.resources.filter(permitted('resource'))) {
    const { def } = resource;
    handles.push(
      server.registerResource(
        def.name,
        def.uri,
        { title: def.title, description: def.description, mimeType: def.mimeType },
        async (uri, sdkCtx) => runGuarded(deps, resource, sdkCtx, (ctx) => def.read(uri, ctx)),
      ),
    );
  }

  for (const template of surface.resourceTemplates.filter(permitted('resource'))) {
    const { def } = template;
    const complete = def.complete
      ? Object.fromEntries(
          Object.entries(def.complete).map(([k, fn]) => [k, async (value: string) => fn(value)]),
        )
      : undefined;
    handles.push(
      server.registerResource(
        template.name,
        new ResourceTemplate(def.uriTemplate, { list: undefined, ...(complete && { complete }) }),
        { title: def.title, description: def.description, mimeType: def.mimeType },
        async (uri, variables, sdkCtx) =>
          runGuarded(deps, template, sdkCtx, (ctx) => def.read(uri, variables, ctx)),
      ),
    );
  }

  for (const prompt of surface.prompts.filter(permitted('prompt'))) {
    const { def } = prompt;
    const shape: Record<string, z.ZodType> = {};
    for (const arg of def.arguments) {
      let field: z.ZodType = arg.description ? z.string().describe(arg.description) : z.string();
      if (arg.complete) {
        const fn = arg.complete.bind(arg);
        field = completable(field as z.ZodString, async (value: string) => fn(value));
      }
      shape[arg.name] = arg.required ? field : field.optional();
    }
    handles.push(
      server.registerPrompt(
        prompt.name,
        { title: def.title, description: def.description, argsSchema: z.object(shape) },
        async (args: Record<string, unknown>, sdkCtx: ServerContext) =>
          runGuarded(deps, prompt, sdkCtx, (ctx) => def.get(stringArgs(args), ctx)),
      ),
    );
  }

  return {
    remove: () => {
      for (const h of handles) h.remove();
      handles.length = 0;
    },
  };
}

function stringArgs(args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) if (typeof v === 'string') out[k] = v;
  return out;
}

function buildCallContext(
  deps: SurfaceServerDeps,
  exposed: Exposed<unknown>,
  principal: Principal,
  sdkCtx: ServerContext,
): CallContext {
  const { connection } = exposed;
  const progressToken = sdkCtx.mcpReq._meta?.progressToken;
  return {
    tenant: { id: deps.descriptor.tenant.id, slug: deps.descriptor.tenant.slug },
    connectionId: connection.connectionId,
    connectionName: connection.connectionName,
    config: connection.config,
    secrets: connection.secrets,
    logger: deps.packLogger(connection),
    principal,
    signal: sdkCtx.mcpReq.signal,
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await sdkCtx.mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total !== undefined && { total }),
          ...(message !== undefined && { message }),
        },
      });
    },
    protocol: withUnsealedState(sdkCtx),
  };
}

/**
 * Packs write plain `requestState`; the host signs it (bound to tenant, endpoint, principal and method)
 * on the way out and hands the verified inner value back on re-entry, so no pack can forget to sign.
 */
function withUnsealedState(sdkCtx: ServerContext): ServerContext {
  const sealed = sdkCtx.mcpReq.requestState<SealedRequestState>();
  if (sealed === undefined || typeof sealed !== 'object' || typeof sealed.s !== 'string') return sdkCtx;
  const inner = sealed.s;
  const requestState = (() => inner) as RequestStateAccessor;
  return { ...sdkCtx, mcpReq: { ...sdkCtx.mcpReq, requestState } };
}

async function sealResult<R>(deps: SurfaceServerDeps, result: R, sdkCtx: ServerContext): Promise<R> {
  if (isInputRequiredResult(result) && typeof result.requestState === 'string') {
    return { ...result, requestState: await deps.requestState.mint({ s: result.requestState }, sdkCtx) };
  }
  return result;
}

/** Prompts carry `arguments`; resources and templates do not. */
function kindOf(exposed: Exposed<unknown>): 'prompt' | 'resource' {
  const def = exposed.def as { arguments?: unknown; get?: unknown };
  return Array.isArray(def.arguments) && typeof def.get === 'function' ? 'prompt' : 'resource';
}

async function runGuarded<D extends { permission: ToolPermission }, R>(
  deps: SurfaceServerDeps,
  exposed: Exposed<D>,
  sdkCtx: ServerContext,
  run: (ctx: CallContext) => Promise<R>,
): Promise<R> {
  const auth = hostAuthOf(sdkCtx);
  const action = kindOf(exposed) === 'prompt' ? 'prompt:get' : 'resource:read';
  const target = {
    endpointId: deps.descriptor.endpoint.id,
    name: exposed.name,
    permission: exposed.def.permission,
  };
  if (!auth || !deps.rbac.can(auth.principal, action, target)) {
    throw new ProtocolError(
      JSONRPC_FORBIDDEN,
      `Forbidden: ${exposed.name} needs the ${exposed.def.permission} permission`,
    );
  }
  try {
    return await sealResult(deps, await run(buildCallContext(deps, exposed, auth.principal, sdkCtx)), sdkCtx);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    const correlationId = logFailure(deps, exposed, error);
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      `Internal error (correlation id ${correlationId})`,
    );
  }
}

async function runTool(
  deps: SurfaceServerDeps,
  tool: ExposedTool,
  sdkCtx: ServerContext,
  args: Record<string, unknown>,
  run: (ctx: CallContext) => Promise<ToolHandlerResult>,
): Promise<ToolHandlerResult> {
  const auth = hostAuthOf(sdkCtx);
  const principal = auth?.principal ?? NO_PRINCIPAL;
  const call: ToolCallInfo = {
    endpoint: deps.descriptor,
    principal,
    connectionId: tool.connection.connectionId,
    packId: tool.connection.pack.id,
    toolName: tool.name,
    packToolName: tool.def.name,
    permission: tool.def.permission,
    annotations: tool.def.annotations,
    args,
    client: clientOf(sdkCtx),
    startedAt: Date.now(),
  };
  return deps.interceptors.runToolCall(call, async () => {
    // The SDK turns anything a tool callback throws into a tool result, so a denial is one too.
    const target = {
      endpointId: deps.descriptor.endpoint.id,
      name: tool.name,
      permission: tool.def.permission,
    };
    if (!auth || !deps.rbac.can(auth.principal, 'tool:call', target)) {
      call.outcome = 'denied';
      call.errorCode = 'forbidden';
      return {
        content: [
          {
            type: 'text',
            text: `Permission denied: ${tool.name} needs the ${tool.def.permission} permission.`,
          },
        ],
        isError: true,
      };
    }
    try {
      const result = await sealResult(
        deps,
        await run(buildCallContext(deps, tool, auth.principal, sdkCtx)),
        sdkCtx,
      );
      call.outcome = isInputRequiredResult(result) ? 'input_required' : result.isError ? 'tool_error' : 'ok';
      return result;
    } catch (error) {
      const correlationId = logFailure(deps, tool, error);
      call.outcome = 'failed';
      call.errorCode = 'internal';
      call.correlationId = correlationId;
      return {
        content: [{ type: 'text', text: `The tool failed unexpectedly. Correlation id: ${correlationId}` }],
        isError: true,
      };
    }
  });
}

const NO_PRINCIPAL: Principal = {
  kind: 'anonymous',
  id: 'none',
  tenantId: '',
  userId: null,
  role: 'viewer',
  scopes: [],
};

/** The client's self-description: from the request's _meta (2026-07-28) when present. */
function clientOf(sdkCtx: ServerContext): { name: string; version: string } | null {
  const envelope: Record<string, unknown> | undefined = sdkCtx.mcpReq.envelope;
  const info = envelope?.[CLIENT_INFO_META_KEY] as { name?: unknown; version?: unknown } | undefined;
  return typeof info?.name === 'string'
    ? { name: info.name, version: typeof info.version === 'string' ? info.version : '' }
    : null;
}

function logFailure(deps: SurfaceServerDeps, exposed: Exposed<unknown>, error: unknown): string {
  const correlationId = randomUUID();
  deps.logger.error({
    msg: 'MCP handler failed',
    correlationId,
    tenantId: deps.descriptor.tenant.id,
    endpointId: deps.descriptor.endpoint.id,
    connectionId: exposed.connection.connectionId,
    name: exposed.name,
    err:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error),
  });
  return correlationId;
}
