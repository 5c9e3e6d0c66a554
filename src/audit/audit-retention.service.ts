import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { ClusterJobs } from '../cluster/cluster-jobs.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { AuditRepository } from './audit.repository.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';

/** Largest prefix one transaction removes; a backlog is worked off in several. */
const PRUNE_CHUNK = 5_000;
const DAY_MS = 86_400_000;

export interface RetentionRun {
  readonly tenantId: string;
  readonly pruned: number;
  /** seq of the checkpoint written last, when any. */
  readonly checkpointSeq: string | null;
  /** Another process was pruning this tenant at the same moment; it was left to it. */
  readonly skipped: boolean;
}

export const AUDIT_RETENTION_INTERVAL_MS = Symbol('AUDIT_RETENTION_INTERVAL_MS');

/**
 * Removes events older than each tenant's retention, oldest first, and leaves a signed checkpoint where
 * they were, so verification starts from it. In the server it is a cluster job, run hourly by the leader
 * only (`switchboard audit prune` runs it on demand). A prune that overlaps another anyway (a CLI run, a
 * change of leader) is safe: each tenant is pruned under a transaction-scoped PostgreSQL advisory lock
 * that others try and skip.
 */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap {
  static readonly JOB = 'audit.retention';
  private readonly logger = new Logger('AuditRetention');

  constructor(
    private readonly repo: AuditRepository,
    private readonly signer: CheckpointSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUDIT_RETENTION_INTERVAL_MS) private readonly intervalMs: number,
    @Optional() private readonly jobs?: ClusterJobs,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.jobs?.register({
      name: AuditRetentionService.JOB,
      everyMs: this.intervalMs,
      run: () => this.runAll(),
    });
  }

  /**
   * Every tenant with events (or only the given tenant ids); tenants whose retention is 0 (keep forever)
   * are left alone.
   */
  async runAll(now: Date = new Date(), only?: readonly string[]): Promise<RetentionRun[]> {
    const runs: RetentionRun[] = [];
    for (const t of await this.repo.tenantsWithEvents()) {
      if (only && !only.includes(t.tenantId)) continue;
      const days = t.retentionDays ?? this.config.audit.retentionDays;
      if (days <= 0) continue;
      const run = await this.pruneTenant(t.tenantId, new Date(now.getTime() - days * DAY_MS));
      if (run.pruned > 0) this.logger.log(`pruned ${run.pruned} audit event(s) of tenant ${t.tenantId}`);
      runs.push(run);
    }
    return runs;
  }

  /** Prunes one tenant's events older than `cutoff`, in chunks, each with its checkpoint. */
  async pruneTenant(tenantId: string, cutoff: Date): Promise<RetentionRun> {
    let pruned = 0;
    let checkpointSeq: string | null = null;
    // Outside the transaction: PGlite has one connection, and opening the key may read the database.
    await this.signer.prepare();
    for (;;) {
      const step = await this.repo.prune({ tenantId }, cutoff, PRUNE_CHUNK, async (draft) => {
        const createdAt = new Date();
        const signed = await this.signer.sign({ tenantId, ...draft, createdAt });
        return { ...signed, createdAt };
      });
      if (step === null) return { tenantId, pruned, checkpointSeq, skipped: true };
      pruned += step.pruned;
      if (step.checkpoint) checkpointSeq = step.checkpoint.seq.toString();
      if (step.pruned < PRUNE_CHUNK) return { tenantId, pruned, checkpointSeq, skipped: false };
    }
  }
}
