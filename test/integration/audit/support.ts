import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../../../src/audit/audit.module.js';
import { AuditRetentionService } from '../../../src/audit/audit-retention.service.js';
import { AuditWriter } from '../../../src/audit/audit-writer.service.js';
import { AuditService } from '../../../src/audit/audit.service.js';
import { ConfigModule, loadConfig, type AppConfig } from '../../../src/config/index.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { PacksModule } from '../../../src/packs/packs.module.js';
import { RbacModule } from '../../../src/rbac/rbac.module.js';
import { TenancyModule } from '../../../src/tenancy/tenancy.module.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { VaultModule } from '../../../src/vault/vault.module.js';
import { WorkspaceModule } from '../../../src/workspace/workspace.module.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../support/database.js';

/** The modules the audit log needs, without HTTP: what a node's domain layer is. */
@Module({})
class AuditTestModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AuditTestModule,
      imports: [
        ConfigModule.forConfig(config),
        DatabaseModule,
        VaultModule,
        PacksModule,
        RbacModule,
        TenancyModule,
        WorkspaceModule,
        AuditModule,
      ],
    };
  }
}

export interface AuditNode {
  readonly ctx: INestApplicationContext;
  readonly writer: AuditWriter;
  readonly audit: AuditService;
  readonly retention: AuditRetentionService;
  readonly tenancy: TenancyService;
  readonly prisma: PrismaService;
  close(): Promise<void>;
}

export interface AuditEnv {
  readonly db: TestDatabase;
  readonly config: AppConfig;
  /** A process's worth of the audit module on the shared database (PostgreSQL allows several at once). */
  node(): Promise<AuditNode>;
  dispose(): Promise<void>;
}

export async function createAuditEnv(kind: TestDatabaseKind): Promise<AuditEnv> {
  const db = await createTestDatabase(kind);
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-audit-'));
  const config: AppConfig = {
    ...loadConfig({
      NODE_ENV: 'test',
      SWITCHBOARD_DATA_DIR: dataDir,
      // Every node shares the key-encryption key, as a real deployment does.
      SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    }),
    database: db.config,
  };
  const nodes: AuditNode[] = [];
  return {
    db,
    config,
    async node() {
      const ctx = await NestFactory.createApplicationContext(AuditTestModule.forConfig(config), {
        logger: false,
        abortOnError: false,
      });
      const node: AuditNode = {
        ctx,
        writer: ctx.get(AuditWriter),
        audit: ctx.get(AuditService),
        retention: ctx.get(AuditRetentionService),
        tenancy: ctx.get(TenancyService),
        prisma: ctx.get(PrismaService),
        close: () => ctx.close(),
      };
      nodes.push(node);
      return node;
    },
    async dispose() {
      for (const n of nodes.splice(0)) await n.close().catch(() => undefined);
      await db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
