import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { DatabaseToolError, timeoutError } from '../database.errors.js';
import type { CallLimits } from '../driver.js';
import type { DriverLogger } from './driver-support.js';
import type { SqliteProcessConfig, SqliteRequest, SqliteResponse } from './sqlite.process.js';

/** Tests load this library from TypeScript sources, production from the compiled JavaScript next to it. */
const PROCESS_PATH = fileURLToPath(
  new URL(`./sqlite.process${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

interface Pending {
  readonly id: number;
  resolve(response: SqliteResponse): void;
  reject(error: Error): void;
}

interface Handle {
  readonly child: ChildProcess;
  pending: Pending | null;
  idleTimer: NodeJS.Timeout | null;
  dead: boolean;
}

export type SqliteCall = Omit<SqliteRequest, 'id'>;

/**
 * At most `max` SQLite processes for one connection, reused across calls and closed when idle. A process
 * killed for overrunning its timeout keeps its slot until it has exited, so timeouts cannot pile up.
 */
export class SqliteProcessPool {
  private readonly idle: Handle[] = [];
  private readonly all = new Set<Handle>();
  private readonly waiters: ((handle: Handle | Error) => void)[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly config: SqliteProcessConfig,
    private readonly max: number,
    private readonly idleMs: number,
    private readonly logger: DriverLogger,
  ) {}

  async run(call: SqliteCall, limits: CallLimits): Promise<SqliteResponse> {
    const started = Date.now();
    const handle = await this.acquire(limits);
    const remaining = Math.max(1, limits.timeoutMs - (Date.now() - started));
    return new Promise<SqliteResponse>((resolve, reject) => {
      const id = ++this.nextId;
      const finish = () => {
        clearTimeout(timer);
        limits.signal?.removeEventListener('abort', onAbort);
      };
      const stop = (error: DatabaseToolError) => {
        finish();
        handle.pending = null;
        this.kill(handle);
        reject(error);
      };
      const timer = setTimeout(() => stop(timeoutError(limits.timeoutMs)), remaining);
      const onAbort = () => stop(new DatabaseToolError('cancelled', 'The call was cancelled.'));
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      handle.pending = {
        id,
        resolve: (response) => {
          finish();
          handle.pending = null;
          this.release(handle);
          resolve(response);
        },
        reject: (error) => {
          finish();
          handle.pending = null;
          reject(error);
        },
      };
      handle.child.send({ ...call, id } satisfies SqliteRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0))
      waiter(new DatabaseToolError('connection', 'The connection was closed.'));
    for (const handle of this.all) this.kill(handle);
  }

  private acquire(limits: CallLimits): Promise<Handle> {
    if (this.closed) return Promise.reject(new DatabaseToolError('connection', 'The connection was closed.'));
    const ready = this.idle.pop();
    if (ready) {
      if (ready.idleTimer) clearTimeout(ready.idleTimer);
      ready.idleTimer = null;
      return Promise.resolve(ready);
    }
    if (this.all.size < this.max) return Promise.resolve(this.spawn());
    return new Promise<Handle>((resolve, reject) => {
      const waiter = (handle: Handle | Error) => {
        clearTimeout(timer);
        if (handle instanceof Error) reject(handle);
        else resolve(handle);
      };
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        reject(timeoutError(limits.timeoutMs));
      }, limits.timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private spawn(): Handle {
    // `advanced` serialization carries BigInt and binary values; no inherited flags (the test runner's).
    const child = fork(PROCESS_PATH, [JSON.stringify(this.config)], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const handle: Handle = { child, pending: null, idleTimer: null, dead: false };
    this.all.add(handle);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.on('message', (response: SqliteResponse) => {
      if (handle.pending?.id === response.id) handle.pending.resolve(response);
    });
    child.on('error', (error) => {
      handle.dead = true;
      handle.pending?.reject(error);
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') {
        this.logger.warn('SQLite process exited', { code, signal, stderr: stderr.slice(0, 500) });
      }
      handle.dead = true;
      handle.pending?.reject(new DatabaseToolError('connection', 'The SQLite process stopped unexpectedly.'));
      this.all.delete(handle);
      const at = this.idle.indexOf(handle);
      if (at !== -1) this.idle.splice(at, 1);
      if (handle.idleTimer) clearTimeout(handle.idleTimer);
      // A slot came free: a waiting call gets a new thread.
      const waiter = this.waiters.shift();
      if (waiter)
        waiter(
          this.closed ? new DatabaseToolError('connection', 'The connection was closed.') : this.spawn(),
        );
    });
    return handle;
  }

  private release(handle: Handle): void {
    if (handle.dead) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(handle);
      return;
    }
    handle.idleTimer = setTimeout(() => this.kill(handle), this.idleMs);
    handle.idleTimer.unref();
    this.idle.push(handle);
  }

  private kill(handle: Handle): void {
    if (handle.dead) return;
    handle.dead = true;
    const at = this.idle.indexOf(handle);
    if (at !== -1) this.idle.splice(at, 1);
    handle.child.kill('SIGKILL');
  }
}
