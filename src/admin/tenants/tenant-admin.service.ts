import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder, type AuditActor } from '../../audit/audit.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { Role, Tenant } from '../../generated/prisma/client.js';
import { EndpointEvents } from '../../tenancy/endpoint-events.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { TenantRepository } from '../../tenancy/tenant.repository.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, toPage, type Page } from '../http/schemas.js';

export interface TenantView {
  readonly slug: string;
  readonly name: string;
  readonly status: 'active' | 'suspended';
  readonly plan: string;
  readonly mcpUrl: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Tenants for their members (read, rename) and for platform operators (list, create, suspend). */
@Injectable()
export class TenantAdminService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
    private readonly tenants: TenantRepository,
    private readonly events: EndpointEvents,
    private readonly audit: AuditRecorder,
  ) {}

  view(t: Tenant): TenantView {
    return {
      slug: t.slug,
      name: t.name,
      status: t.status,
      plan: t.plan,
      mcpUrl: `${this.config.publicUrl}/t/${t.slug}/mcp`,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }

  get(ctx: TenantContext): TenantView & { readonly role: Role } {
    return { ...this.view(ctx.tenant), role: ctx.principal.role };
  }

  async update(ctx: TenantContext, patch: { readonly name?: string }): Promise<TenantView & { role: Role }> {
    const before = ctx.tenant;
    const after =
      patch.name === undefined ? before : await this.tenants.update(before.id, { name: patch.name });
    await this.audit.record({
      tenantId: before.id,
      kind: 'admin',
      action: 'tenant.update',
      actor: ctx.actor,
      target: before.slug,
      outcome: 'success',
      data: { before: { name: before.name }, after: { name: after.name } },
    });
    this.events.emit({ tenantId: after.id, tenantSlug: after.slug, endpointSlug: null });
    return { ...this.view(after), role: ctx.principal.role };
  }

  async list(query: {
    readonly limit: number;
    readonly cursor?: string;
    readonly status?: 'active' | 'suspended';
    readonly q?: string;
  }): Promise<Page<TenantView>> {
    const after = decodeCursor(query.cursor, 1)?.[0];
    const rows = await this.tenants.page({
      take: query.limit + 1,
      after: after === undefined ? undefined : String(after),
      status: query.status,
      q: query.q,
    });
    const page = toPage(rows, query.limit, (t) => [t.slug]);
    return { items: page.items.map((t) => this.view(t)), nextCursor: page.nextCursor };
  }

  async create(
    input: { readonly slug: string; readonly name?: string; readonly ownerEmail: string },
    actor: AuditActor,
  ): Promise<TenantView> {
    return this.view(await this.tenancy.createTenant(input, actor));
  }

  async setStatus(slug: string, status: 'active' | 'suspended', actor: AuditActor): Promise<TenantView> {
    return this.view(await this.tenancy.setTenantStatus(slug, status, actor));
  }
}
