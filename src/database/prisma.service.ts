import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE_DRIVER } from './database.tokens.js';
import type { DatabaseDriver } from './driver.js';
import { DatabaseConnectionError } from './database-errors.js';

/** The one PrismaClient of the process, on the configured driver. Only repositories inject it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private closing: Promise<void> | undefined;

  constructor(@Inject(DATABASE_DRIVER) private readonly driver: DatabaseDriver) {
    super({ adapter: driver.prismaAdapter });
  }

  get databaseKind(): DatabaseDriver['kind'] {
    return this.driver.kind;
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.$connect();
    } catch (e) {
      throw new DatabaseConnectionError(`Cannot connect to ${this.driver.description}`, { cause: e });
    }
  }

  /** Runs last at shutdown, after every other module's destroy hooks had the database available. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Disconnects the client, then releases the driver (PGlite must close after `$disconnect`). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.$disconnect().finally(() => this.driver.close());
    return this.closing;
  }
}
