import type {
  PackLogger,
  PromptDefinition,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
  ToolPermission,
} from '@switchboard/integration-kit';

import type { EndpointDescriptor, ExposedConnection } from './mcp.types.js';

export interface Exposed<Def> {
  /** Name on the wire (may carry a connection prefix after a collision). */
  readonly name: string;
  readonly def: Def;
  readonly connection: ExposedConnection;
}

export interface ExposedTool extends Exposed<ToolDefinition> {
  readonly title: string;
  readonly description: string;
}

/** An endpoint's whole surface, built once per generation from its connections' packs. */
export interface EndpointSurface {
  readonly tools: readonly ExposedTool[];
  readonly resources: readonly Exposed<ResourceDefinition>[];
  readonly resourceTemplates: readonly Exposed<ResourceTemplateDefinition>[];
  readonly prompts: readonly Exposed<PromptDefinition>[];
}

export const ALL_PERMISSIONS: readonly ToolPermission[] = ['read', 'write', 'admin'];

const MAX_NAME = 64;

/** `Sales HubSpot` → `sales_hubspot`; used to prefix a name that collides with an earlier connection's. */
export function slugify(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug.length > 0 ? slug : 'connection';
}

/**
 * Gives `name` a unique spelling within `taken`. The first connection keeps the bare name; a later one
 * gets `<connection-slug>_<name>` (cut to 64 characters), then a numeric suffix if even that is taken.
 */
export function uniqueName(name: string, connectionName: string, taken: Set<string>): string {
  let candidate = name;
  if (taken.has(candidate)) candidate = `${slugify(connectionName)}_${name}`.slice(0, MAX_NAME);
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `_${n}`;
    candidate = `${slugify(connectionName)}_${name}`.slice(0, MAX_NAME - suffix.length) + suffix;
  }
  taken.add(candidate);
  return candidate;
}

/** Applies an endpoint's tool selection (mode and per-tool overrides) to one connection's tools. */
export function selectTools(
  connection: ExposedConnection,
  tools: readonly ToolDefinition[],
): { def: ToolDefinition; title: string; description: string }[] {
  const selected: { def: ToolDefinition; title: string; description: string }[] = [];
  for (const def of tools) {
    const override = connection.toolOverrides.get(def.name);
    const enabled = connection.mode === 'all' ? override?.enabled !== false : override?.enabled === true;
    if (!enabled) continue;
    selected.push({
      def,
      title: override?.title ?? def.title,
      description: override?.description ?? def.description,
    });
  }
  return selected;
}

export type SurfaceLoggerFactory = (connection: ExposedConnection) => PackLogger;

/**
 * Calls every connection's `pack.surface()` (once per generation, never per request) and merges the
 * results. A connection whose pack fails is left out and logged, so one broken integration cannot take
 * the whole endpoint down.
 */
export async function buildEndpointSurface(
  descriptor: EndpointDescriptor,
  loggerFor: SurfaceLoggerFactory,
  onConnectionError: (connection: ExposedConnection, error: unknown) => void,
): Promise<EndpointSurface> {
  const packSurfaces = await Promise.all(
    descriptor.connections.map(async (connection) => {
      try {
        const surface = await connection.pack.surface({
          tenant: { id: descriptor.tenant.id, slug: descriptor.tenant.slug },
          connectionId: connection.connectionId,
          connectionName: connection.connectionName,
          config: connection.config,
          secrets: connection.secrets,
          logger: loggerFor(connection),
        });
        return { connection, surface };
      } catch (error) {
        onConnectionError(connection, error);
        return null;
      }
    }),
  );

  const toolNames = new Set<string>();
  const promptNames = new Set<string>();
  const templateNames = new Set<string>();
  const resourceUris = new Set<string>();
  const tools: ExposedTool[] = [];
  const resources: Exposed<ResourceDefinition>[] = [];
  const resourceTemplates: Exposed<ResourceTemplateDefinition>[] = [];
  const prompts: Exposed<PromptDefinition>[] = [];

  for (const entry of packSurfaces) {
    if (entry === null) continue;
    const { connection, surface } = entry;
    for (const t of selectTools(connection, surface.tools)) {
      tools.push({ ...t, name: uniqueName(t.def.name, connection.connectionName, toolNames), connection });
    }
    for (const def of surface.resources ?? []) {
      // A URI is the resource's identity and cannot be renamed: the first connection keeps it.
      if (resourceUris.has(def.uri)) continue;
      resourceUris.add(def.uri);
      resources.push({ name: def.name, def, connection });
    }
    for (const def of surface.resourceTemplates ?? []) {
      resourceTemplates.push({
        name: uniqueName(def.name, connection.connectionName, templateNames),
        def,
        connection,
      });
    }
    for (const def of surface.prompts ?? []) {
      prompts.push({ name: uniqueName(def.name, connection.connectionName, promptNames), def, connection });
    }
  }
  return { tools, resources, resourceTemplates, prompts };
}
