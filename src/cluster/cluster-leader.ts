import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { openSessionLock, type SessionLock } from '../database/session-lock.js';

/** The advisory lock key whose holder is the cluster's leader (distinct from the migrator's). */
export const LEADER_LOCK_KEY = 5_357_424_703n;
/** How often a follower tries to become leader, and the leader checks it still is. */
export const LEADER_CHECK_MS = 5_000;

export type LeadershipListener = (leader: boolean) => void;

/**
 * Which node runs the cluster's periodic jobs: the one holding a PostgreSQL session advisory lock on a
 * connection of its own. Followers try to take it every few seconds, so when the leader stops (or its
 * connection drops, which releases the lock) another node takes over within `LEADER_CHECK_MS` plus the
 * time PostgreSQL needs to notice. Needs no Redis. On the embedded database (one process) this node is
 * always the leader.
 */
@Injectable()
export class ClusterLeader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterLeader.name);
  private lock: SessionLock | null = null;
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private stopped = false;
  private readonly listeners = new Set<LeadershipListener>();
  private unreachableLogged = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Called with true when this node becomes leader and false when it stops being one. */
  onChange(listener: LeadershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.kind === 'pglite') {
      this.setLeader(true);
      return;
    }
    await this.check();
    this.timer = setInterval(() => void this.check(), LEADER_CHECK_MS);
    this.timer.unref();
  }

  /** Steps down (the lock connection ends, so another node takes over at its next check). */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await this.release();
  }

  /** One election round: become leader if the lock is free, or confirm we still hold it. */
  check(): Promise<void> {
    this.checking ??= this.round().finally(() => (this.checking = null));
    return this.checking;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.leader) {
        if (this.lock && (await this.lock.alive())) return;
        this.logger.warn('lost the leader lock connection; stepping down');
        await this.release();
        return;
      }
      this.lock ??= await openSessionLock(this.config.database, LEADER_LOCK_KEY);
      if (!this.lock) return;
      this.unreachableLogged = false;
      if (await this.lock.tryAcquire()) {
        if (this.stopped) return this.release();
        this.setLeader(true);
      }
    } catch (e) {
      if (!this.unreachableLogged) {
        this.unreachableLogged = true;
        this.logger.warn(`leader election failed (retrying): ${(e as Error).message}`);
      }
      await this.release();
    }
  }

  private async release(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    this.setLeader(false);
    await lock?.close();
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    if (this.config.database.kind !== 'pglite') {
      this.logger.log(leader ? 'this node is now the cluster leader' : 'this node is no longer the leader');
    }
    for (const l of this.listeners) l(leader);
  }
}
