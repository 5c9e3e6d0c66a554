import { Injectable, Logger } from '@nestjs/common';
import { PackRegistry, type PackLogger, type ToolDefinition } from '@switchboard/integration-kit';
import { NotFoundError } from '../../common/domain-error.js';
import type { Connection, EndpointTool } from '../../generated/prisma/client.js';
import { ConnectionRepository } from '../../tenancy/connection.repository.js';
import { EndpointRepository } from '../../tenancy/endpoint.repository.js';
import { VaultService } from '../../vault/vault.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { EndpointAdminService } from './endpoint-admin.service.js';

/** A pack's surface may read its upstream (a schema, an OpenAPI document): bounded, like any admin call. */
const SURFACE_TIMEOUT_MS = 15_000;

export interface CatalogueTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly defaultTitle: string;
  readonly defaultDescription: string;
  readonly titleOverride: string | null;
  readonly descriptionOverride: string | null;
  readonly enabled: boolean;
  readonly permission: 'read' | 'write' | 'admin';
  readonly readOnly: boolean;
  readonly destructive: boolean;
  readonly idempotent: boolean;
  readonly openWorld: boolean;
}

export interface CatalogueGroup {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly packId: string;
  readonly packTitle: string | null;
  readonly connectionEnabled: boolean;
  /** Whether the endpoint exposes this connection at all, and how. */
  readonly attached: boolean;
  readonly mode: 'all' | 'selected' | null;
  /** Why the tools could not be listed (unknown pack, upstream unreachable); null when they were. */
  readonly error: string | null;
  readonly tools: readonly CatalogueTool[];
}

/**
 * The tools an endpoint can pick from, grouped by the tenant's connections, with each tool's
 * annotations and the endpoint's selection and overrides; and the changes to that selection.
 */
@Injectable()
export class ToolCatalogueService {
  private readonly logger = new Logger(ToolCatalogueService.name);

  constructor(
    private readonly endpointsAdmin: EndpointAdminService,
    private readonly endpoints: EndpointRepository,
    private readonly connections: ConnectionRepository,
    private readonly packs: PackRegistry,
    private readonly vault: VaultService,
  ) {}

  async catalogue(ctx: TenantContext, endpointSlug: string, q?: string): Promise<CatalogueGroup[]> {
    const endpoint = await this.endpointsAdmin.find(ctx, endpointSlug);
    const exposure = await this.endpoints.findExposure({ tenantId: ctx.tenant.id }, endpointSlug);
    const overrides = exposure?.tools ?? [];
    const all = await this.connections.list({ tenantId: ctx.tenant.id });
    const needle = q?.toLowerCase();
    return Promise.all(
      all.map(async (c) => {
        const attachment = endpoint.connections.find((ec) => ec.connectionId === c.id);
        const mode = attachment?.mode ?? null;
        const pack = this.packs.get(c.packId);
        const base = {
          connectionId: c.id,
          connectionName: c.name,
          packId: c.packId,
          packTitle: pack?.title ?? null,
          connectionEnabled: c.enabled,
          attached: attachment !== undefined,
          mode,
        };
        let tools: readonly ToolDefinition[];
        try {
          tools = await this.tools(ctx, c);
        } catch (e) {
          return { ...base, error: (e as Error).message, tools: [] };
        }
        const rows = overrides.filter((o) => o.connectionId === c.id);
        return {
          ...base,
          error: null,
          tools: tools
            .map((t) =>
              toCatalogueTool(
                t,
                rows.find((r) => r.toolName === t.name),
                mode,
              ),
            )
            .filter(
              (t) =>
                !needle ||
                t.name.toLowerCase().includes(needle) ||
                t.title.toLowerCase().includes(needle) ||
                t.description.toLowerCase().includes(needle),
            ),
        };
      }),
    );
  }

  /**
   * Turns a tool on or off on an endpoint and sets or clears its title and description overrides (null
   * clears). A connection the endpoint does not expose yet is attached with only the chosen tools.
   */
  async setTool(
    ctx: TenantContext,
    endpointSlug: string,
    connectionId: string,
    toolName: string,
    patch: {
      readonly enabled?: boolean;
      readonly title?: string | null;
      readonly description?: string | null;
    },
  ): Promise<CatalogueTool> {
    const scope = { tenantId: ctx.tenant.id };
    const endpoint = await this.endpointsAdmin.find(ctx, endpointSlug);
    const connection = await this.connections.findById(scope, connectionId);
    if (!connection) throw new NotFoundError(`connection "${connectionId}"`);
    const tools = await this.tools(ctx, connection);
    const def = tools.find((t) => t.name === toolName);
    if (!def) {
      throw new NotFoundError(`tool "${toolName}" of connection "${connection.name}"`, {
        available: tools.map((t) => t.name),
      });
    }
    let mode = endpoint.connections.find((ec) => ec.connectionId === connectionId)?.mode ?? null;
    if (mode === null && patch.enabled === true) {
      await this.endpoints.attachConnection(scope, endpoint.id, connectionId, 'selected');
      mode = 'selected';
    }
    const exposure = await this.endpoints.findExposure(scope, endpointSlug);
    const before = exposure?.tools.find((t) => t.connectionId === connectionId && t.toolName === toolName);
    const wasEnabled = isEnabled(mode, before);
    const row = await this.endpoints.setTool(
      scope,
      { endpointId: endpoint.id, connectionId, toolName },
      {
        enabled: patch.enabled ?? wasEnabled,
        title: patch.title === undefined ? (before?.title ?? null) : patch.title,
        description: patch.description === undefined ? (before?.description ?? null) : patch.description,
      },
    );
    await this.endpointsAdmin.changed(ctx, endpointSlug, 'endpoint.tool.update', {
      connection: { id: connection.id, name: connection.name },
      tool: toolName,
      before: { enabled: wasEnabled, title: before?.title ?? null, description: before?.description ?? null },
      after: { enabled: row.enabled, title: row.title, description: row.description },
    });
    return toCatalogueTool(def, row, mode);
  }

  private async tools(ctx: TenantContext, c: Connection): Promise<readonly ToolDefinition[]> {
    const pack = this.packs.get(c.packId);
    if (!pack) throw new Error(`this connection's integration "${c.packId}" is not installed on this server`);
    const surface = pack.surface({
      tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug },
      connectionId: c.id,
      connectionName: c.name,
      config: c.config,
      secrets: this.vault.accessorFor(ctx.tenant.id, c.id),
      logger: this.packLogger(c),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`listing the tools of "${c.name}" took longer than ${SURFACE_TIMEOUT_MS / 1000} s`),
          ),
        SURFACE_TIMEOUT_MS,
      );
    });
    try {
      return (await Promise.race([surface, timeout])).tools;
    } catch (e) {
      this.logger.warn(`tools of connection ${c.id} could not be listed: ${(e as Error).message}`);
      throw new Error(`the tools of "${c.name}" could not be listed: ${(e as Error).message}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  private packLogger(c: Connection): PackLogger {
    const log =
      (level: 'debug' | 'log' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) =>
        this.logger[level]({ msg, connectionId: c.id, pack: c.packId, ...fields });
    return { debug: log('debug'), info: log('log'), warn: log('warn'), error: log('error') };
  }
}

function isEnabled(mode: 'all' | 'selected' | null, row: EndpointTool | undefined): boolean {
  if (mode === null) return false;
  return mode === 'all' ? row?.enabled !== false : row?.enabled === true;
}

function toCatalogueTool(
  def: ToolDefinition,
  row: EndpointTool | undefined,
  mode: 'all' | 'selected' | null,
): CatalogueTool {
  const a = def.annotations ?? {};
  return {
    name: def.name,
    title: row?.title ?? def.title,
    description: row?.description ?? def.description,
    defaultTitle: def.title,
    defaultDescription: def.description,
    titleOverride: row?.title ?? null,
    descriptionOverride: row?.description ?? null,
    enabled: isEnabled(mode, row),
    permission: def.permission,
    readOnly: a.readOnlyHint === true,
    // MCP's default for destructiveHint is true unless the tool says it is read-only.
    destructive: a.readOnlyHint === true ? false : a.destructiveHint !== false,
    idempotent: a.idempotentHint === true,
    openWorld: a.openWorldHint !== false,
  };
}
