import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/tenant-scope.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma, type Job, type JobStatus } from '../generated/prisma/client.js';

export type JobRow = Job;
export type JsonObject = Prisma.InputJsonObject;

export interface NewJob {
  readonly kind: string;
  readonly createdByType: string;
  readonly createdBy: string;
  readonly runner: string;
  readonly leaseUntil: Date;
  readonly progress: Prisma.InputJsonValue | null;
}

const ACTIVE: JobStatus[] = ['queued', 'running'];

function json(value: Prisma.InputJsonValue | null): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null ? Prisma.DbNull : value;
}

/**
 * Background jobs. Every write that moves a job on is conditional on its status, so a cancellation (from
 * any node) and the runner's own writes cannot overwrite each other: the first terminal status wins.
 */
@Injectable()
export class JobRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The embedded database: one process holds it, so no other process can be running a job. */
  get singleProcess(): boolean {
    return this.prisma.databaseKind === 'pglite';
  }

  create(scope: TenantScope, job: NewJob): Promise<JobRow> {
    return this.prisma.job.create({
      data: {
        tenantId: scope.tenantId,
        kind: job.kind,
        status: 'running',
        progress: json(job.progress),
        createdByType: job.createdByType,
        createdBy: job.createdBy,
        runner: job.runner,
        leaseUntil: job.leaseUntil,
      },
    });
  }

  find(scope: TenantScope, id: string): Promise<JobRow | null> {
    return this.prisma.job.findFirst({ where: { id, tenantId: scope.tenantId } });
  }

  /** Newest first; `after` is the last row seen (createdAt, id). */
  page(
    scope: TenantScope,
    q: {
      readonly take: number;
      readonly kinds: readonly string[];
      readonly status?: JobStatus;
      readonly after?: { readonly createdAt: Date; readonly id: string };
    },
  ): Promise<JobRow[]> {
    return this.prisma.job.findMany({
      where: {
        tenantId: scope.tenantId,
        kind: { in: [...q.kinds] },
        ...(q.status && { status: q.status }),
        ...(q.after && {
          OR: [
            { createdAt: { lt: q.after.createdAt } },
            { createdAt: q.after.createdAt, id: { lt: q.after.id } },
          ],
        }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.take,
    });
  }

  countActive(scope: TenantScope, kind: string): Promise<number> {
    return this.prisma.job.count({ where: { tenantId: scope.tenantId, kind, status: { in: ACTIVE } } });
  }

  findActive(scope: TenantScope, kind: string): Promise<JobRow | null> {
    return this.prisma.job.findFirst({
      where: { tenantId: scope.tenantId, kind, status: { in: ACTIVE } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Saves progress while the job runs; false when it no longer runs (cancelled or swept). */
  async saveProgress(scope: TenantScope, id: string, progress: Prisma.InputJsonValue): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, tenantId: scope.tenantId, status: 'running' },
      data: { progress },
    });
    return count > 0;
  }

  /**
   * The runner's last word. A running job takes the final status; a job cancelled meanwhile keeps its
   * status but gets the result it produced on the way out (a partial report), once.
   */
  async finish(
    scope: TenantScope,
    id: string,
    outcome: {
      readonly status: 'succeeded' | 'failed';
      readonly result: Prisma.InputJsonValue | null;
      readonly error: string | null;
      readonly progress?: Prisma.InputJsonValue;
    },
    at: Date,
  ): Promise<'finished' | 'cancelled' | 'gone'> {
    const done = await this.prisma.job.updateMany({
      where: { id, tenantId: scope.tenantId, status: 'running' },
      data: {
        status: outcome.status,
        result: json(outcome.result),
        error: outcome.error,
        ...(outcome.progress !== undefined && { progress: outcome.progress }),
        finishedAt: at,
        leaseUntil: null,
        callbackKey: null,
      },
    });
    if (done.count > 0) return 'finished';
    if (outcome.result === null) return 'gone';
    const late = await this.prisma.job.updateMany({
      where: { id, tenantId: scope.tenantId, status: 'cancelled', result: { equals: Prisma.DbNull } },
      data: { result: outcome.result, leaseUntil: null },
    });
    return late.count > 0 ? 'cancelled' : 'gone';
  }

  /** Cancels a job that has not finished; null when it had (or does not exist). */
  async cancel(scope: TenantScope, id: string, at: Date): Promise<JobRow | null> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, tenantId: scope.tenantId, status: { in: ACTIVE } },
      data: { status: 'cancelled', finishedAt: at, callbackKey: null, error: 'cancelled' },
    });
    return count > 0 ? this.find(scope, id) : null;
  }

  async setCallbackKey(scope: TenantScope, id: string, key: string | null): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id, tenantId: scope.tenantId, status: 'running' },
      data: { callbackKey: key },
    });
  }

  /**
   * Takes the running job a callback key names, clearing the key so it works once. The key itself is the
   * binding (a hash of an unguessable value only that job's flow produced), so this is not tenant-scoped.
   */
  async claimCallback(key: string): Promise<Pick<JobRow, 'id' | 'tenantId' | 'runner'> | null> {
    const job = await this.prisma.job.findUnique({
      where: { callbackKey: key },
      select: { id: true, tenantId: true, runner: true, status: true },
    });
    if (!job || job.status !== 'running') return null;
    const { count } = await this.prisma.job.updateMany({
      where: { id: job.id, callbackKey: key, status: 'running' },
      data: { callbackKey: null },
    });
    return count > 0 ? { id: job.id, tenantId: job.tenantId, runner: job.runner } : null;
  }

  // --- the runner's housekeeping (all tenants) ------------------------------------------------------------

  /** Extends the lease of every job this runner still runs. */
  async renewLeases(runner: string, until: Date): Promise<void> {
    await this.prisma.job.updateMany({
      where: { runner, status: { in: ACTIVE } },
      data: { leaseUntil: until },
    });
  }

  /** Which of these jobs were cancelled (or swept) elsewhere. */
  async stopped(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.job.findMany({
      where: { id: { in: [...ids] }, status: { notIn: ACTIVE } },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /**
   * Marks interrupted jobs failed: those whose lease ran out (their runner stopped reporting), or with
   * `all`, every unfinished job (the embedded database: no other process can be running any).
   */
  async failInterrupted(
    now: Date,
    opts: { readonly all: boolean; readonly result: JsonObject; readonly error: string },
  ): Promise<number> {
    const { count } = await this.prisma.job.updateMany({
      where: {
        status: { in: ACTIVE },
        ...(opts.all ? {} : { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }),
      },
      data: {
        status: 'failed',
        error: opts.error,
        result: opts.result,
        finishedAt: now,
        leaseUntil: null,
        callbackKey: null,
      },
    });
    return count;
  }

  async deleteFinishedBefore(before: Date): Promise<number> {
    const { count } = await this.prisma.job.deleteMany({
      where: { status: { notIn: ACTIVE }, finishedAt: { lt: before } },
    });
    return count;
  }
}
