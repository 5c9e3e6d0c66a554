import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { MigrationError } from '../../../src/database/database-errors.js';
import { createDriver } from '../../../src/database/driver.js';
import { runCreateMigration } from '../../../src/database/migrate.command.js';
import { applyMigrations, createMigration, migrationSlug } from '../../../src/database/migrator.js';
import { defaultMigrationsDir, defaultSchemaPath } from '../../../src/database/paths.js';

jest.setTimeout(120_000);

describe('createMigration', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sbtest-createmig-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('returns null and writes nothing when the schema and the committed migrations agree', async () => {
    const before = await readdir(defaultMigrationsDir());
    const lines: string[] = [];
    await runCreateMigration('nothing', { out: (l) => lines.push(l) });
    expect(await readdir(defaultMigrationsDir())).toEqual(before);
    expect(lines.join('\n')).toMatch(/no migration created/);
  });

  it('writes a timestamped migration for a schema change, which then applies on top of the others', async () => {
    const migrationsDir = join(work, 'migrations');
    await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const schemaPath = join(work, 'schema.prisma');
    const schema = await readFile(defaultSchemaPath(), 'utf8');
    await writeFile(schemaPath, schema.replace(/model Tenant \{\n/, 'model Tenant {\n  region String?\n'));

    const { dir } = await createMigration('Add tenant region!', {
      schemaPath,
      migrationsDir,
      now: new Date('2099-01-02T03:04:05Z'),
    });
    expect(dir).toBe(join(migrationsDir, '20990102030405_add_tenant_region'));
    const sql = await readFile(join(dir!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "Tenant" ADD COLUMN');
    expect(sql).toContain('"region" TEXT');
    expect(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain(
      'provider = "postgresql"',
    );

    // The same change again: nothing more to write.
    expect(await createMigration('again', { schemaPath, migrationsDir })).toEqual({ dir: null });

    const driver = await createDriver({ kind: 'pglite', dataDir: 'memory://' });
    try {
      const { applied } = await applyMigrations(driver, migrationsDir);
      expect(applied.at(-1)).toBe('20990102030405_add_tenant_region');
    } finally {
      await driver.close();
    }
  });

  it('writes the lock file for a first migration into an empty folder', async () => {
    const migrationsDir = join(work, 'fresh');
    const { dir } = await createMigration('init', { schemaPath: defaultSchemaPath(), migrationsDir });
    expect(dir).not.toBeNull();
    expect((await readdir(migrationsDir)).sort()).toEqual([
      expect.stringMatching(/^\d{14}_init$/),
      'migration_lock.toml',
    ]);
    // A whole-schema migration: it creates every table (that the committed migrations match the schema
    // is the drift test's job, above).
    expect(await readFile(join(dir!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Tenant"');
  });

  it('reports a broken migration instead of treating it as applied', async () => {
    const migrationsDir = join(work, 'broken');
    await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const bad = join(migrationsDir, '20990101000000_bad');
    await mkdir(bad);
    await writeFile(join(bad, 'migration.sql'), 'ALTER TABLE "Nope" ADD COLUMN x int;');
    await expect(createMigration('x', { schemaPath: defaultSchemaPath(), migrationsDir })).rejects.toThrow(
      /20990101000000_bad/,
    );

    const driver = await createDriver({ kind: 'pglite', dataDir: 'memory://' });
    try {
      await expect(applyMigrations(driver, migrationsDir)).rejects.toThrow(MigrationError);
      await expect(applyMigrations(driver, migrationsDir)).rejects.toThrow(/failed migrations/);
    } finally {
      await driver.close();
    }
  });

  it('names migrations the way Prisma does', () => {
    expect(migrationSlug('  Add API-key scopes ')).toBe('add_api_key_scopes');
    expect(() => migrationSlug('!!!')).toThrow(MigrationError);
  });
});
