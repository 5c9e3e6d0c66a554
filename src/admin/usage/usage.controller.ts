import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, slug, tenantParams } from '../http/schemas.js';
import { myTenantView } from '../tenants/tenant.schemas.js';
import { BUCKETS, UsageService, type BucketName } from './usage.service.js';

const when = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .meta({ format: 'date-time' });
const p95 = z.number().nullable().meta({ description: '95th percentile of tool-call latency, ms' });
const counts = {
  calls: z.number().int().meta({ description: 'Tool calls that reached the tool' }),
  errors: z.number().int().meta({ description: 'Calls that failed (tool error or exception)' }),
  rateLimited: z
    .number()
    .int()
    .meta({ description: 'Rate-limit refusals (recorded once per caller and window)' }),
  denied: z.number().int().meta({ description: 'Calls refused by access rules' }),
  p95LatencyMs: p95,
};
const figures = z.object({ ...counts, lastCallAt: isoDate.nullable() });

const R = {
  usage: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/usage',
    operationId: 'getUsage',
    tag: 'Usage',
    summary: 'Charts: calls over time, p95 latency, errors, rate-limited calls, top tools, per endpoint',
    description: 'Computed from the audit log. Default window: the last 24 hours in 1-hour buckets.',
    auth: 'tenant',
    permission: 'usage:read',
    params: tenantParams,
    query: z
      .object({
        from: when.optional(),
        to: when.optional(),
        bucket: z.enum(Object.keys(BUCKETS) as [BucketName, ...BucketName[]]).default('1h'),
        endpoint: slug.optional(),
        top: z.coerce.number().int().min(1).max(50).default(10),
      })
      .strict(),
    response: z
      .object({
        from: isoDate,
        to: isoDate,
        bucket: z.string(),
        endpoint: z.string().nullable(),
        totals: figures,
        series: z.array(z.object({ bucket: isoDate, ...counts })),
        topTools: z.array(
          z.object({
            tool: z.string(),
            calls: z.number().int(),
            errors: z.number().int(),
            p95LatencyMs: p95,
          }),
        ),
        endpoints: z.array(figures.extend({ endpoint: z.string().nullable() })),
      })
      .meta({ id: 'Usage' }),
  }),
  home: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/home',
    operationId: 'getHome',
    tag: 'Usage',
    summary: 'The tenant’s home: MCP URLs, endpoint health over the last day, the last calls',
    auth: 'tenant',
    permission: 'tenant:read',
    params: tenantParams,
    response: z
      .object({
        tenant: myTenantView,
        endpoints: z.array(
          z.object({
            slug,
            name: z.string(),
            isDefault: z.boolean(),
            mcpUrl: z.string(),
            health: z.object({
              status: z.enum(['ok', 'idle', 'degraded', 'needs_attention']),
              problems: z.array(z.string()),
              calls24h: z.number().int(),
              errors24h: z.number().int(),
              rateLimited24h: z.number().int(),
              p95LatencyMs: p95,
              lastCallAt: isoDate.nullable(),
            }),
          }),
        ),
        lastCalls: z.array(
          z.object({
            seq: z.string(),
            at: isoDate,
            tool: z.string().nullable(),
            outcome: z.string(),
            endpoint: z.string().nullable(),
            actor: z.object({ type: z.string(), id: z.string().nullable() }),
            latencyMs: z.number().nullable(),
          }),
        ),
      })
      .meta({ id: 'Home' }),
  }),
};

@AdminController()
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @AdminRoute(R.usage)
  charts(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.usage>,
  ): Promise<AdminOutputOf<typeof R.usage>> {
    return this.usage.charts(ctx, i.query);
  }

  @AdminRoute(R.home)
  home(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.home>> {
    return this.usage.home(ctx);
  }
}
