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
/** First half of the two-int advisory lock key used by retention (the second is the tenant's hash). */
const RETENTION_LOCK_CLASS = 0x41_55_44_54; // "AUDT"

/**
 * Audit storage. Appends go through `appendChained`, which serialises writers of one tenant on the chain
 * head row (`INSERT … ON CONFLICT DO UPDATE … RETURNING` takes its row lock), so processes sharing the
 * database extend one chain and never fork it; `(tenantId, seq)` being unique is the backstop.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * In one transaction: locks the tenant's chain head, lets `build` chain the events onto it, inserts them
   * and moves the head. Returns the new head. `build` must be pure: it may run again on a retry.
   */
  async appendChained(scope: TenantScope, build: (head: ChainHead) => ChainedEventRow[]): Promise<ChainHead> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ seq: bigint | number | string; hash: string }[]>`
        INSERT INTO "AuditChainHead" ("tenantId", "seq", "hash", "updatedAt")
        VALUES (${scope.tenantId}::uuid, 0, ${GENESIS_HASH}, now())
        ON CONFLICT ("tenantId") DO UPDATE SET "updatedAt" = "AuditChainHead"."updatedAt"
        RETURNING "seq", "hash"`;
      const row = locked[0];
      if (!row) throw new Error('audit chain head could not be locked');
      const rows = build({ seq: BigInt(row.seq), hash: row.hash });
      const last = rows.at(-1);
      if (!last) return { seq: BigInt(row.seq), hash: row.hash };
      await tx.auditEvent.createMany({
        data: rows.map((r) => ({ tenantId: scope.tenantId, ...r })),
      });
      await tx.auditChainHead.update({
        where: { tenantId: scope.tenantId },
        data: { seq: last.seq, hash: last.hash, updatedAt: new Date() },
      });
      return { seq: last.seq, hash: last.hash };
    }, TX_OPTIONS);
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
