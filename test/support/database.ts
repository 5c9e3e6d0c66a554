/**
 * Isolated, already migrated databases for tests, one per test file.
 *
 * - PGlite: the migrations are applied once into a template data folder (keyed by a hash of the migrations),
 *   and every test file starts from a copy of it — no 3–10 s first initialisation per file.
 * - PostgreSQL (`TEST_DATABASE_URL`, e.g. postgresql://postgres@127.0.0.1:5432/postgres): a template database
 *   is migrated once, and every test file gets `CREATE DATABASE test_… TEMPLATE …`, dropped on dispose.
 *
 * Several jest workers may ask at once: the PostgreSQL template is built under an advisory lock, the PGlite
 * template by whichever worker creates its lock folder first, in a private folder renamed into place.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../../src/config/index.js';
import { createDriver, type DatabaseDriver } from '../../src/database/driver.js';
import { applyMigrations, readMigrationsList } from '../../src/database/migrator.js';
import { defaultMigrationsDir } from '../../src/database/paths.js';
import { PrismaService } from '../../src/database/prisma.service.js';

export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  /** Ready for `createDriver`, or for a full `AppConfig` (`{ ...config, database }`). */
  readonly config: AppConfig['database'];
  /** PostgreSQL only: the per-file database's URL. */
  readonly url?: string;
  /** Drops the database (PostgreSQL) or deletes the data folder (PGlite). Close clients first. */
  dispose(): Promise<void>;
}

const TEMPLATE_LOCK_KEY = 5_357_424_702;
const PREFIX = 'sbtest';

/**
 * The kinds to run database tests on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Under CI a
 * missing TEST_DATABASE_URL is an error, so a pipeline cannot pass by silently skipping PostgreSQL.
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error('TEST_DATABASE_URL is not set: CI must run the database tests on PostgreSQL too');
  }
  return ['pglite'];
}

/** The server URL tests create databases on. Throws when it is not configured. */
export function testPostgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  return kind === 'pglite' ? createPgliteDatabase() : createPostgresDatabase(testPostgresUrl());
}

/** A migrated database with a connected PrismaService on it. `dispose` closes both. */
export async function createTestPrisma(kind: TestDatabaseKind): Promise<{
  readonly db: TestDatabase;
  readonly driver: DatabaseDriver;
  readonly prisma: PrismaService;
  dispose(): Promise<void>;
}> {
  const db = await createTestDatabase(kind);
  const driver = await createDriver(db.config);
  const prisma = new PrismaService(driver);
  await prisma.$connect();
  return {
    db,
    driver,
    prisma,
    dispose: async () => {
      await prisma.close();
      await db.dispose();
    },
  };
}

/** Changes whenever a migration is added or edited, so a stale template is never reused. */
async function migrationsHash(): Promise<string> {
  const list = await readMigrationsList(defaultMigrationsDir());
  const h = createHash('sha256');
  for (const m of list.migrationDirectories) {
    h.update(m.path).update('\0').update(m.migrationFile.content.value).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// --- PGlite ---------------------------------------------------------------------------------------------

async function createPgliteDatabase(): Promise<TestDatabase> {
  const template = await pgliteTemplate();
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}-pglite-`));
  await cp(template, dir, { recursive: true });
  return {
    kind: 'pglite',
    config: { kind: 'pglite', dataDir: dir },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function pgliteTemplate(): Promise<string> {
  const root = join(tmpdir(), `${PREFIX}-templates`);
  const name = `pglite-${await migrationsHash()}`;
  const final = join(root, name);
  const lock = join(root, `${name}.lock`);
  await mkdir(root, { recursive: true });
  for (;;) {
    if (existsSync(final)) return final;
    // mkdir is atomic: one worker builds, the others wait for the folder to appear.
    const owner = await mkdir(lock).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
        return false;
      },
    );
    if (owner) break;
    const age =
      Date.now() -
      (await stat(lock).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      ));
    // A worker that died mid-build leaves its lock behind; after this long it is not coming back.
    if (age > 120_000) await rm(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    if (existsSync(final)) return final;
    const staging = await mkdtemp(join(root, '.staging-'));
    try {
      const driver = await createDriver({ kind: 'pglite', dataDir: staging });
      try {
        await applyMigrations(driver, defaultMigrationsDir());
      } finally {
        await driver.close();
      }
      await rename(staging, final);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
    // Templates of older migration sets are no longer useful.
    for (const entry of await readdir(root)) {
      if (entry.startsWith('pglite-') && entry !== name && !entry.endsWith('.lock')) {
        await rm(join(root, entry), { recursive: true, force: true }).catch(() => undefined);
      }
    }
    return final;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

// --- PostgreSQL -----------------------------------------------------------------------------------------

async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const template = await postgresTemplate(serverUrl);
  const name = `${PREFIX}_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) =>
    whenNotBusy(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)),
  );
  const url = withDatabase(serverUrl, name);
  return {
    kind: 'postgres',
    url,
    config: { kind: 'postgres', url, poolSize: 5 },
    dispose: () =>
      withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function postgresTemplate(serverUrl: string): Promise<string> {
  const name = `${PREFIX}_tmpl_${await migrationsHash()}`;
  return withAdmin(serverUrl, async (admin) => {
    await admin.query(`SELECT pg_advisory_lock(${TEMPLATE_LOCK_KEY})`);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return name;

      // Build under another name and rename when complete, so a crash never leaves a half-migrated template.
      const staging = `${name}_wip`;
      await admin.query(`DROP DATABASE IF EXISTS "${staging}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${staging}"`);
      const driver = await createDriver({
        kind: 'postgres',
        url: withDatabase(serverUrl, staging),
        poolSize: 1,
      });
      try {
        await applyMigrations(driver, defaultMigrationsDir());
      } finally {
        await driver.close();
      }
      await whenNotBusy(() => admin.query(`ALTER DATABASE "${staging}" RENAME TO "${name}"`));

      // Templates of older migration sets are no longer useful.
      const stale = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}\\_tmpl\\_%' AND datname <> $1 AND datname NOT LIKE '%\\_wip'`,
        [name],
      );
      for (const { datname } of stale.rows) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      }
      return name;
    } finally {
      await admin.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`).catch(() => undefined);
    }
  });
}

/**
 * CREATE DATABASE … TEMPLATE and RENAME fail (55006) while a session is still attached to the source, which
 * lasts a moment after a client disconnects (or while another worker copies the same template): retry.
 */
async function whenNotBusy<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt >= 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function withAdmin<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
