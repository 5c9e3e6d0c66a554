import { z } from 'zod';
import { PLAN_NAMES } from '../../ratelimit/rate-limit-plans.js';
import { policyInputSchema, RateLimitPolicyService } from '../../ratelimit/rate-limit-policy.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, tenantParams } from '../http/schemas.js';

const rule = z.object({ points: z.number().int(), windowSeconds: z.number().int() }).nullable();
const policyView = z
  .object({
    tenant: z.string(),
    plan: z.enum(PLAN_NAMES),
    source: z
      .enum(['tenant', 'default'])
      .meta({ description: 'default: the platform’s default plan applies' }),
    overrides: z.record(z.string(), z.unknown()),
    limits: z
      .object({ tenant: rule, principal: rule, tool: rule, tools: z.record(z.string(), rule) })
      .meta({ description: 'What is enforced: the plan with the overrides applied (null = unlimited)' }),
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'RateLimitPolicy' });

const R = {
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/rate-limit-policy',
    operationId: 'getRateLimitPolicy',
    tag: 'Settings',
    summary: 'The tenant’s rate-limit plan, overrides and the limits they add up to',
    auth: 'tenant',
    permission: 'ratelimit:read',
    params: tenantParams,
    response: policyView,
  }),
  put: defineRoute({
    method: 'PUT',
    path: '/tenants/:tenant/rate-limit-policy',
    operationId: 'replaceRateLimitPolicy',
    tag: 'Settings',
    summary: 'Replace the policy (plan required; omitted overrides are cleared); applies at once',
    auth: 'tenant',
    permission: 'ratelimit:write',
    params: tenantParams,
    body: policyInputSchema,
    response: policyView,
  }),
};

@AdminController()
export class RateLimitController {
  constructor(private readonly policies: RateLimitPolicyService) {}

  @AdminRoute(R.get)
  get(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.get>> {
    return this.policies.show(ctx.tenant.slug);
  }

  @AdminRoute(R.put)
  put(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.put>,
  ): Promise<AdminOutputOf<typeof R.put>> {
    return this.policies.set(ctx.tenant.slug, i.body, ctx.actor, 'replace');
  }
}
