import { relative } from 'node:path';
import type { AppConfig } from '../config/index.js';
import { MigrationError } from './database-errors.js';
import { createDriver } from './driver.js';
import { applyMigrations, createMigration, diffMigrationsToSchema } from './migrator.js';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.js';

/**
 * Entry points for `switchboard db …` and the npm scripts. They print one line about what they did and
 * return once everything they opened is closed (the engine's stray timer is unref'd, so nothing lingers).
 */
export interface CommandIo {
  out(line: string): void;
}

const stdout: CommandIo = { out: (line) => process.stdout.write(`${line}\n`) };

export interface PathOptions {
  readonly schemaPath?: string;
  readonly migrationsDir?: string;
}

/** `switchboard db migrate`: applies pending migrations to the configured database. */
export async function runMigrate(
  config: AppConfig,
  io: CommandIo = stdout,
  paths: PathOptions = {},
): Promise<void> {
  const driver = await createDriver(config.database);
  try {
    const { applied } = await applyMigrations(driver, paths.migrationsDir ?? defaultMigrationsDir());
    io.out(
      applied.length > 0
        ? `Applied ${applied.length} migration(s) to ${driver.description}:\n${applied.map((m) => `  ${m}`).join('\n')}`
        : `${driver.description} is up to date; no migration applied.`,
    );
  } finally {
    await driver.close();
  }
}

/** `switchboard db migration <name>`: writes a migration for changes to prisma/schema.prisma. */
export async function runCreateMigration(
  name: string,
  io: CommandIo = stdout,
  paths: PathOptions = {},
): Promise<void> {
  const schemaPath = paths.schemaPath ?? defaultSchemaPath();
  const { dir } = await createMigration(name, {
    schemaPath,
    migrationsDir: paths.migrationsDir ?? defaultMigrationsDir(),
  });
  io.out(
    dir
      ? `Created ${relative(process.cwd(), dir) || dir}/migration.sql; review it and commit it with the schema.`
      : `No changes in ${relative(process.cwd(), schemaPath) || schemaPath}: no migration created.`,
  );
}

/** CI drift check: fails when prisma/schema.prisma has changes that no committed migration carries. */
export async function runMigrationCheck(io: CommandIo = stdout, paths: PathOptions = {}): Promise<void> {
  const schemaPath = paths.schemaPath ?? defaultSchemaPath();
  const sql = await diffMigrationsToSchema({
    schemaPath,
    migrationsDir: paths.migrationsDir ?? defaultMigrationsDir(),
  });
  if (sql !== null) {
    throw new MigrationError(
      `prisma/schema.prisma differs from the committed migrations; run \`npm run db:migration -- <name>\`. Missing SQL:\n${sql}`,
    );
  }
  io.out('Migrations match prisma/schema.prisma.');
}
