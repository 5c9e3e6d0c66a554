export { DatabaseModule } from './database.module.js';
export { DATABASE_DRIVER } from './database.tokens.js';
export { PrismaService } from './prisma.service.js';
export { createDriver, type DatabaseConfig, type DatabaseDriver, type DatabaseKind } from './driver.js';
export {
  applyMigrations,
  pendingMigrations,
  createMigration,
  diffMigrationsToSchema,
  readMigrationsList,
  migrationSlug,
  type CreateMigrationOptions,
  type MigrateOptions,
} from './migrator.js';
export { runCreateMigration, runMigrate, runMigrationCheck } from './migrate.command.js';
export { defaultMigrationsDir, defaultSchemaPath } from './paths.js';
export { DatabaseConnectionError, MigrationError, describePostgresUrl } from './database-errors.js';
export * from './prisma-errors.js';
export { openSessionLock, type SessionLock } from './session-lock.js';
