import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { slugSchema } from '../../common/slug.js';
import { isoDate, tenantParams, uuid } from '../http/schemas.js';
import { roleSchema } from '../tenants/tenant.schemas.js';
import { AccessRuleAdminService } from './access-rule-admin.service.js';

const subject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: uuid }).strict(),
  z.object({ type: z.literal('role'), role: roleSchema }).strict(),
  z.object({ type: z.literal('everyone') }).strict(),
]);

const ruleView = z
  .object({
    id: uuid,
    endpoint: z
      .string()
      .nullable()
      .meta({ description: 'Endpoint slug; null: every endpoint of the tenant' }),
    tool: z
      .string()
      .nullable()
      .meta({ description: 'Tool name as the endpoint exposes it; null: the endpoint itself' }),
    subject: z.discriminatedUnion('type', [
      z.object({ type: z.literal('user'), userId: uuid, email: z.string().nullable() }),
      z.object({ type: z.literal('role'), role: roleSchema }),
      z.object({ type: z.literal('everyone') }),
    ]),
    effect: z.enum(['allow', 'deny']),
    createdAt: isoDate,
  })
  .meta({ id: 'AccessRule' });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/access-rules',
    operationId: 'listAccessRules',
    tag: 'Access rules',
    summary: 'Per-endpoint and per-tool allow/deny rules on top of roles, oldest first',
    description:
      'The most specific subject decides (a user, then a role, then everyone; a rule for the endpoint before a tenant-wide one); deny wins a tie. A tool allow lifts the role ceiling for that one tool; an endpoint deny shuts the endpoint. Credentials’ scopes still narrow everything.',
    auth: 'tenant',
    permission: 'access:read',
    params: tenantParams,
    response: z.object({ items: z.array(ruleView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/access-rules',
    operationId: 'createAccessRule',
    tag: 'Access rules',
    summary: 'Add a rule (applies at once on this node, within 15 s on others)',
    auth: 'tenant',
    permission: 'access:write',
    params: tenantParams,
    body: z
      .object({
        endpoint: slugSchema.nullable().default(null),
        tool: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a tool name')
          .nullable()
          .default(null),
        subject,
        effect: z.enum(['allow', 'deny']),
      })
      .strict(),
    status: 201,
    response: ruleView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/access-rules/:ruleId',
    operationId: 'deleteAccessRule',
    tag: 'Access rules',
    summary: 'Remove a rule',
    auth: 'tenant',
    permission: 'access:write',
    params: tenantParams.extend({ ruleId: uuid }),
  }),
};

@AdminController()
export class AccessRulesController {
  constructor(private readonly rules: AccessRuleAdminService) {}

  @AdminRoute(R.list)
  async list(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.list>> {
    return { items: await this.rules.list(ctx) };
  }

  @AdminRoute(R.create)
  create(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.rules.create(ctx, i.body);
  }

  @AdminRoute(R.remove)
  remove(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.remove>): Promise<void> {
    return this.rules.remove(ctx, i.params.ruleId);
  }
}
