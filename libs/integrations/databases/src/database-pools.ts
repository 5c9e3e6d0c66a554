import type { EgressPolicy } from '@switchboard/http-client';

import { configFingerprint, type DatabaseConfig, type DatabaseSecrets } from './database.config.js';
import { DatabaseToolError, toToolError } from './database.errors.js';
import type { DatabaseDriver } from './driver.js';
import type { DriverLogger } from './drivers/driver-support.js';
import { MysqlDriver } from './drivers/mysql.driver.js';
import { PostgresDriver } from './drivers/postgres.driver.js';
import { SqliteDriver } from './drivers/sqlite.driver.js';

export interface DatabasePoolsOptions {
  /** Which hosts database connections may reach (the operator's egress allow-list). */
  readonly policy: EgressPolicy;
  /** The only folder SQLite files are opened from; null disables SQLite connections. */
  readonly sqliteDirectory: string | null;
  /** Connection pools kept open at once, across all tenants; the least recently used idle one goes first. */
  readonly maxPools?: number;
  /** A pool unused this long is closed. */
  readonly idleCloseMs?: number;
}

export interface PoolRequest {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly config: DatabaseConfig;
  readonly secrets: DatabaseSecrets;
  readonly logger: DriverLogger;
}

interface Entry {
  readonly key: string;
  readonly fingerprint: string;
  readonly driver: Promise<DatabaseDriver>;
  lastUsed: number;
  active: number;
  closing: boolean;
}

/**
 * One pool per connection, shared by every call and endpoint that uses it, keyed by tenant, connection
 * and a digest of its configuration and secrets: a changed password or host opens a new pool and the old
 * one closes once its calls finish. Idle pools close after a while, and the number open is bounded.
 */
export class DatabasePools {
  private readonly entries = new Map<string, Entry>();
  private readonly maxPools: number;
  private readonly idleCloseMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: DatabasePoolsOptions) {
    this.maxPools = options.maxPools ?? 200;
    this.idleCloseMs = options.idleCloseMs ?? 10 * 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.idleCloseMs));
    this.sweeper.unref();
  }

  /** Runs `fn` with the connection's driver, opening its pool on first use. */
  async use<T>(request: PoolRequest, fn: (driver: DatabaseDriver) => Promise<T>): Promise<T> {
    const entry = this.entryFor(request);
    entry.active++;
    try {
      const driver = await entry.driver;
      return await fn(driver);
    } catch (error) {
      // A pool that cannot reach its server may hold a stale address or credentials: start afresh next time.
      const kind =
        error instanceof DatabaseToolError
          ? error.kind
          : toToolError(error, { timeoutMs: 0, secrets: [] }).kind;
      if (kind === 'connection' || kind === 'configuration') this.evict(entry);
      throw error;
    } finally {
      entry.active--;
      entry.lastUsed = Date.now();
      if (entry.closing && entry.active === 0) void this.closeEntry(entry);
    }
  }

  /** Pools currently open (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.closeEntry(e)));
  }

  private entryFor(request: PoolRequest): Entry {
    const key = `${request.tenantId}/${request.connectionId}`;
    const fingerprint = configFingerprint(request.config, request.secrets);
    const existing = this.entries.get(key);
    if (existing && existing.fingerprint === fingerprint) return existing;
    if (existing) this.evict(existing);
    const entry: Entry = {
      key,
      fingerprint,
      driver: this.open(request),
      lastUsed: Date.now(),
      active: 0,
      closing: false,
    };
    // A pool that failed to open is forgotten at once, so the next call tries again.
    entry.driver.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    this.trim();
    return entry;
  }

  private open(request: PoolRequest): Promise<DatabaseDriver> {
    const { config, secrets, logger } = request;
    switch (config.dialect) {
      case 'postgres':
        return PostgresDriver.open(config, secrets, this.options.policy, logger);
      case 'mysql':
        return MysqlDriver.open(config, secrets, this.options.policy, logger);
      case 'sqlite':
        return SqliteDriver.open(config, this.options.sqliteDirectory, logger);
    }
  }

  private evict(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.closing = true;
    if (entry.active === 0) void this.closeEntry(entry);
  }

  private async closeEntry(entry: Entry): Promise<void> {
    const driver = await entry.driver.catch(() => null);
    await driver?.close().catch(() => undefined);
  }

  private trim(): void {
    if (this.entries.size <= this.maxPools) return;
    const idle = [...this.entries.values()]
      .filter((e) => e.active === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      if (this.entries.size <= this.maxPools) break;
      this.evict(entry);
    }
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleCloseMs;
    for (const entry of [...this.entries.values()])
      if (entry.active === 0 && entry.lastUsed < cutoff) this.evict(entry);
  }
}
