import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { ConflictError, DomainError, NotFoundError } from '../../common/domain-error.js';
import type { Membership, Role, User } from '../../generated/prisma/client.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, toPage, type Page } from '../http/schemas.js';

export interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly canSignInWithPassword: boolean;
  readonly lastSignInAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function view(m: Membership & { user: User }): MemberView {
  return {
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.role,
    canSignInWithPassword: m.user.passwordHash !== null && !m.user.disabled,
    lastSignInAt: m.user.lastSignInAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

const LAST_OWNER = 'a tenant must keep at least one owner: make someone else an owner first';

/**
 * Members and roles. Admins manage members; only owners make or unmake owners; the last owner can be
 * neither demoted nor removed (checked under a lock on the tenant's owner rows).
 */
@Injectable()
export class MemberAdminService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly rbac: RbacService,
    private readonly audit: AuditRecorder,
  ) {}

  async list(
    ctx: TenantContext,
    query: { readonly limit: number; readonly cursor?: string; readonly role?: Role; readonly q?: string },
  ): Promise<Page<MemberView>> {
    const after = decodeCursor(query.cursor, 1)?.[0];
    const rows = await this.memberships.page(
      { tenantId: ctx.tenant.id },
      {
        take: query.limit + 1,
        after: after === undefined ? undefined : String(after),
        role: query.role,
        q: query.q,
      },
    );
    const page = toPage(rows, query.limit, (m) => [m.user.email]);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  /** Adds a user (created on first use) by email. An existing member is a conflict, not a role change. */
  async add(ctx: TenantContext, email: string, role: Role): Promise<MemberView> {
    if (role === 'owner') this.rbac.require(ctx.principal, 'owner:write', { tenantId: ctx.tenant.id });
    const existing = await this.users.findByEmail(email);
    if (existing && (await this.memberships.find({ tenantId: ctx.tenant.id }, existing.id))) {
      throw new ConflictError(`${email} is already a member; change their role instead`);
    }
    const { user } = await this.tenancy.addMember(ctx.tenant.slug, email, role, ctx.actor);
    return this.get(ctx, user.id);
  }

  async changeRole(ctx: TenantContext, userId: string, role: Role): Promise<MemberView> {
    const current = await this.find(ctx, userId);
    if (current.role === 'owner' || role === 'owner') {
      this.rbac.require(ctx.principal, 'owner:write', { tenantId: ctx.tenant.id });
    }
    const result = await this.tenancy.changeMembership({ tenantId: ctx.tenant.id }, userId, role);
    if (result === 'not_found') throw new NotFoundError(`member "${userId}"`);
    if (result === 'last_owner')
      throw new DomainError('failed_precondition', LAST_OWNER, { reason: 'last_owner' });
    await this.record(ctx, 'member.update', current, {
      before: { role: result.before.role },
      after: { role },
    });
    return this.get(ctx, userId);
  }

  async remove(ctx: TenantContext, userId: string): Promise<void> {
    const current = await this.find(ctx, userId);
    if (current.role === 'owner')
      this.rbac.require(ctx.principal, 'owner:write', { tenantId: ctx.tenant.id });
    const result = await this.tenancy.changeMembership({ tenantId: ctx.tenant.id }, userId, null);
    if (result === 'not_found') throw new NotFoundError(`member "${userId}"`);
    if (result === 'last_owner')
      throw new DomainError('failed_precondition', LAST_OWNER, { reason: 'last_owner' });
    await this.record(ctx, 'member.remove', current, { before: { role: result.before.role }, after: null });
  }

  async get(ctx: TenantContext, userId: string): Promise<MemberView> {
    return view(await this.find(ctx, userId));
  }

  private async find(ctx: TenantContext, userId: string): Promise<Membership & { user: User }> {
    const [membership, user] = await Promise.all([
      this.memberships.find({ tenantId: ctx.tenant.id }, userId),
      this.users.findById(userId),
    ]);
    if (!membership || !user) throw new NotFoundError(`member "${userId}"`);
    return { ...membership, user };
  }

  private record(
    ctx: TenantContext,
    action: string,
    member: Membership & { user: User },
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action,
      actor: ctx.actor,
      target: member.user.email,
      outcome: 'success',
      data: { userId: member.userId, ...data },
    });
  }
}
