import { z } from 'zod';
import { AdminInput, InSession } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { pageOf, pageQuery, slug, tenantParams } from '../http/schemas.js';
import type { AdminSession } from '../session/admin-session.service.js';
import { tenantView } from './tenant.schemas.js';
import { TenantAdminService } from './tenant-admin.service.js';

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/platform/tenants',
    operationId: 'listAllTenants',
    tag: 'Platform',
    summary: 'Every tenant (platform operators)',
    auth: 'platform',
    permission: 'platform:tenants:read',
    query: pageQuery.extend({
      status: z.enum(['active', 'suspended']).optional(),
      q: z.string().min(1).max(100).optional().meta({ description: 'Part of a slug or name' }),
    }),
    response: pageOf(tenantView),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/platform/tenants',
    operationId: 'createTenant',
    tag: 'Platform',
    summary: 'Create a tenant with its default endpoint and owner (platform operators)',
    auth: 'platform',
    permission: 'platform:tenants:write',
    body: z
      .object({
        slug,
        name: z.string().trim().min(1).max(200).optional(),
        ownerEmail: z.email().meta({ description: 'Becomes the owner (created on first use)' }),
      })
      .strict(),
    status: 201,
    response: tenantView,
    errors: [409],
  }),
  suspend: defineRoute({
    method: 'POST',
    path: '/platform/tenants/:tenant/suspend',
    operationId: 'suspendTenant',
    tag: 'Platform',
    summary: 'Suspend a tenant: its MCP URLs refuse every request until it is reactivated',
    auth: 'platform',
    permission: 'platform:tenants:write',
    params: tenantParams,
    response: tenantView,
  }),
  reactivate: defineRoute({
    method: 'POST',
    path: '/platform/tenants/:tenant/reactivate',
    operationId: 'reactivateTenant',
    tag: 'Platform',
    summary: 'Reactivate a suspended tenant',
    auth: 'platform',
    permission: 'platform:tenants:write',
    params: tenantParams,
    response: tenantView,
  }),
};

function actor(session: AdminSession) {
  return { type: 'user' as const, id: session.user.id };
}

@AdminController()
export class PlatformController {
  constructor(private readonly tenants: TenantAdminService) {}

  @AdminRoute(R.list)
  list(@AdminInput() input: AdminInputOf<typeof R.list>): Promise<AdminOutputOf<typeof R.list>> {
    return this.tenants.list(input.query);
  }

  @AdminRoute(R.create)
  create(
    @InSession() session: AdminSession,
    @AdminInput() input: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.tenants.create(input.body, actor(session));
  }

  @AdminRoute(R.suspend)
  suspend(
    @InSession() session: AdminSession,
    @AdminInput() input: AdminInputOf<typeof R.suspend>,
  ): Promise<AdminOutputOf<typeof R.suspend>> {
    return this.tenants.setStatus(input.params.tenant, 'suspended', actor(session));
  }

  @AdminRoute(R.reactivate)
  reactivate(
    @InSession() session: AdminSession,
    @AdminInput() input: AdminInputOf<typeof R.reactivate>,
  ): Promise<AdminOutputOf<typeof R.reactivate>> {
    return this.tenants.setStatus(input.params.tenant, 'active', actor(session));
  }
}
