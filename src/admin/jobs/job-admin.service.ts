import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { NotFoundError } from '../../common/domain-error.js';
import type { JobStatus } from '../../generated/prisma/client.js';
import type { JobRow } from '../../jobs/job.repository.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { RbacService } from '../../rbac/rbac.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, encodeCursor, type Page } from '../http/schemas.js';
import { isJobKind, JOB_KIND_NAMES, JOB_KINDS, type JobKind, type JobView } from './job.schemas.js';

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    status: row.status,
    progress: (row.progress ?? null) as JobView['progress'],
    result: (row.result ?? null) as JobView['result'],
    error: row.error,
    createdBy: { type: row.createdByType, id: row.createdBy },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Reading and cancelling jobs through the admin API. A job is visible to whoever may see its kind (a
 * check: viewers and up; a data-key rotation: admins) and looks missing to anyone else; cancelling takes
 * what starting one takes.
 */
@Injectable()
export class JobAdminService {
  constructor(
    private readonly jobs: JobsService,
    private readonly rbac: RbacService,
    private readonly audit: AuditRecorder,
  ) {}

  async get(ctx: TenantContext, id: string): Promise<JobView> {
    return jobView(await this.visible(ctx, id));
  }

  async list(
    ctx: TenantContext,
    q: {
      readonly limit: number;
      readonly cursor?: string;
      readonly kind?: JobKind;
      readonly status?: JobStatus;
    },
  ): Promise<Page<JobView>> {
    const kinds = (q.kind ? [q.kind] : JOB_KIND_NAMES).filter((k) => this.mayRead(ctx, k));
    if (kinds.length === 0) return { items: [], nextCursor: null };
    const after = decodeCursor(q.cursor, 2);
    const rows = await this.jobs.page(
      { tenantId: ctx.tenant.id },
      {
        take: q.limit + 1,
        kinds,
        ...(q.status && { status: q.status }),
        ...(after && { after: { createdAt: new Date(String(after[0])), id: String(after[1]) } }),
      },
    );
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(jobView),
      nextCursor:
        rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async cancel(ctx: TenantContext, id: string): Promise<JobView> {
    const row = await this.visible(ctx, id);
    this.rbac.require(ctx.principal, JOB_KINDS[row.kind as JobKind].start, { tenantId: ctx.tenant.id });
    const cancelled = await this.jobs.cancel({ tenantId: ctx.tenant.id }, id);
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action: 'job.cancel',
      actor: ctx.actor,
      target: id,
      outcome: 'success',
      data: { kind: row.kind, before: { status: row.status }, after: { status: cancelled.status } },
    });
    return jobView(cancelled);
  }

  private async visible(ctx: TenantContext, id: string): Promise<JobRow> {
    const row = await this.jobs.get({ tenantId: ctx.tenant.id }, id).catch(() => null);
    if (!row || !isJobKind(row.kind) || !this.mayRead(ctx, row.kind)) throw new NotFoundError(`job "${id}"`);
    return row;
  }

  private mayRead(ctx: TenantContext, kind: JobKind): boolean {
    return this.rbac.can(ctx.principal, JOB_KINDS[kind].read, { tenantId: ctx.tenant.id });
  }
}
