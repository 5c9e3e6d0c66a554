import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { AppConfig } from '../config/index.js';
import { DatabaseConnectionError, describePostgresUrl, redactSecrets } from './database-errors.js';
import { pgliteMigrationFactory } from './pglite-adapter.js';
import { lockDataDir } from './pglite-lock.js';

export type DatabaseConfig = AppConfig['database'];
export type DatabaseKind = DatabaseConfig['kind'];

/** One open database: what PrismaClient and the schema engine each need, and how to let go of it. */
export interface DatabaseDriver {
  readonly kind: DatabaseKind;
  /** Human-readable target without credentials, for logs and errors. */
  readonly description: string;
  /** Passed to PrismaClient as `adapter`. */
  readonly prismaAdapter: SqlDriverAdapterFactory;
  /**
   * Given to the schema engine. On PostgreSQL every `connect()` opens a separate small pool that
   * the migrator disposes when done, so the engine's session-level advisory lock dies with it.
   */
  readonly migrationAdapter: SqlMigrationAwareDriverAdapterFactory;
  /** Releases what the driver itself holds (PGlite's database). Call after PrismaClient's `$disconnect()`. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function createDriver(db: DatabaseConfig): Promise<DatabaseDriver> {
  return db.kind === 'pglite' ? openPglite(db.dataDir) : openPostgres(db.url, db.poolSize);
}

async function openPglite(dataDir: string): Promise<DatabaseDriver> {
  const description = `embedded PGlite database at ${dataDir}`;
  let pglite: PGlite;
  let unlock = async (): Promise<void> => undefined;
  if (!dataDir.startsWith('memory://')) {
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (e) {
      throw new DatabaseConnectionError(`Cannot open the ${description}: ${errorText(e)}`, { cause: e });
    }
    unlock = await lockDataDir(dataDir);
  }
  try {
    // One options object: `new PGlite(undefined, opts)` silently ignores `opts`.
    pglite = new PGlite({ dataDir });
    await pglite.waitReady;
  } catch (e) {
    await unlock();
    throw new DatabaseConnectionError(`Cannot open the ${description}: ${errorText(e)}`, { cause: e });
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    description,
    prismaAdapter: new PrismaPGlite(pglite),
    migrationAdapter: pgliteMigrationFactory(pglite),
    close: () => (closed ??= (pglite.closed ? Promise.resolve() : pglite.close()).finally(unlock)),
  };
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseDriver> {
  const description = describePostgresUrl(url);
  await probePostgres(url, description);
  const base: pg.PoolConfig = { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  return {
    kind: 'postgres',
    description,
    prismaAdapter: new PrismaPg({ ...base, max: poolSize }),
    // Never idled out: the migrator's advisory lock must live until it disposes the pool itself.
    migrationAdapter: new PrismaPg({ ...base, max: 2, idleTimeoutMillis: 0 }),
    // PrismaClient owns its pool and ends it on $disconnect(); nothing else stays open here.
    close: () => Promise.resolve(),
  };
}

/** Fails boot early with a message naming the database, before anything else tries to use it. */
async function probePostgres(url: string, description: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A failed connect can also surface as an 'error' event; without a listener Node would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new DatabaseConnectionError(
      `Cannot connect to ${description}: ${redactSecrets(errorText(e), url)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(errorText).join('; ');
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  return String(e);
}
