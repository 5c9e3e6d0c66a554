import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { createDriver, type DatabaseConfig, type DatabaseDriver } from '../../../src/database/driver.js';
import { applyMigrations, readMigrationsList } from '../../../src/database/migrator.js';
import { defaultMigrationsDir } from '../../../src/database/paths.js';
import { testDatabaseKinds, testPostgresUrl, type TestDatabaseKind } from '../../support/database.js';

jest.setTimeout(120_000);

const migrationsDir = defaultMigrationsDir();

/** An empty database (no template): what a first boot sees. */
async function emptyDatabase(
  kind: TestDatabaseKind,
): Promise<{ config: DatabaseConfig; dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const root = await mkdtemp(join(tmpdir(), 'sbtest-empty-'));
    // A nested folder that does not exist yet: the driver creates it.
    return {
      config: { kind, dataDir: join(root, 'a', 'b') },
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  }
  const server = testPostgresUrl();
  const name = `sbtest_empty_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    config: { kind, url: url.toString(), poolSize: 2 },
    dispose: async () => {
      const a = new pg.Client({ connectionString: server });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

async function migrationRows(config: DatabaseConfig, driver: DatabaseDriver) {
  // Read through Prisma's own adapter so the check is the same on both kinds.
  const adapter = await driver.prismaAdapter.connect();
  try {
    const res = await adapter.queryRaw({
      sql: 'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NULL AS live FROM _prisma_migrations ORDER BY migration_name',
      args: [],
      argTypes: [],
    });
    return res.rows.map(([migration_name, checksum, finished, live]) => ({
      migration_name,
      checksum,
      finished,
      live,
    }));
  } finally {
    await adapter.dispose();
    void config;
  }
}

describe.each(testDatabaseKinds())('migrations on %s', (kind) => {
  let db: { config: DatabaseConfig; dispose(): Promise<void> };
  let expected: string[];

  beforeAll(async () => {
    db = await emptyDatabase(kind);
    expected = (await readMigrationsList(migrationsDir)).migrationDirectories.map((m) => m.path);
  });
  afterAll(() => db.dispose());

  it('has at least the init migration committed', () => {
    expect(expected.length).toBeGreaterThan(0);
    expect(expected[0]).toMatch(/^\d{14}_init$/);
  });

  it('applies every migration to a fresh database and records them where `prisma migrate deploy` looks', async () => {
    const driver = await createDriver(db.config);
    try {
      const { applied } = await applyMigrations(driver, migrationsDir);
      expect(applied).toEqual(expected);

      const rows = await migrationRows(db.config, driver);
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
      for (const row of rows) {
        expect(row.finished).toBe(true);
        expect(row.live).toBe(true);
        // Prisma's CLI checks the SHA-256 of migration.sql; ours must agree or `migrate deploy` would object.
        const sql = await readFile(join(migrationsDir, String(row.migration_name), 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      }
    } finally {
      await driver.close();
    }
  });

  it('applies nothing when run again, from a newly opened driver', async () => {
    const driver = await createDriver(db.config);
    try {
      expect(await applyMigrations(driver, migrationsDir)).toEqual({ applied: [] });
      expect(await applyMigrations(driver, migrationsDir)).toEqual({ applied: [] });
    } finally {
      await driver.close();
    }
  });
});

// Advisory locks exist only on PostgreSQL. Without TEST_DATABASE_URL this block cannot run; under CI
// testDatabaseKinds() throws instead, so CI never skips it.
const postgresOnly = testDatabaseKinds().includes('postgres') ? describe : describe.skip;

postgresOnly('concurrent migrators on PostgreSQL', () => {
  it('apply each migration exactly once when several nodes boot together', async () => {
    const db = await emptyDatabase('postgres');
    const drivers = await Promise.all(Array.from({ length: 5 }, () => createDriver(db.config)));
    try {
      const results = await Promise.all(drivers.map((d) => applyMigrations(d, migrationsDir)));
      const expected = (await readMigrationsList(migrationsDir)).migrationDirectories.map((m) => m.path);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(expected);
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      const rows = await migrationRows(db.config, drivers[0]!);
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
      await db.dispose();
    }
  });
});
