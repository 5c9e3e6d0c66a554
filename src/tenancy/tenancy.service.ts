import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { PackRegistry, type ToolPack } from '@switchboard/integration-kit';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../common/domain-error.js';
import { RESERVED_SLUGS, slugSchema } from '../common/slug.js';
import type { Endpoint, Role, Tenant } from '../generated/prisma/client.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { EndpointDescriptor, ExposedConnection, ToolOverride } from '../mcp/mcp.types.js';
import { ConnectionRepository } from './connection.repository.js';
import { EndpointEvents } from './endpoint-events.js';
import { EndpointRepository } from './endpoint.repository.js';
import { TenantRepository } from './tenant.repository.js';
import { MembershipRepository } from './membership.repository.js';
import { UserRepository } from './user.repository.js';
import { EndpointCache } from './endpoint-cache.js';
import { isUniqueViolation } from '../database/prisma-errors.js';
import { WORKSPACE_PACK_ID } from '@switchboard/workspace';
import { VaultService } from '../vault/vault.service.js';
import { AuditRecorder, SYSTEM_ACTOR, type AuditActor } from '../audit/audit.contract.js';
import { InvalidationBus } from '../redis/invalidation-bus.js';
import { MEMBER_CHANGED, type MemberChange } from './member-events.js';

export interface EnablePackInput {
  readonly endpointSlug: string;
  /** Connection name; defaults to the pack id. An existing connection of that name is reused. */
  readonly connectionName?: string;
  readonly config?: unknown;
  /** Expose only these tools; all of the pack's tools when omitted. */
  readonly tools?: readonly string[];
}

/** How long a tenant found suspended is remembered as such (a reactivation clears it at once). */
const SUSPENDED_TTL_MS = 30_000;

@Injectable()
export class TenancyService {
  private readonly logger = new Logger(TenancyService.name);
  private generation = 0;
  /** Slugs of tenants found suspended while resolving, so the MCP route can say so (bounded, short-lived). */
  private readonly suspended = new Map<string, number>();

  constructor(
    private readonly tenants: TenantRepository,
    private readonly endpoints: EndpointRepository,
    private readonly connections: ConnectionRepository,
    private readonly packs: PackRegistry,
    private readonly events: EndpointEvents,
    private readonly cache: EndpointCache,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly vault: VaultService,
    private readonly audit: AuditRecorder,
    private readonly bus: InvalidationBus,
  ) {
    this.events.on((change) => {
      this.cache.evictTenant(change.tenantSlug, change.endpointSlug);
      if (change.endpointSlug === null) this.suspended.delete(change.tenantSlug);
    });
    // Changes published while this node's bus connection was down are lost: start from the database.
    this.events.onResync(() => {
      this.cache.clear();
      this.suspended.clear();
    });
  }

  /** Creates a tenant with its default endpoint (serving the workspace pack) and, when given, its owner. */
  async createTenant(
    input: {
      readonly slug: string;
      readonly name?: string;
      readonly ownerEmail?: string;
    },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<Tenant> {
    const slug = this.validSlug(input.slug, 'tenant');
    const ownerEmail = input.ownerEmail === undefined ? undefined : this.validEmail(input.ownerEmail);
    let tenant: Tenant;
    try {
      tenant = await this.tenants.createWithDefaultEndpoint({ slug, name: input.name?.trim() || slug });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`tenant "${slug}" already exists`);
      throw e;
    }
    await this.recordAdmin(tenant.id, actor, 'tenant.create', slug, {
      after: { slug, name: tenant.name, status: tenant.status },
    });
    if (this.packs.get(WORKSPACE_PACK_ID)) {
      await this.enablePack(tenant.slug, WORKSPACE_PACK_ID, { endpointSlug: 'default' }, actor);
    }
    if (ownerEmail) await this.addMember(tenant.slug, ownerEmail, 'owner', actor);
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    return tenant;
  }

  /** Adds a user (created on first use) to a tenant with a role, or changes their role. */
  async addMember(
    tenantSlug: string,
    email: string,
    role: 'owner' | 'admin' | 'member' | 'viewer',
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const tenant = await this.getTenant(tenantSlug);
    const user = await this.users.upsertByEmail(this.validEmail(email), null);
    const before = await this.memberships.find({ tenantId: tenant.id }, user.id);
    const membership = await this.memberships.upsert({ tenantId: tenant.id }, user.id, role);
    await this.recordAdmin(tenant.id, actor, before ? 'member.update' : 'member.add', user.email, {
      userId: user.id,
      before: before ? { role: before.role } : null,
      after: { role: membership.role },
    });
    // Keys and tokens cached on every node carry the old role until they hear of this.
    if (before)
      await this.bus.publish<MemberChange>(MEMBER_CHANGED, { tenantId: tenant.id, userId: user.id });
    return { user, membership };
  }

  /**
   * Changes a member's role, or removes them with `null`, never leaving the tenant without an owner; every
   * node then drops the keys and tokens it cached with the old role.
   */
  async changeMembership(
    scope: TenantScope,
    userId: string,
    role: Role | null,
  ): ReturnType<MembershipRepository['changeKeepingAnOwner']> {
    const result = await this.memberships.changeKeepingAnOwner(scope, userId, role);
    if (typeof result === 'object') {
      await this.bus.publish<MemberChange>(MEMBER_CHANGED, { tenantId: scope.tenantId, userId });
    }
    return result;
  }

  listTenants(page: { readonly take: number; readonly after?: string }): Promise<Tenant[]> {
    return this.tenants.list(page);
  }

  async getTenant(slug: string): Promise<Tenant> {
    const tenant = await this.tenants.findBySlug(slug);
    if (!tenant) throw new NotFoundError(`tenant "${slug}"`);
    return tenant;
  }

  async setTenantStatus(
    slug: string,
    status: 'active' | 'suspended',
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<Tenant> {
    const before = await this.getTenant(slug);
    const tenant = await this.tenants.setStatus(before.id, status);
    await this.recordAdmin(tenant.id, actor, 'tenant.status', tenant.slug, {
      before: { status: before.status },
      after: { status: tenant.status },
    });
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    return tenant;
  }

  async createEndpoint(
    tenantSlug: string,
    input: {
      readonly slug: string;
      readonly name?: string;
      readonly description?: string;
      readonly public?: boolean;
    },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<Endpoint> {
    const tenant = await this.getTenant(tenantSlug);
    const slug = this.validSlug(input.slug, 'endpoint');
    try {
      const endpoint = await this.endpoints.create(
        { tenantId: tenant.id },
        {
          slug,
          name: input.name?.trim() || slug,
          description: input.description,
          public: input.public ?? false,
        },
      );
      this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: slug });
      await this.recordAdmin(tenant.id, actor, 'endpoint.create', slug, {
        after: { slug, name: endpoint.name, description: endpoint.description, public: endpoint.public },
      });
      return endpoint;
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(`endpoint "${slug}" already exists in tenant "${tenantSlug}"`);
      throw e;
    }
  }

  async listEndpoints(tenantSlug: string): Promise<Endpoint[]> {
    const tenant = await this.getTenant(tenantSlug);
    return this.endpoints.list({ tenantId: tenant.id });
  }

  /** Creates (or reuses) a connection of `packId` and exposes it on an endpoint. */
  async enablePack(
    tenantSlug: string,
    packId: string,
    input: EnablePackInput,
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const pack = this.packs.get(packId);
    if (!pack) {
      throw new NotFoundError(`tool pack "${packId}"`, { available: this.packs.list().map((p) => p.id) });
    }
    const tenant = await this.getTenant(tenantSlug);
    const scope = { tenantId: tenant.id };
    const endpoint = await this.endpoints.findBySlug(scope, input.endpointSlug);
    if (!endpoint) throw new NotFoundError(`endpoint "${input.endpointSlug}" in tenant "${tenantSlug}"`);

    const name = input.connectionName ?? packId;
    let connection = await this.connections.findByName(scope, name);
    if (connection && connection.packId !== packId) {
      throw new ConflictError(`connection "${name}" already exists for pack "${connection.packId}"`);
    }
    const created = !connection;
    if (!connection) {
      const config = await this.validateConfig(pack, input.config ?? {});
      connection = await this.connections.create(scope, { packId, name, config: config as object });
    }
    const mode = input.tools ? 'selected' : 'all';
    await this.endpoints.attachConnection(scope, endpoint.id, connection.id, mode);
    for (const toolName of input.tools ?? []) {
      await this.endpoints.setTool(
        scope,
        { endpointId: endpoint.id, connectionId: connection.id, toolName },
        { enabled: true },
      );
    }
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: endpoint.slug });
    // The recorder redacts secret-looking keys in the connection's config.
    await this.recordAdmin(tenant.id, actor, 'pack.enable', packId, {
      endpoint: endpoint.slug,
      connection: { id: connection.id, name: connection.name, created, config: connection.config },
      after: { mode, tools: input.tools ?? null },
    });
    return { connection, endpoint, mode };
  }

  /** Stops exposing a pack's connection on an endpoint (the connection and its secrets stay). */
  async disablePack(
    tenantSlug: string,
    packId: string,
    input: { readonly endpointSlug: string; readonly connectionName?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const tenant = await this.getTenant(tenantSlug);
    const scope = { tenantId: tenant.id };
    const endpoint = await this.endpoints.findBySlug(scope, input.endpointSlug);
    if (!endpoint) throw new NotFoundError(`endpoint "${input.endpointSlug}" in tenant "${tenantSlug}"`);
    const candidates = (await this.connections.findByPack(scope, packId)).filter(
      (c) => input.connectionName === undefined || c.name === input.connectionName,
    );
    let detached = 0;
    for (const c of candidates)
      if (await this.endpoints.detachConnection(scope, endpoint.id, c.id)) detached++;
    if (detached === 0) throw new NotFoundError(`pack "${packId}" on endpoint "${input.endpointSlug}"`);
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: endpoint.slug });
    await this.recordAdmin(tenant.id, actor, 'pack.disable', packId, {
      endpoint: endpoint.slug,
      connections: candidates.map((c) => c.name),
      detached,
    });
    return { endpoint, detached };
  }

  /**
   * Resolves an MCP URL to what it serves. Cached; a miss is cached briefly too, so probing random slugs
   * does not reach the database on every request. Returns null for unknown and suspended tenants alike.
   */
  resolveEndpoint(tenantSlug: string, endpointSlug: string | null): Promise<EndpointDescriptor | null> {
    const endpoint = endpointSlug ?? 'default';
    return this.cache.get(tenantSlug, endpoint, () => this.buildDescriptor(tenantSlug, endpoint));
  }

  /**
   * Whether `resolveEndpoint` just found this tenant suspended (so its MCP URL can answer with that rather
   * than "not found"). Answered from memory: probing random slugs never reaches the database through it.
   */
  isSuspended(tenantSlug: string): boolean {
    const until = this.suspended.get(tenantSlug);
    return until !== undefined && until > Date.now();
  }

  private async buildDescriptor(
    tenantSlug: string,
    endpointSlug: string,
  ): Promise<EndpointDescriptor | null> {
    if (!slugSchema.safeParse(tenantSlug).success || !slugSchema.safeParse(endpointSlug).success) return null;
    const tenant = await this.tenants.findBySlug(tenantSlug);
    if (!tenant) return null;
    if (tenant.status !== 'active') {
      if (this.suspended.size >= 10_000) this.suspended.clear();
      this.suspended.set(tenant.slug, Date.now() + SUSPENDED_TTL_MS);
      return null;
    }
    const exposure = await this.endpoints.findExposure({ tenantId: tenant.id }, endpointSlug);
    if (!exposure) return null;

    const connections: ExposedConnection[] = [];
    for (const ec of exposure.connections) {
      const c = ec.connection;
      if (!c.enabled) continue;
      const pack = this.packs.get(c.packId);
      if (!pack) {
        this.logger.warn(
          `connection ${c.id} of tenant ${tenant.slug} uses unknown pack "${c.packId}"; skipped`,
        );
        continue;
      }
      const toolOverrides = new Map<string, ToolOverride>();
      for (const t of exposure.tools) {
        if (t.connectionId !== c.id) continue;
        toolOverrides.set(t.toolName, { enabled: t.enabled, title: t.title, description: t.description });
      }
      connections.push({
        connectionId: c.id,
        connectionName: c.name,
        pack,
        config: c.config,
        mode: ec.mode,
        toolOverrides,
        // Decrypts per `get`, inside the call that asks; the cached descriptor holds no plaintext.
        secrets: this.vault.accessorFor(tenant.id, c.id),
      });
    }
    const isDefault = exposure.isDefault;
    return {
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      endpoint: {
        id: exposure.id,
        slug: exposure.slug,
        name: exposure.name,
        isDefault,
        public: exposure.public,
      },
      path: isDefault ? `/t/${tenant.slug}/mcp` : `/t/${tenant.slug}/e/${exposure.slug}/mcp`,
      connections,
      generation: ++this.generation,
    };
  }

  private recordAdmin(
    tenantId: string,
    actor: AuditActor,
    action: string,
    target: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({ tenantId, kind: 'admin', action, actor, target, outcome: 'success', data });
  }

  private validSlug(value: string, what: string): string {
    const parsed = slugSchema.safeParse(value);
    if (!parsed.success)
      throw new InvalidArgumentError(`invalid ${what} slug "${value}": ${parsed.error.issues[0]?.message}`);
    if (RESERVED_SLUGS.has(parsed.data))
      throw new InvalidArgumentError(`"${value}" is reserved; choose another ${what} slug`);
    return parsed.data;
  }

  private validEmail(value: string): string {
    const parsed = z.email().safeParse(value.trim());
    if (!parsed.success) throw new InvalidArgumentError(`invalid email address "${value}"`);
    return parsed.data.toLowerCase();
  }

  private async validateConfig(pack: ToolPack, config: unknown): Promise<unknown> {
    const result = await pack.configSchema['~standard'].validate(config);
    if (result.issues) {
      throw new InvalidArgumentError(`invalid configuration for pack "${pack.id}"`, {
        issues: result.issues.map((i) => ({
          path: (i.path ?? []).map(String).join('.'),
          message: i.message,
        })),
      });
    }
    return result.value;
  }
}
