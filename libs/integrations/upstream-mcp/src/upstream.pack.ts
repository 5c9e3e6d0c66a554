import type { Client, Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/client';
import {
  fromJsonSchema,
  type CallToolResult,
  type GetPromptResult,
  type JsonSchemaType,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import {
  toolError,
  type CallContext,
  type ConnectionContext,
  type PackSurface,
  type PromptDefinition,
  type ResourceDefinition,
  type ResourceTemplateDefinition,
  type ToolDefinition,
  type ToolPack,
} from '@switchboard/integration-kit';

import type { UpstreamCatalog, UpstreamClients } from './upstream-clients.js';
import {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  parseUpstreamConfig,
  TOKEN_SECRET,
  upstreamConfigSchema,
  type UpstreamConfig,
} from './upstream.config.js';

export const UPSTREAM_MCP_PACK_ID = 'upstream-mcp';

/** Longest upstream description passed on; upstream text is not ours to let grow without bound. */
const MAX_DESCRIPTION = 4_000;
const MAX_NAME = 64;

export interface UpstreamMcpPackDeps {
  readonly clients: UpstreamClients;
}

/**
 * Another MCP server (Streamable HTTP, either protocol era) re-exposed under a namespace: its chosen tools,
 * its resources and its prompts, proxied through one pooled client per connection. The upstream credential
 * stays in the vault and on the outbound request; callers only ever see results and error messages.
 */
export function createUpstreamMcpPack(deps: UpstreamMcpPackDeps): ToolPack<UpstreamConfig> {
  return {
    id: UPSTREAM_MCP_PACK_ID,
    title: 'Upstream MCP server',
    description:
      'Connect a remote MCP server over Streamable HTTP (bearer token or OAuth client credentials) and re-expose its tools, resources and prompts under a namespace.',
    version: '1.0.0',
    configSchema: upstreamConfigSchema as unknown as ToolPack<UpstreamConfig>['configSchema'],
    secrets: [
      { name: TOKEN_SECRET, description: 'Bearer token, when auth.kind is "bearer".', required: false },
      {
        name: CLIENT_ID_SECRET,
        description: 'OAuth client id, when auth.kind is "oauth_client_credentials".',
        required: false,
      },
      {
        name: CLIENT_SECRET_SECRET,
        description: 'OAuth client secret, when auth.kind is "oauth_client_credentials".',
        required: false,
      },
    ],
    exposeByDefault: false,
    async surface(ctx): Promise<PackSurface<UpstreamConfig>> {
      const config = parseUpstreamConfig(ctx.config);
      let catalog: UpstreamCatalog | null;
      try {
        catalog = await deps.clients.run(ctx, config, (client) => listCatalog(client, config));
        deps.clients.rememberCatalog(ctx.connectionId, config, catalog);
      } catch (error) {
        // An unreachable upstream must not break the endpoint: keep the last known tools (their calls fail
        // with a tool error until it is back), or expose nothing until a later rebuild succeeds.
        catalog = deps.clients.lastCatalog(ctx.connectionId, config);
        ctx.logger.warn('could not list the upstream MCP server', {
          error: deps.clients.describe(ctx, config, error),
          usingLastKnownList: catalog !== null,
        });
        if (!catalog) return { tools: [] };
      }
      return buildSurface(deps, ctx, config, catalog);
    },
  };
}

async function listCatalog(client: Client, config: UpstreamConfig): Promise<UpstreamCatalog> {
  const capabilities = client.getServerCapabilities() ?? {};
  // The argument-less list calls walk every page (cursor by cursor, capped by the client's listMaxPages).
  const tools = capabilities.tools ? (await client.listTools()).tools : [];
  const wantResources = config.resources && capabilities.resources !== undefined;
  const resources = wantResources ? (await client.listResources()).resources : [];
  const resourceTemplates = wantResources ? (await client.listResourceTemplates()).resourceTemplates : [];
  const prompts = capabilities.prompts ? (await client.listPrompts()).prompts : [];
  return { tools, resources, resourceTemplates, prompts };
}

/** `gh` + `Search Issues` → `gh_search_issues`; null when the result is not a valid exposed name. */
export function namespacedName(namespace: string, upstreamName: string): string | null {
  const local = upstreamName
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (local === '') return null;
  const name = `${namespace}_${local}`;
  return name.length <= MAX_NAME ? name : null;
}

function buildSurface(
  deps: UpstreamMcpPackDeps,
  ctx: ConnectionContext<UpstreamConfig>,
  config: UpstreamConfig,
  catalog: UpstreamCatalog,
): PackSurface<UpstreamConfig> {
  const chosenTools = pick(catalog.tools, config.tools, ctx, 'tool');
  const chosenPrompts = pick(catalog.prompts, config.prompts, ctx, 'prompt');
  const used = new Set<string>();
  const named = <T extends { name: string }>(items: readonly T[], kind: string): [string, T][] => {
    const out: [string, T][] = [];
    for (const item of items) {
      const name = namespacedName(config.namespace, item.name);
      if (name === null || used.has(name)) {
        ctx.logger.warn(`skipped an upstream ${kind} whose name cannot be exposed`, { name: item.name });
        continue;
      }
      used.add(name);
      out.push([name, item]);
    }
    return out;
  };
  const tools = named(chosenTools, 'tool').map(([name, tool]) => proxyTool(deps, config, name, tool));
  used.clear();
  const prompts = named(chosenPrompts, 'prompt').map(([name, prompt]) =>
    proxyPrompt(deps, config, name, prompt),
  );
  const resources = config.resources ? catalog.resources.map((r) => proxyResource(deps, config, r)) : [];
  const resourceTemplates = config.resources
    ? catalog.resourceTemplates.map((t) => proxyTemplate(deps, config, t))
    : [];
  return { tools, resources, resourceTemplates, prompts };
}

function pick<T extends { name: string }>(
  items: readonly T[],
  chosen: readonly string[] | undefined,
  ctx: ConnectionContext<UpstreamConfig>,
  kind: string,
): readonly T[] {
  if (chosen === undefined) return items;
  const wanted = new Set(chosen);
  const out = items.filter((item) => wanted.has(item.name));
  for (const item of out) wanted.delete(item.name);
  if (wanted.size > 0) {
    ctx.logger.warn(`chosen upstream ${kind}s are not offered by the server`, { missing: [...wanted] });
  }
  return out;
}

function describe(text: string | undefined, fallback: string): string {
  const value = text?.trim() || fallback;
  return value.length > MAX_DESCRIPTION ? `${value.slice(0, MAX_DESCRIPTION - 1)}…` : value;
}

function proxyTool(
  deps: UpstreamMcpPackDeps,
  config: UpstreamConfig,
  name: string,
  tool: Tool,
): ToolDefinition<UpstreamConfig> {
  const annotations = { ...(tool.annotations ?? {}) };
  return {
    name,
    title: tool.title ?? tool.annotations?.title ?? tool.name,
    description: describe(tool.description, `The upstream tool "${tool.name}".`),
    inputSchema: fromJsonSchema(tool.inputSchema as JsonSchemaType),
    ...(tool.outputSchema && { outputSchema: fromJsonSchema(tool.outputSchema as JsonSchemaType) }),
    annotations,
    // Upstream tools that do not declare themselves read-only may change things (the spec's default).
    permission: tool.annotations?.readOnlyHint === true ? 'read' : 'write',
    async handler(args, ctx: CallContext<UpstreamConfig>) {
      ctx.logger.debug('proxying a tool call upstream', {
        tool: tool.name,
        principal: ctx.principal.id,
        principalKind: ctx.principal.kind,
      });
      try {
        const result = await deps.clients.run(ctx, config, (client) =>
          client.callTool(
            { name: tool.name, arguments: args },
            { signal: ctx.signal, timeout: config.requestTimeoutMs },
          ),
        );
        return result as CallToolResult;
      } catch (error) {
        return toolError(deps.clients.describe(ctx, config, error));
      }
    },
  };
}

function proxyResource(
  deps: UpstreamMcpPackDeps,
  config: UpstreamConfig,
  resource: Resource,
): ResourceDefinition<UpstreamConfig> {
  return {
    // URIs are kept: content from the upstream links to them, and clients read them back as they are.
    uri: resource.uri,
    name: `${config.namespace}_${resource.name}`,
    ...(resource.title !== undefined && { title: resource.title }),
    ...(resource.description !== undefined && { description: describe(resource.description, '') }),
    ...(resource.mimeType !== undefined && { mimeType: resource.mimeType }),
    permission: 'read',
    read: (uri, ctx) => readUpstream(deps, config, uri, ctx),
  };
}

function proxyTemplate(
  deps: UpstreamMcpPackDeps,
  config: UpstreamConfig,
  template: ResourceTemplateType,
): ResourceTemplateDefinition<UpstreamConfig> {
  return {
    uriTemplate: template.uriTemplate,
    name: `${config.namespace}_${template.name}`,
    ...(template.title !== undefined && { title: template.title }),
    ...(template.description !== undefined && { description: describe(template.description, '') }),
    ...(template.mimeType !== undefined && { mimeType: template.mimeType }),
    permission: 'read',
    read: (uri, _variables, ctx) => readUpstream(deps, config, uri, ctx),
  };
}

async function readUpstream(
  deps: UpstreamMcpPackDeps,
  config: UpstreamConfig,
  uri: URL,
  ctx: CallContext<UpstreamConfig>,
): Promise<ReadResourceResult> {
  try {
    const result = await deps.clients.run(ctx, config, (client) =>
      client.readResource({ uri: uri.href }, { signal: ctx.signal, timeout: config.requestTimeoutMs }),
    );
    return result as ReadResourceResult;
  } catch (error) {
    // Resources have no error result: the host turns this into a JSON-RPC error with this safe message.
    throw new Error(deps.clients.describe(ctx, config, error), { cause: error });
  }
}

function proxyPrompt(
  deps: UpstreamMcpPackDeps,
  config: UpstreamConfig,
  name: string,
  prompt: Prompt,
): PromptDefinition<UpstreamConfig> {
  return {
    name,
    ...(prompt.title !== undefined && { title: prompt.title }),
    ...(prompt.description !== undefined && { description: describe(prompt.description, '') }),
    arguments: (prompt.arguments ?? []).map((a) => ({
      name: a.name,
      ...(a.description !== undefined && { description: a.description }),
      ...(a.required !== undefined && { required: a.required }),
    })),
    permission: 'read',
    async get(args, ctx): Promise<GetPromptResult> {
      try {
        const result = await deps.clients.run(ctx, config, (client) =>
          client.getPrompt(
            { name: prompt.name, arguments: args },
            { signal: ctx.signal, timeout: config.requestTimeoutMs },
          ),
        );
        return result as GetPromptResult;
      } catch (error) {
        throw new Error(deps.clients.describe(ctx, config, error), { cause: error });
      }
    },
  };
}
