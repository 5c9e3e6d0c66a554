import { z } from 'zod';
import { ConnectedAppsService } from '../../oauth/connected-apps/connected-apps.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, pageOf, pageQuery, tenantParams, toPage, decodeCursor, uuid } from '../http/schemas.js';

const grantView = z
  .object({
    grantId: z.string(),
    clientId: z.string().nullable(),
    clientName: z.string().nullable(),
    clientKind: z.enum(['cimd', 'dcr']).meta({
      description: 'cimd: identified by its metadata document URL; dcr: registered itself',
    }),
    userId: uuid.nullable(),
    userEmail: z.string().nullable(),
    resources: z.array(z.object({ resource: z.string(), scopes: z.array(z.string()) })),
    createdAt: isoDate,
    expiresAt: isoDate.nullable(),
  })
  .meta({ id: 'ConnectedApp' });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/grants',
    operationId: 'listGrants',
    tag: 'Connected apps',
    summary: 'Every OAuth client a member authorized (Claude and others), newest first',
    auth: 'tenant',
    permission: 'grant:manage',
    params: tenantParams,
    query: pageQuery.extend({ userId: uuid.optional(), clientId: z.string().min(1).max(2048).optional() }),
    response: pageOf(grantView),
  }),
  revoke: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/grants/:grantId',
    operationId: 'revokeGrant',
    tag: 'Connected apps',
    summary: 'Revoke an authorization: its refresh tokens die and its access tokens are refused',
    auth: 'tenant',
    permission: 'grant:manage',
    params: tenantParams.extend({ grantId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }),
  }),
};

/** Connected apps of the whole tenant, for its admins (members see their own at /me/connected-apps). */
@AdminController()
export class GrantsController {
  constructor(private readonly apps: ConnectedAppsService) {}

  @AdminRoute(R.list)
  async list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    const all = await this.apps.list(ctx.principal, { tenantId: ctx.tenant.id }, true);
    const q = i.query;
    const cursor = decodeCursor(q.cursor, 2);
    // Newest first, ties broken by grant id; a tenant's live grants are few (the store caps a read at 1000).
    const sorted = all
      .filter(
        (g) =>
          (q.userId === undefined || g.userId === q.userId) &&
          (q.clientId === undefined || g.clientId === q.clientId),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.grantId.localeCompare(a.grantId))
      .filter(
        (g) =>
          !cursor ||
          g.createdAt < String(cursor[0]) ||
          (g.createdAt === String(cursor[0]) && g.grantId < String(cursor[1])),
      );
    return toPage(sorted, q.limit, (g) => [g.createdAt, g.grantId]);
  }

  @AdminRoute(R.revoke)
  revoke(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.revoke>): Promise<void> {
    return this.apps.revoke(ctx.principal, { tenantId: ctx.tenant.id }, i.params.grantId, true);
  }
}
