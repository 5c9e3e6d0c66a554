import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/tenant-scope.js';
import { PrismaService } from '../database/prisma.service.js';
import type {
  AuditCheckpoint,
  AuditEvent,
  AuditSettings,
  AuditSigningKey,
  Prisma,
} from '../generated/prisma/client.js';
import { GENESIS_HASH } from './audit-chain.js';
import type { AuditKind } from './audit.contract.js';

export type AuditEventRow = AuditEvent;
export type AuditCheckpointRow = AuditCheckpoint;

/** A chained event ready to insert (the repository only stores what the chain built). */
export interface ChainedEventRow {
  readonly seq: bigint;
  readonly prevHash: string;
  readonly hash: string;
  readonly at: Date;
  readonly kind: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: string;
  readonly data: Prisma.InputJsonObject;
}

export interface ChainHead {
  readonly seq: bigint;
  readonly hash: string;
}

export interface AuditFilter {
  readonly kinds?: readonly AuditKind[];
  /** Exact action, or a prefix when it ends with `*` (`signin.*`). */
  readonly action?: string;
  readonly actorType?: string;
  readonly actorId?: string;
  readonly outcome?: string;
  /** Inclusive lower and exclusive upper bound on `at`. */
  readonly from?: Date;
  readonly to?: Date;
  /** Tool calls and denials of this tool. */
  readonly tool?: string;
}

/** A pruning step's result, or null when another process holds this tenant's retention lock. */
export interface PruneResult {
  readonly checkpoint: AuditCheckpointRow | null;
  readonly pruned: number;
}

export interface CheckpointDraft {
  readonly seq: bigint;
  readonly hash: string;
  readonly lastAt: Date;
  readonly prunedCount: number;
}

const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;
const GENESIS_HEAD: ChainHead = { seq: 0n, hash: GENESIS_HASH };
/** Each failed attempt means another writer appended: a bounded number of them is ample. */
const MAX_CAS_ATTEMPTS = 100;
/** First half of the two-int advisory lock key used by retention (the second is the tenant's hash). */
const RETENTION_LOCK_CLASS = 0x41_55_44_54; // "AUDT"

/**
 * Audit storage. Appends go through `appendChained`, which serialises writers of one tenant on the chain
 * head row (`INSERT … ON CONFLICT DO UPDATE … RETURNING` takes its row lock), so processes sharing the
 * database extend one chain and never fork it; `(tenantId, seq)` being unique is the backstop.
 */
@Injectable()
export class AuditRepository {
  /** The head this process last wrote, per tenant (an optimistic guess; the append checks it). */
  private readonly heads = new Map<string, ChainHead>();

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends events to a tenant's chain in ONE statement (one round trip, atomic on its own): a
   * compare-and-set on the chain head — it moves only if it still holds the head `build` chained onto —
   * and the events' insert, which runs only when the head moved. When another writer (another node) moved
   * the head first, nothing is written and the head is re-read and `build` runs again. Concurrent writers
   * serialise on the head row's lock, so the chain never forks; `(tenantId, seq)` being unique is the
   * backstop. The last head this process wrote is remembered, so the common case reads nothing first.
   * Returns the new head. `build` must be pure: it may run again.
   */
  async appendChained(scope: TenantScope, build: (head: ChainHead) => ChainedEventRow[]): Promise<ChainHead> {
    for (let attempt = 1; ; attempt++) {
      const head = this.heads.get(scope.tenantId) ?? (await this.findHead(scope)) ?? GENESIS_HEAD;
      const rows = build(head);
      const last = rows.at(-1);
      if (!last) return head;
      const events = JSON.stringify(
        rows.map((r) => ({ ...r, seq: r.seq.toString(), at: r.at.toISOString() })),
      );
      const inserted = await this.prisma.$executeRaw`
        WITH moved AS (
          INSERT INTO "AuditChainHead" ("tenantId", "seq", "hash", "updatedAt")
          VALUES (${scope.tenantId}::uuid, ${last.seq.toString()}::bigint, ${last.hash}, now())
          ON CONFLICT ("tenantId") DO UPDATE
            SET "seq" = EXCLUDED."seq", "hash" = EXCLUDED."hash", "updatedAt" = EXCLUDED."updatedAt"
            WHERE "AuditChainHead"."seq" = ${head.seq.toString()}::bigint
              AND "AuditChainHead"."hash" = ${head.hash}
          RETURNING 1
        )
        INSERT INTO "AuditEvent"
          ("id", "tenantId", "seq", "prevHash", "hash", "at", "kind", "actorType", "actorId", "action",
           "target", "outcome", "data")
        SELECT gen_random_uuid(), ${scope.tenantId}::uuid, e."seq", e."prevHash", e."hash", e."at", e."kind",
               e."actorType", e."actorId", e."action", e."target", e."outcome", e."data"
        FROM jsonb_to_recordset(${events}::jsonb) AS e(
          "seq" bigint, "prevHash" text, "hash" text, "at" timestamptz, "kind" text, "actorType" text,
          "actorId" text, "action" text, "target" text, "outcome" text, "data" jsonb)
        WHERE EXISTS (SELECT 1 FROM moved)`;
      if (inserted === rows.length) {
        const next = { seq: last.seq, hash: last.hash };
        if (this.heads.size >= 100_000) this.heads.clear();
        this.heads.set(scope.tenantId, next);
        return next;
      }
      // Another writer moved the head: forget what we remembered and chain onto the real one.
      this.heads.delete(scope.tenantId);
      if (attempt >= MAX_CAS_ATTEMPTS) throw new Error('audit chain head kept moving; giving up this batch');
    }
  }

  findHead(scope: TenantScope): Promise<ChainHead | null> {
    return this.prisma.auditChainHead.findUnique({
      where: { tenantId: scope.tenantId },
      select: { seq: true, hash: true },
    });
  }

  /** Newest first, `take` events with seq below `beforeSeq`. */
  list(
    scope: TenantScope,
    filter: AuditFilter,
    page: { readonly beforeSeq?: bigint; readonly take: number },
  ): Promise<AuditEventRow[]> {
    const where = this.where(scope, filter);
    if (page.beforeSeq !== undefined) where.seq = { lt: page.beforeSeq };
    return this.prisma.auditEvent.findMany({ where, orderBy: { seq: 'desc' }, take: page.take });
  }

  /** Oldest first, `take` events with seq above `afterSeq` (a live tail). */
  listAfter(
    scope: TenantScope,
    filter: AuditFilter,
    afterSeq: bigint,
    take: number,
  ): Promise<AuditEventRow[]> {
    const where = this.where(scope, filter);
    where.seq = { gt: afterSeq };
    return this.prisma.auditEvent.findMany({ where, orderBy: { seq: 'asc' }, take });
  }

  /** Oldest first, read `batch` rows at a time by seq: the whole log is never held in memory. */
  async *stream(scope: TenantScope, filter: AuditFilter = {}, batch = 500): AsyncGenerator<AuditEventRow> {
    let after: bigint | null = null;
    for (;;) {
      const where = this.where(scope, filter);
      if (after !== null) where.seq = { gt: after };
      const rows = await this.prisma.auditEvent.findMany({ where, orderBy: { seq: 'asc' }, take: batch });
      yield* rows;
      if (rows.length < batch) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  latestCheckpoint(scope: TenantScope): Promise<AuditCheckpointRow | null> {
    return this.prisma.auditCheckpoint.findFirst({
      where: { tenantId: scope.tenantId },
      orderBy: { seq: 'desc' },
    });
  }

  findSettings(scope: TenantScope): Promise<AuditSettings | null> {
    return this.prisma.auditSettings.findUnique({ where: { tenantId: scope.tenantId } });
  }

  upsertSettings(
    scope: TenantScope,
    data: { readonly recordRawArguments?: boolean; readonly retentionDays?: number | null },
  ): Promise<AuditSettings> {
    const now = new Date();
    return this.prisma.auditSettings.upsert({
      where: { tenantId: scope.tenantId },
      create: { tenantId: scope.tenantId, ...data, updatedAt: now },
      update: { ...data, updatedAt: now },
    });
  }

  /** Tenants that have audit events, with their retention override (null: the platform default). */
  async tenantsWithEvents(): Promise<{ tenantId: string; retentionDays: number | null }[]> {
    const heads = await this.prisma.auditChainHead.findMany({ select: { tenantId: true } });
    const settings = await this.prisma.auditSettings.findMany({
      where: { tenantId: { in: heads.map((h) => h.tenantId) } },
      select: { tenantId: true, retentionDays: true },
    });
    const byTenant = new Map(settings.map((s) => [s.tenantId, s.retentionDays]));
    return heads.map((h) => ({ tenantId: h.tenantId, retentionDays: byTenant.get(h.tenantId) ?? null }));
  }

  /**
   * Removes the oldest events older than `cutoff` (at most `maxEvents`, always a prefix of the chain) and
   * records a checkpoint for the last one, in one transaction under a per-tenant advisory lock, so two
   * processes running retention at once never interleave. `sign` turns the draft into its signature.
   */
  async prune(
    scope: TenantScope,
    cutoff: Date,
    maxEvents: number,
    sign: (draft: CheckpointDraft) => Promise<{ keyId: string; signature: string; createdAt: Date }>,
  ): Promise<PruneResult | null> {
    return this.prisma.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK_CLASS}::int4, hashtext(${scope.tenantId})) AS "locked"`;
      if (!lock?.locked) return null;
      const oldest = await tx.auditEvent.findFirst({
        where: { tenantId: scope.tenantId },
        orderBy: { seq: 'asc' },
        select: { seq: true },
      });
      if (!oldest) return { checkpoint: null, pruned: 0 };
      // The chain is pruned as a prefix: stop before the first event that is still young, even if a
      // later one (written by a node with a slow clock) looks older.
      const young = await tx.auditEvent.findFirst({
        where: { tenantId: scope.tenantId, at: { gte: cutoff } },
        orderBy: { seq: 'asc' },
        select: { seq: true },
      });
      let upTo = oldest.seq + BigInt(maxEvents) - 1n;
      if (young && young.seq - 1n < upTo) upTo = young.seq - 1n;
      const last = await tx.auditEvent.findFirst({
        where: { tenantId: scope.tenantId, seq: { lte: upTo } },
        orderBy: { seq: 'desc' },
        select: { seq: true, hash: true, at: true },
      });
      if (!last) return { checkpoint: null, pruned: 0 };
      const deleted = await tx.auditEvent.deleteMany({
        where: { tenantId: scope.tenantId, seq: { lte: last.seq } },
      });
      const draft = { seq: last.seq, hash: last.hash, lastAt: last.at, prunedCount: deleted.count };
      const signed = await sign(draft);
      const checkpoint = await tx.auditCheckpoint.create({
        data: { tenantId: scope.tenantId, ...draft, ...signed },
      });
      return { checkpoint, pruned: deleted.count };
    }, TX_OPTIONS);
  }

  findSigningKey(id: string): Promise<AuditSigningKey | null> {
    return this.prisma.auditSigningKey.findUnique({ where: { id } });
  }

  newestSigningKey(): Promise<AuditSigningKey | null> {
    return this.prisma.auditSigningKey.findFirst({ orderBy: { createdAt: 'desc' } });
  }

  createSigningKey(data: { readonly id: string; readonly sealed: string }): Promise<AuditSigningKey> {
    return this.prisma.auditSigningKey.create({ data: { ...data, createdAt: new Date() } });
  }

  private where(scope: TenantScope, f: AuditFilter): Prisma.AuditEventWhereInput {
    const where: Prisma.AuditEventWhereInput = { tenantId: scope.tenantId };
    const kinds = f.tool !== undefined ? (f.kinds ?? ['tool_call', 'denial']) : f.kinds;
    if (kinds && kinds.length > 0) where.kind = { in: [...kinds] };
    if (f.action !== undefined) {
      where.action = f.action.endsWith('*') ? { startsWith: f.action.slice(0, -1) } : f.action;
    }
    if (f.actorType !== undefined) where.actorType = f.actorType;
    if (f.actorId !== undefined) where.actorId = f.actorId;
    if (f.outcome !== undefined) where.outcome = f.outcome;
    if (f.tool !== undefined) where.target = f.tool;
    if (f.from !== undefined || f.to !== undefined) {
      where.at = { ...(f.from && { gte: f.from }), ...(f.to && { lt: f.to }) };
    }
    return where;
  }
}
