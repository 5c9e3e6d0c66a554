import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { DATABASE_DRIVER } from './database.tokens.js';
import { createDriver, type DatabaseDriver } from './driver.js';
import { MigrationError } from './database-errors.js';
import { applyMigrations, pendingMigrations } from './migrator.js';
import { defaultMigrationsDir } from './paths.js';
import { PrismaService } from './prisma.service.js';

/**
 * Opens the configured database and brings its schema up to date before anything else is built, so the
 * app never serves against an old schema. A database that cannot be reached or migrated stops boot. With
 * `SWITCHBOARD_MIGRATE_ON_BOOT=false` (releases migrated once by `switchboard db migrate`), it only checks
 * and refuses to start while a migration this build ships with is missing.
 */
async function openDatabase(config: AppConfig): Promise<DatabaseDriver> {
  const logger = new Logger('Database');
  const driver = await createDriver(config.database);
  try {
    if (!config.migrateOnBoot) {
      const pending = await pendingMigrations(driver, defaultMigrationsDir());
      if (pending.length > 0) {
        throw new MigrationError(
          `${driver.description} lacks ${pending.length} migration(s) this release needs (${pending.join(', ')}); ` +
            'run `switchboard db migrate` (the Helm chart runs it as a pre-upgrade job) or set SWITCHBOARD_MIGRATE_ON_BOOT=true',
        );
      }
      logger.log(`${driver.description}: schema up to date (migrations at boot are off)`);
      return driver;
    }
    const { applied } = await applyMigrations(driver, defaultMigrationsDir());
    logger.log(
      applied.length > 0
        ? `${driver.description}: applied ${applied.length} migration(s): ${applied.join(', ')}`
        : `${driver.description}: schema up to date`,
    );
  } catch (e) {
    await driver.close().catch(() => undefined);
    throw e;
  }
  return driver;
}

@Global()
@Module({
  providers: [{ provide: DATABASE_DRIVER, inject: [APP_CONFIG], useFactory: openDatabase }, PrismaService],
  exports: [PrismaService, DATABASE_DRIVER],
})
export class DatabaseModule {}
