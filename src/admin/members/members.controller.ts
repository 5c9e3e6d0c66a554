import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, pageOf, pageQuery, tenantParams, uuid } from '../http/schemas.js';
import { roleSchema } from '../tenants/tenant.schemas.js';
import { MemberAdminService } from './member-admin.service.js';

const memberView = z
  .object({
    userId: uuid,
    email: z.string(),
    name: z.string().nullable(),
    role: roleSchema,
    canSignInWithPassword: z.boolean(),
    lastSignInAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Member' });

const memberParams = tenantParams.extend({ userId: uuid });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/members',
    operationId: 'listMembers',
    tag: 'Members',
    summary: 'Members and their roles',
    auth: 'tenant',
    permission: 'member:read',
    params: tenantParams,
    query: pageQuery.extend({ role: roleSchema.optional(), q: z.string().min(1).max(100).optional() }),
    response: pageOf(memberView),
  }),
  add: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/members',
    operationId: 'addMember',
    tag: 'Members',
    summary: 'Invite a person by email with a role (owners only may add owners)',
    description:
      'The account is created on first use. They sign in through the tenant’s identity provider, or with a password an operator sets.',
    auth: 'tenant',
    permission: 'member:write',
    params: tenantParams,
    body: z.object({ email: z.email().max(320), role: roleSchema }).strict(),
    status: 201,
    response: memberView,
    errors: [409],
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/tenants/:tenant/members/:userId',
    operationId: 'changeMemberRole',
    tag: 'Members',
    summary: 'Change a member’s role (never leaves the tenant without an owner)',
    auth: 'tenant',
    permission: 'member:write',
    params: memberParams,
    body: z.object({ role: roleSchema }).strict(),
    response: memberView,
    errors: [412],
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/members/:userId',
    operationId: 'removeMember',
    tag: 'Members',
    summary: 'Remove a member: their API keys and app authorizations stop working at once',
    auth: 'tenant',
    permission: 'member:write',
    params: memberParams,
    errors: [412],
  }),
};

@AdminController()
export class MembersController {
  constructor(private readonly members: MemberAdminService) {}

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.members.list(ctx, i.query);
  }

  @AdminRoute(R.add)
  add(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.add>,
  ): Promise<AdminOutputOf<typeof R.add>> {
    return this.members.add(ctx, i.body.email, i.body.role);
  }

  @AdminRoute(R.update)
  update(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.update>,
  ): Promise<AdminOutputOf<typeof R.update>> {
    return this.members.changeRole(ctx, i.params.userId, i.body.role);
  }

  @AdminRoute(R.remove)
  remove(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.remove>): Promise<void> {
    return this.members.remove(ctx, i.params.userId);
  }
}
