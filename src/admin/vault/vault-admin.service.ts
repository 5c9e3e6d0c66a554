import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { ConflictError, DomainError } from '../../common/domain-error.js';
import type { JsonObject } from '../../jobs/job.repository.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { VaultRotationService, type TenantVaultStatus } from '../../vault/vault-rotation.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { jobView } from '../jobs/job-admin.service.js';
import type { JobView } from '../jobs/job.schemas.js';

export interface VaultStatusView {
  readonly keyVersion: number | null;
  readonly secrets: number;
  readonly secretsOnOldKeys: number;
  readonly kekId: string | null;
  readonly rotatedAt?: string;
  readonly rotationInProgress: boolean;
}

/** Batches of a rotation run from the dashboard: small, so progress moves and a cancel stops soon. */
const ROTATION_BATCH = 50;

/**
 * The vault as a tenant's admins see it (versions and counts, never a key or a value), and its online,
 * resumable data-key rotation run as a job: one at a time per tenant, progress `{ done, total }` after
 * each batch; cancelled or interrupted, it resumes where it stopped when started again.
 */
@Injectable()
export class VaultAdminService {
  constructor(
    private readonly rotation: VaultRotationService,
    private readonly jobs: JobsService,
    private readonly audit: AuditRecorder,
  ) {}

  async status(ctx: TenantContext): Promise<VaultStatusView> {
    return present(await this.rotation.tenantStatus({ tenantId: ctx.tenant.id }));
  }

  async rotate(ctx: TenantContext): Promise<JobView> {
    const scope = { tenantId: ctx.tenant.id };
    const status = await this.rotation.tenantStatus(scope);
    if (status.keyVersion === null) {
      throw new DomainError(
        'failed_precondition',
        'there is nothing to rotate: this tenant has not stored any secret yet',
        { reason: 'no_data_key' },
      );
    }
    const running = await this.jobs.findActive(scope, 'vault-rotation');
    if (running) {
      throw new ConflictError('a data-key rotation is already running for this tenant', {
        jobId: running.id,
      });
    }
    const row = await this.jobs.start(
      scope,
      {
        kind: 'vault-rotation',
        actor: ctx.actor,
        progress: { done: 0, total: status.secrets },
      },
      async (job) => {
        const report = await this.rotation.rotateTenantKey(scope, {
          batchSize: ROTATION_BATCH,
          signal: job.signal,
          onProgress: (p) => job.progress({ done: p.done, total: p.total }),
        });
        const result = {
          status: report.status === 'paused' ? 'paused' : 'completed',
          resumed: report.resumed,
          toVersion: report.toVersion ?? status.keyVersion ?? 0,
          reencrypted: report.reencrypted,
          done: report.reencryptedTotal,
          total: report.reencryptedTotal + report.remaining,
          remaining: report.remaining,
          retiredVersions: [...report.retiredVersions],
        } satisfies JsonObject;
        await this.audit.record({
          tenantId: ctx.tenant.id,
          kind: 'admin',
          action: 'vault.rotate',
          actor: ctx.actor,
          target: `data key v${result.toVersion}`,
          outcome: 'success',
          data: { jobId: job.id, ...result },
        });
        return result;
      },
    );
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action: 'vault.rotate.start',
      actor: ctx.actor,
      target: `data key v${status.keyVersion}`,
      outcome: 'success',
      data: { jobId: row.id, fromVersion: status.keyVersion, secrets: status.secrets },
    });
    return jobView(row);
  }
}

function present(s: TenantVaultStatus): VaultStatusView {
  return {
    keyVersion: s.keyVersion,
    secrets: s.secrets,
    secretsOnOldKeys: s.secretsOnOldKeys,
    kekId: s.kekId,
    ...(s.rotatedAt && { rotatedAt: s.rotatedAt.toISOString() }),
    rotationInProgress: s.rotationInProgress,
  };
}
