import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AuditActor } from '../audit/audit.contract.js';
import { ConflictError, DomainError, NotFoundError } from '../common/domain-error.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { JobStatus } from '../generated/prisma/client.js';
import { JobRepository, type JobRow, type JsonObject } from './job.repository.js';
import { ProgressWriter } from './progress-writer.js';

/** What a job's work gets: a signal (cancel, shutdown) and a way to publish progress. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(value: JsonObject): void;
}

/** The work of a job; its return value is the job's result. Throw a DomainError to fail with its message. */
export type JobWork = (ctx: JobContext) => Promise<JsonObject>;

/** The lease a runner holds on its jobs; it is renewed well before it runs out. */
export const LEASE_MS = 60_000;
const RENEW_MS = 15_000;
const SWEEP_MS = 30_000;
/** Finished jobs are kept this long for the dashboard's history, then deleted. */
const RETENTION_MS = 30 * 86_400_000;
/** How long shutdown waits for aborted jobs to wind down before marking them failed itself. */
const SHUTDOWN_WAIT_MS = 10_000;

export const INTERRUPTED_ERROR = 'interrupted';

function interrupted(reason: string, partial?: JsonObject): JsonObject {
  return { interrupted: true, reason, ...(partial ? { partial } : {}) };
}

interface LocalJob {
  readonly scope: TenantScope;
  readonly controller: AbortController;
  stop: 'cancelled' | 'shutdown' | null;
  done?: Promise<void>;
}

/**
 * Background jobs whose state lives in the database, so any node answers a poll. The node that starts a
 * job runs it, holds a lease on it (renewed every 15 s) and notices cancellations made elsewhere on each
 * renewal; a job whose lease ran out, or every unfinished job on the embedded database (one process), is
 * marked failed by the sweep that runs at boot and every 30 s, with a result saying it was interrupted.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  /** This process, as written on the jobs it runs. */
  readonly runner = `${hostname().slice(0, 60)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly local = new Map<string, LocalJob>();
  private renewTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(private readonly jobs: JobRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep(new Date(), { boot: true });
    this.sweepTimer = setInterval(() => void this.sweep(new Date()), SWEEP_MS);
    this.sweepTimer.unref();
  }

  /** Stops local jobs before the database closes; those that do not wind down in time are marked failed. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const running = [...this.local.entries()];
    for (const [, job] of running) {
      job.stop ??= 'shutdown';
      job.controller.abort();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running.map(([, j]) => j.done)),
      new Promise((r) => (timer = setTimeout(r, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
    for (const [id, job] of this.local) {
      await this.jobs
        .finish(
          job.scope,
          id,
          {
            status: 'failed',
            result: interrupted('The server stopped before the job finished. Start it again.'),
            error: INTERRUPTED_ERROR,
          },
          new Date(),
        )
        .catch(() => undefined);
    }
  }

  onApplicationShutdown(): void {
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Records a job and starts its work in the background (on this node); returns the row at once. */
  async start(
    scope: TenantScope,
    input: { readonly kind: string; readonly actor: AuditActor; readonly progress?: JsonObject },
    work: JobWork,
  ): Promise<JobRow> {
    if (this.stopping) throw new DomainError('unavailable', 'the server is shutting down; try again');
    const row = await this.jobs.create(scope, {
      kind: input.kind,
      createdByType: input.actor.type,
      createdBy: input.actor.id ?? 'system',
      runner: this.runner,
      leaseUntil: new Date(Date.now() + LEASE_MS),
      progress: input.progress ?? null,
    });
    const job: LocalJob = { scope, controller: new AbortController(), stop: null };
    this.local.set(row.id, job);
    this.ensureRenewal();
    job.done = this.run(row.id, job, work);
    return row;
  }

  async get(scope: TenantScope, id: string): Promise<JobRow> {
    const row = await this.jobs.find(scope, id);
    if (!row) throw new NotFoundError(`job "${id}"`);
    return row;
  }

  page(
    scope: TenantScope,
    q: {
      readonly take: number;
      readonly kinds: readonly string[];
      readonly status?: JobStatus;
      readonly after?: { readonly createdAt: Date; readonly id: string };
    },
  ): Promise<JobRow[]> {
    return this.jobs.page(scope, q);
  }

  countActive(scope: TenantScope, kind: string): Promise<number> {
    return this.jobs.countActive(scope, kind);
  }

  findActive(scope: TenantScope, kind: string): Promise<JobRow | null> {
    return this.jobs.findActive(scope, kind);
  }

  /** Cancels an unfinished job: at once when it runs here, within one lease renewal elsewhere. */
  async cancel(scope: TenantScope, id: string): Promise<JobRow> {
    const row = await this.jobs.cancel(scope, id, new Date());
    if (!row) {
      const existing = await this.get(scope, id);
      throw new ConflictError(`the job has already finished (${existing.status})`, {
        status: existing.status,
      });
    }
    const job = this.local.get(id);
    if (job) {
      job.stop ??= 'cancelled';
      job.controller.abort();
    }
    return row;
  }

  /** Names the job for an inbound callback by a hash of a value only its flow knows; null clears it. */
  setCallbackKey(scope: TenantScope, id: string, key: string | null): Promise<void> {
    return this.jobs.setCallbackKey(scope, id, key);
  }

  /** The running job a callback key names (the key then stops working), or null. */
  claimCallback(key: string): Promise<{ id: string; tenantId: string; runner: string | null } | null> {
    return this.jobs.claimCallback(key);
  }

  /** Whether a job runs in this process. */
  runsHere(id: string): boolean {
    return this.local.has(id);
  }

  /** Fails interrupted jobs (see the class comment) and forgets old finished ones. */
  async sweep(now: Date, opts: { readonly boot?: boolean } = {}): Promise<number> {
    try {
      const failed = await this.jobs.failInterrupted(now, {
        all: opts.boot === true && this.jobs.singleProcess,
        error: INTERRUPTED_ERROR,
        result: interrupted(
          'The server running this job stopped before it finished (a restart or a crash). Start it again.',
        ),
      });
      if (failed > 0) this.logger.warn(`marked ${failed} interrupted job(s) failed`);
      await this.jobs.deleteFinishedBefore(new Date(now.getTime() - RETENTION_MS));
      return failed;
    } catch (e) {
      this.logger.warn(`could not sweep background jobs: ${(e as Error).message}`);
      return 0;
    }
  }

  private async run(id: string, job: LocalJob, work: JobWork): Promise<void> {
    const writer = new ProgressWriter(
      (p) => this.jobs.saveProgress(job.scope, id, p),
      () => {
        job.stop ??= 'cancelled';
        job.controller.abort();
      },
      (e) => this.logger.warn({ msg: 'could not save job progress', jobId: id, err: (e as Error).message }),
    );
    let result: JsonObject | null = null;
    let error: string | null = null;
    try {
      result = await work({ id, signal: job.controller.signal, progress: (p) => writer.push(p) });
    } catch (e) {
      error = this.describe(id, e);
    }
    await writer.flush();
    const last = writer.last;
    try {
      const outcome =
        job.stop === 'shutdown'
          ? {
              status: 'failed' as const,
              result: interrupted(
                'The server stopped before the job finished. Start it again.',
                result ?? undefined,
              ),
              error: INTERRUPTED_ERROR,
            }
          : error !== null
            ? { status: 'failed' as const, result, error }
            : { status: 'succeeded' as const, result, error: null };
      await this.jobs.finish(
        job.scope,
        id,
        { ...outcome, ...(last !== null && { progress: last }) },
        new Date(),
      );
    } catch (e) {
      this.logger.error({ msg: 'could not record the end of a job', jobId: id, err: (e as Error).message });
    } finally {
      this.local.delete(id);
      if (this.local.size === 0 && this.renewTimer) {
        clearInterval(this.renewTimer);
        this.renewTimer = null;
      }
    }
  }

  private describe(id: string, e: unknown): string {
    if (e instanceof DomainError) return e.message;
    const correlationId = randomUUID();
    this.logger.error({ msg: 'background job failed', jobId: id, correlationId, err: e });
    return `unexpected error (correlation id ${correlationId})`;
  }

  private ensureRenewal(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => void this.renew(), RENEW_MS);
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    try {
      await this.jobs.renewLeases(this.runner, new Date(Date.now() + LEASE_MS));
      for (const id of await this.jobs.stopped([...this.local.keys()])) {
        const job = this.local.get(id);
        if (!job) continue;
        job.stop ??= 'cancelled';
        job.controller.abort();
      }
    } catch (e) {
      this.logger.warn(`could not renew job leases: ${(e as Error).message}`);
    }
  }
}
