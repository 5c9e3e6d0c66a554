import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { tenantParams } from '../http/schemas.js';
import { myTenantView } from './tenant.schemas.js';
import { TenantAdminService } from './tenant-admin.service.js';

const R = {
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant',
    operationId: 'getTenant',
    tag: 'Tenants',
    summary: 'The tenant, its MCP URL and the caller’s role',
    auth: 'tenant',
    permission: 'tenant:read',
    params: tenantParams,
    response: myTenantView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/tenants/:tenant',
    operationId: 'updateTenant',
    tag: 'Tenants',
    summary: 'Rename the tenant',
    auth: 'tenant',
    permission: 'tenant:update',
    params: tenantParams,
    body: z.object({ name: z.string().trim().min(1).max(200).optional() }).strict(),
    response: myTenantView,
  }),
};

@AdminController()
export class TenantsController {
  constructor(private readonly tenants: TenantAdminService) {}

  @AdminRoute(R.get)
  get(@InTenant() ctx: TenantContext): AdminOutputOf<typeof R.get> {
    return this.tenants.get(ctx);
  }

  @AdminRoute(R.update)
  update(
    @InTenant() ctx: TenantContext,
    @AdminInput() input: AdminInputOf<typeof R.update>,
  ): Promise<AdminOutputOf<typeof R.update>> {
    return this.tenants.update(ctx, input.body);
  }
}
