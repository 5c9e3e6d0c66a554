import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { DomainError, NotFoundError } from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { Endpoint } from '../../generated/prisma/client.js';
import { ConnectionRepository } from '../../tenancy/connection.repository.js';
import { EndpointEvents } from '../../tenancy/endpoint-events.js';
import { EndpointRepository, type EndpointWithConnections } from '../../tenancy/endpoint.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, toPage, type Page } from '../http/schemas.js';

export interface EndpointView {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly isDefault: boolean;
  readonly public: boolean;
  readonly mcpUrl: string;
  readonly connections: readonly {
    readonly connectionId: string;
    readonly name: string;
    readonly packId: string;
    readonly mode: 'all' | 'selected';
  }[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A tenant's endpoints: list, create, change, delete, and which connections each exposes. */
@Injectable()
export class EndpointAdminService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
    private readonly endpoints: EndpointRepository,
    private readonly connections: ConnectionRepository,
    private readonly events: EndpointEvents,
    private readonly audit: AuditRecorder,
  ) {}

  async list(
    ctx: TenantContext,
    query: { readonly limit: number; readonly cursor?: string; readonly q?: string },
  ): Promise<Page<EndpointView>> {
    const after = decodeCursor(query.cursor, 1)?.[0];
    const rows = await this.endpoints.page(
      { tenantId: ctx.tenant.id },
      { take: query.limit + 1, after: after === undefined ? undefined : String(after), q: query.q },
    );
    const page = toPage(rows, query.limit, (e) => [e.slug]);
    return { items: page.items.map((e) => this.view(ctx, e)), nextCursor: page.nextCursor };
  }

  async get(ctx: TenantContext, slug: string): Promise<EndpointView> {
    return this.view(ctx, await this.find(ctx, slug));
  }

  async create(
    ctx: TenantContext,
    input: {
      readonly slug: string;
      readonly name?: string;
      readonly description?: string;
      readonly public?: boolean;
    },
  ): Promise<EndpointView> {
    await this.tenancy.createEndpoint(ctx.tenant.slug, input, ctx.actor);
    return this.get(ctx, input.slug);
  }

  async update(
    ctx: TenantContext,
    slug: string,
    patch: { readonly name?: string; readonly description?: string | null; readonly public?: boolean },
  ): Promise<EndpointView> {
    const before = await this.find(ctx, slug);
    const after = await this.endpoints.update({ tenantId: ctx.tenant.id }, before.id, patch);
    await this.changed(ctx, slug, 'endpoint.update', {
      before: summary(before),
      after: summary(after),
    });
    return this.get(ctx, slug);
  }

  async remove(ctx: TenantContext, slug: string): Promise<void> {
    const before = await this.find(ctx, slug);
    if (before.isDefault) {
      throw new DomainError(
        'failed_precondition',
        'the default endpoint cannot be deleted: it is the tenant’s MCP URL',
      );
    }
    await this.endpoints.delete({ tenantId: ctx.tenant.id }, before.id);
    await this.changed(ctx, slug, 'endpoint.delete', { before: summary(before) });
  }

  /** Exposes a connection on the endpoint: every tool (`all`) or only the tools turned on (`selected`). */
  async attach(
    ctx: TenantContext,
    slug: string,
    connectionId: string,
    mode: 'all' | 'selected',
  ): Promise<EndpointView> {
    const endpoint = await this.find(ctx, slug);
    const connection = await this.connections.findById({ tenantId: ctx.tenant.id }, connectionId);
    if (!connection) throw new NotFoundError(`connection "${connectionId}"`);
    const before = endpoint.connections.find((c) => c.connectionId === connectionId);
    await this.endpoints.attachConnection({ tenantId: ctx.tenant.id }, endpoint.id, connectionId, mode);
    await this.changed(ctx, slug, 'endpoint.connection.attach', {
      connection: { id: connection.id, name: connection.name, packId: connection.packId },
      before: before ? { mode: before.mode } : null,
      after: { mode },
    });
    return this.get(ctx, slug);
  }

  async detach(ctx: TenantContext, slug: string, connectionId: string): Promise<EndpointView> {
    const endpoint = await this.find(ctx, slug);
    const before = endpoint.connections.find((c) => c.connectionId === connectionId);
    if (
      !before ||
      !(await this.endpoints.detachConnection({ tenantId: ctx.tenant.id }, endpoint.id, connectionId))
    ) {
      throw new NotFoundError(`connection "${connectionId}" on endpoint "${slug}"`);
    }
    await this.changed(ctx, slug, 'endpoint.connection.detach', {
      connection: { id: connectionId, name: before.connection.name },
      before: { mode: before.mode },
    });
    return this.get(ctx, slug);
  }

  async find(ctx: TenantContext, slug: string): Promise<EndpointWithConnections> {
    const exposure = await this.endpoints.findExposure({ tenantId: ctx.tenant.id }, slug);
    if (!exposure) throw new NotFoundError(`endpoint "${slug}"`);
    return exposure;
  }

  mcpUrl(ctx: TenantContext, e: Pick<Endpoint, 'slug' | 'isDefault'>): string {
    const path = e.isDefault ? `/t/${ctx.tenant.slug}/mcp` : `/t/${ctx.tenant.slug}/e/${e.slug}/mcp`;
    return `${this.config.publicUrl}${path}`;
  }

  async changed(
    ctx: TenantContext,
    slug: string,
    action: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    this.events.emit({ tenantId: ctx.tenant.id, tenantSlug: ctx.tenant.slug, endpointSlug: slug });
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action,
      actor: ctx.actor,
      target: slug,
      outcome: 'success',
      data,
    });
  }

  private view(ctx: TenantContext, e: EndpointWithConnections): EndpointView {
    return {
      id: e.id,
      slug: e.slug,
      name: e.name,
      description: e.description,
      isDefault: e.isDefault,
      public: e.public,
      mcpUrl: this.mcpUrl(ctx, e),
      connections: e.connections.map((c) => ({
        connectionId: c.connectionId,
        name: c.connection.name,
        packId: c.connection.packId,
        mode: c.mode,
      })),
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }
}

function summary(e: Endpoint): Record<string, unknown> {
  return { name: e.name, description: e.description, public: e.public };
}
