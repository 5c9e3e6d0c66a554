import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

import { ClusterLeader } from './cluster-leader.js';

export interface ClusterJob {
  /** Unique, for logs and `runNow`. */
  readonly name: string;
  /** Period between runs on the leader. */
  readonly everyMs: number;
  /** One run; its errors are logged and the next period tries again. */
  run(): Promise<unknown>;
}

export interface JobState {
  readonly name: string;
  readonly everyMs: number;
  readonly runs: number;
  readonly failures: number;
  readonly lastRunAt: Date | null;
  readonly running: boolean;
}

interface Scheduled {
  readonly job: ClusterJob;
  timer: NodeJS.Timeout;
  running: Promise<void> | null;
  runs: number;
  failures: number;
  lastRunAt: Date | null;
}

/**
 * Periodic jobs that must run once across the cluster, not once per node (expired OAuth records, audit
 * retention, signing-key rotation): every node keeps the timers, and only the current leader runs a job
 * when its timer fires. A run never overlaps the previous run of the same job. Jobs must be idempotent:
 * when leadership moves, the new leader may run a job again sooner than one period after the last run.
 */
@Injectable()
export class ClusterJobs implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ClusterJobs.name);
  private readonly jobs = new Map<string, Scheduled>();
  private stopped = false;

  constructor(private readonly leader: ClusterLeader) {}

  register(job: ClusterJob): void {
    if (this.jobs.has(job.name)) throw new Error(`cluster job "${job.name}" is already registered`);
    const timer = setInterval(() => void this.fire(job.name), job.everyMs);
    timer.unref();
    this.jobs.set(job.name, { job, timer, running: null, runs: 0, failures: 0, lastRunAt: null });
  }

  /** Runs a job now if this node is the leader (true) or does nothing (false); for operators and tests. */
  async runNow(name: string): Promise<boolean> {
    const s = this.jobs.get(name);
    if (!s) throw new Error(`no cluster job "${name}"`);
    if (!this.leader.isLeader || this.stopped) return false;
    await this.start(s);
    return true;
  }

  states(): JobState[] {
    return [...this.jobs.values()].map((s) => ({
      name: s.job.name,
      everyMs: s.job.everyMs,
      runs: s.runs,
      failures: s.failures,
      lastRunAt: s.lastRunAt,
      running: s.running !== null,
    }));
  }

  /** Stops the timers and waits for runs in progress, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const s of this.jobs.values()) clearInterval(s.timer);
    await Promise.all([...this.jobs.values()].map((s) => s.running));
  }

  private async fire(name: string): Promise<void> {
    const s = this.jobs.get(name);
    if (!s || this.stopped || !this.leader.isLeader || s.running) return;
    await this.start(s);
  }

  private start(s: Scheduled): Promise<void> {
    s.running ??= (async () => {
      try {
        s.lastRunAt = new Date();
        await s.job.run();
        s.runs++;
      } catch (e) {
        s.failures++;
        this.logger.error(`cluster job "${s.job.name}" failed: ${(e as Error).message}`);
      } finally {
        s.running = null;
      }
    })();
    return s.running;
  }
}
