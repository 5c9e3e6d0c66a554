import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../../common/tenant-scope.js';
import { PrismaService } from '../../database/prisma.service.js';
import { Prisma } from '../../generated/prisma/client.js';

export interface UsageWindow {
  readonly from: Date;
  readonly to: Date;
  /** Only calls on this endpoint (slug); all endpoints when undefined. */
  readonly endpoint?: string;
}

export interface SeriesRow {
  readonly bucket: Date;
  readonly calls: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly denied: number;
  readonly p95LatencyMs: number | null;
}

export interface ToolRow {
  readonly tool: string;
  readonly calls: number;
  readonly errors: number;
  readonly p95LatencyMs: number | null;
}

export interface EndpointRow {
  readonly endpoint: string;
  readonly calls: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly denied: number;
  readonly p95LatencyMs: number | null;
  readonly lastCallAt: Date | null;
}

export type TotalsRow = Omit<EndpointRow, 'endpoint'>;

/*
 * Usage is read from the audit log's tool-call events (kind tool_call, action tool.call: one per call that
 * reached the tool chain, with data.latencyMs and data.endpoint.slug) and denials (kind denial: calls
 * refused by RBAC, action tool.call, and rate-limit refusals, actions ratelimit.*, recorded once per
 * caller and window, whose data.endpoint is the slug itself). Each chart is one aggregate query over
 * the (tenantId, at) index; nothing is summed row by row in JavaScript.
 */
const ENDPOINT_SLUG = Prisma.sql`COALESCE("data"->'endpoint'->>'slug', "data"->>'endpoint')`;
const LATENCY = Prisma.sql`("data"->>'latencyMs')::float8`;
const IS_CALL = Prisma.sql`("kind" = 'tool_call' AND "action" = 'tool.call')`;
const IS_RATE_LIMITED = Prisma.sql`("kind" = 'denial' AND "action" LIKE 'ratelimit.%')`;
const IS_DENIED = Prisma.sql`("kind" = 'denial' AND "action" = 'tool.call')`;

@Injectable()
export class UsageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Calls, errors, refusals and p95 latency per time bucket, every bucket present (zeros included). */
  series(scope: TenantScope, w: UsageWindow, bucketSeconds: number): Promise<SeriesRow[]> {
    const stride = Prisma.sql`(${bucketSeconds}::int * interval '1 second')`;
    return this.prisma.$queryRaw<SeriesRow[]>`
      WITH buckets AS (
        SELECT generate_series(${w.from}::timestamptz, ${w.to}::timestamptz - interval '1 millisecond', ${stride}) AS b
      ), ev AS (
        SELECT date_bin(${stride}, "at", ${w.from}::timestamptz) AS b, "kind", "action", "outcome", ${LATENCY} AS latency
        FROM "AuditEvent"
        WHERE ${this.where(scope, w)}
      )
      SELECT buckets.b AS "bucket",
        count(ev.b) FILTER (WHERE ev."kind" = 'tool_call')::int AS "calls",
        count(ev.b) FILTER (WHERE ev."kind" = 'tool_call' AND ev."outcome" <> 'success')::int AS "errors",
        count(ev.b) FILTER (WHERE ev."kind" = 'denial' AND ev."action" LIKE 'ratelimit.%')::int AS "rateLimited",
        count(ev.b) FILTER (WHERE ev."kind" = 'denial' AND ev."action" = 'tool.call')::int AS "denied",
        percentile_cont(0.95) WITHIN GROUP (ORDER BY ev.latency) FILTER (WHERE ev."kind" = 'tool_call') AS "p95LatencyMs"
      FROM buckets LEFT JOIN ev ON ev.b = buckets.b
      GROUP BY buckets.b
      ORDER BY buckets.b`;
  }

  /** The most called tools with their errors and p95 latency. */
  topTools(scope: TenantScope, w: UsageWindow, limit: number): Promise<ToolRow[]> {
    return this.prisma.$queryRaw<ToolRow[]>`
      SELECT "target" AS "tool",
        count(*)::int AS "calls",
        count(*) FILTER (WHERE "outcome" <> 'success')::int AS "errors",
        percentile_cont(0.95) WITHIN GROUP (ORDER BY ${LATENCY}) AS "p95LatencyMs"
      FROM "AuditEvent"
      WHERE ${this.where(scope, w)} AND ${IS_CALL}
      GROUP BY "target"
      ORDER BY "calls" DESC, "target" ASC
      LIMIT ${limit}`;
  }

  /** The same figures per endpoint, with each endpoint's last call. */
  perEndpoint(scope: TenantScope, w: UsageWindow): Promise<EndpointRow[]> {
    return this.prisma.$queryRaw<EndpointRow[]>`
      SELECT ${ENDPOINT_SLUG} AS "endpoint", ${this.figures()}
      FROM "AuditEvent"
      WHERE ${this.where(scope, w)}
      GROUP BY 1
      ORDER BY "calls" DESC, 1 ASC`;
  }

  async totals(scope: TenantScope, w: UsageWindow): Promise<TotalsRow> {
    const [row] = await this.prisma.$queryRaw<TotalsRow[]>`
      SELECT ${this.figures()} FROM "AuditEvent" WHERE ${this.where(scope, w)}`;
    return row ?? { calls: 0, errors: 0, rateLimited: 0, denied: 0, p95LatencyMs: null, lastCallAt: null };
  }

  private figures(): Prisma.Sql {
    return Prisma.sql`
      count(*) FILTER (WHERE ${IS_CALL})::int AS "calls",
      count(*) FILTER (WHERE ${IS_CALL} AND "outcome" <> 'success')::int AS "errors",
      count(*) FILTER (WHERE ${IS_RATE_LIMITED})::int AS "rateLimited",
      count(*) FILTER (WHERE ${IS_DENIED})::int AS "denied",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY ${LATENCY}) FILTER (WHERE ${IS_CALL}) AS "p95LatencyMs",
      max("at") FILTER (WHERE ${IS_CALL} OR ${IS_DENIED}) AS "lastCallAt"`;
  }

  private where(scope: TenantScope, w: UsageWindow): Prisma.Sql {
    return Prisma.sql`"tenantId" = ${scope.tenantId}::uuid
      AND "at" >= ${w.from}::timestamptz AND "at" < ${w.to}::timestamptz
      AND (${IS_CALL} OR ${IS_RATE_LIMITED} OR ${IS_DENIED})
      ${w.endpoint === undefined ? Prisma.empty : Prisma.sql`AND ${ENDPOINT_SLUG} = ${w.endpoint}`}`;
  }
}
