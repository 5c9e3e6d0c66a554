import { Injectable } from '@nestjs/common';
import { PackRegistry } from '@switchboard/integration-kit';
import type { AuditEventView } from '../../audit/audit-export.js';
import { AuditService } from '../../audit/audit.service.js';
import { InvalidArgumentError } from '../../common/domain-error.js';
import { ConnectionRepository } from '../../tenancy/connection.repository.js';
import { EndpointRepository } from '../../tenancy/endpoint.repository.js';
import { VaultService } from '../../vault/vault.service.js';
import { EndpointAdminService } from '../endpoints/endpoint-admin.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { TenantAdminService } from '../tenants/tenant-admin.service.js';
import { UsageRepository, type EndpointRow, type TotalsRow, type UsageWindow } from './usage.repository.js';

export const BUCKETS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '6h': 21_600, '1d': 86_400 } as const;
export type BucketName = keyof typeof BUCKETS;
const MAX_BUCKETS = 1000;
const DAY_MS = 86_400_000;
/** An endpoint whose calls fail at least this often in the last day is "degraded". */
const DEGRADED_ERROR_RATE = 0.05;

function figures<T extends TotalsRow>(r: T) {
  return { ...r, lastCallAt: r.lastCallAt?.toISOString() ?? null };
}

/** Usage charts and the tenant's home page, computed from its audit log in SQL. */
@Injectable()
export class UsageService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly audit: AuditService,
    private readonly tenants: TenantAdminService,
    private readonly endpointsAdmin: EndpointAdminService,
    private readonly endpoints: EndpointRepository,
    private readonly connections: ConnectionRepository,
    private readonly vault: VaultService,
    private readonly packs: PackRegistry,
  ) {}

  async charts(
    ctx: TenantContext,
    q: {
      readonly from?: Date;
      readonly to?: Date;
      readonly bucket: BucketName;
      readonly endpoint?: string;
      readonly top: number;
    },
  ) {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DAY_MS);
    const seconds = BUCKETS[q.bucket];
    if (from >= to) throw new InvalidArgumentError('"from" must be before "to"');
    // Buckets are aligned on `from`, rounded down to the bucket size, so charts do not wobble.
    const start = new Date(Math.floor(from.getTime() / (seconds * 1000)) * seconds * 1000);
    if ((to.getTime() - start.getTime()) / 1000 / seconds > MAX_BUCKETS) {
      throw new InvalidArgumentError(`at most ${MAX_BUCKETS} buckets: widen the bucket or narrow the window`);
    }
    const scope = { tenantId: ctx.tenant.id };
    const w: UsageWindow = { from: start, to, endpoint: q.endpoint };
    const [series, tools, endpoints, totals] = await Promise.all([
      this.usage.series(scope, w, seconds),
      this.usage.topTools(scope, w, q.top),
      this.usage.perEndpoint(scope, w),
      this.usage.totals(scope, w),
    ]);
    return {
      from: start.toISOString(),
      to: to.toISOString(),
      bucket: q.bucket,
      endpoint: q.endpoint ?? null,
      totals: figures(totals),
      series: series.map((s) => ({ ...s, bucket: s.bucket.toISOString() })),
      topTools: tools,
      endpoints: endpoints.map(figures),
    };
  }

  /** What the dashboard's first page shows: MCP URLs, each endpoint's health, the last calls. */
  async home(ctx: TenantContext) {
    const scope = { tenantId: ctx.tenant.id };
    const now = new Date();
    const [endpointRows, activity, connections, secrets, last] = await Promise.all([
      this.endpoints.page(scope, { take: 100 }),
      this.usage.perEndpoint(scope, { from: new Date(now.getTime() - DAY_MS), to: now }),
      this.connections.list(scope),
      this.vault.listSecrets(scope),
      this.audit.list(ctx.tenant.slug, { kinds: ['tool_call', 'denial'] }, { limit: 10 }),
    ]);
    const problemsOf = (connectionId: string): string[] => {
      const c = connections.find((x) => x.id === connectionId);
      if (!c) return [];
      const pack = this.packs.get(c.packId);
      if (!pack) return [`${c.name}: its integration "${c.packId}" is not installed on this server`];
      if (!c.enabled) return [`${c.name} is disabled`];
      const set = new Set(secrets.filter((s) => s.connectionId === c.id).map((s) => s.name));
      return pack.secrets
        .filter((s) => s.required && !set.has(s.name))
        .map((s) => `${c.name}: secret ${s.name} is not set`);
    };
    return {
      tenant: { ...this.tenants.view(ctx.tenant), role: ctx.principal.role },
      endpoints: endpointRows.map((e) => {
        const a: EndpointRow | undefined = activity.find((r) => r.endpoint === e.slug);
        const problems = e.connections.flatMap((c) => problemsOf(c.connectionId));
        const calls = a?.calls ?? 0;
        const errorRate = calls > 0 ? (a?.errors ?? 0) / calls : 0;
        return {
          slug: e.slug,
          name: e.name,
          isDefault: e.isDefault,
          mcpUrl: this.endpointsAdmin.mcpUrl(ctx, e),
          health: {
            status:
              problems.length > 0
                ? ('needs_attention' as const)
                : calls === 0
                  ? ('idle' as const)
                  : errorRate >= DEGRADED_ERROR_RATE
                    ? ('degraded' as const)
                    : ('ok' as const),
            problems,
            calls24h: calls,
            errors24h: a?.errors ?? 0,
            rateLimited24h: a?.rateLimited ?? 0,
            p95LatencyMs: a?.p95LatencyMs ?? null,
            lastCallAt: a?.lastCallAt?.toISOString() ?? null,
          },
        };
      }),
      lastCalls: last.events.map((e: AuditEventView) => ({
        seq: e.seq,
        at: e.at,
        tool: e.target,
        outcome: e.outcome,
        endpoint: endpointOf(e),
        actor: e.actor,
        latencyMs: typeof e.data.latencyMs === 'number' ? e.data.latencyMs : null,
      })),
    };
  }
}

function endpointOf(e: AuditEventView): string | null {
  const v = e.data.endpoint;
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { slug?: unknown }).slug === 'string') {
    return (v as { slug: string }).slug;
  }
  return null;
}
