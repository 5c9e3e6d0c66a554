import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig, type AppConfig } from '../../../src/config/index.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { PlatformSecrets } from '../../../src/vault/platform-secrets.contract.js';
import { TenantVaultRepository } from '../../../src/vault/tenant-vault.repository.js';
import { VaultMetrics } from '../../../src/vault/vault-metrics.js';
import { VaultModule } from '../../../src/vault/vault.module.js';
import { VaultRotationService } from '../../../src/vault/vault-rotation.service.js';
import { VaultService } from '../../../src/vault/vault.service.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../support/database.js';

export interface VaultProcess {
  readonly ctx: INestApplicationContext;
  readonly config: AppConfig;
  readonly vault: VaultService;
  readonly rotation: VaultRotationService;
  readonly platform: PlatformSecrets;
  readonly metrics: VaultMetrics;
  readonly repo: TenantVaultRepository;
  readonly prisma: PrismaService;
  close(): Promise<void>;
}

/**
 * One database and data folder shared by successive "processes" (Nest contexts with the vault), so tests
 * can stop one mid-way and start another with other keys, as an operator would.
 */
export class VaultWorld {
  private constructor(
    readonly db: TestDatabase,
    readonly dataDir: string,
  ) {}

  static async create(kind: TestDatabaseKind): Promise<VaultWorld> {
    return new VaultWorld(await createTestDatabase(kind), await mkdtemp(join(tmpdir(), 'sb-vault-')));
  }

  async start(env: Record<string, string> = {}): Promise<VaultProcess> {
    const config: AppConfig = {
      ...loadConfig({ NODE_ENV: 'test', SWITCHBOARD_DATA_DIR: this.dataDir, LOG_LEVEL: 'silent', ...env }),
      database: this.db.config,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forConfig(config), DatabaseModule, VaultModule],
    }).compile();
    moduleRef.useLogger(false);
    const ctx = await moduleRef.init();
    return {
      ctx,
      config,
      vault: ctx.get(VaultService),
      rotation: ctx.get(VaultRotationService),
      platform: ctx.get(PlatformSecrets),
      metrics: ctx.get(VaultMetrics),
      repo: ctx.get(TenantVaultRepository),
      prisma: ctx.get(PrismaService),
      close: () => ctx.close(),
    };
  }

  async dispose(): Promise<void> {
    await this.db.dispose();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export function newKek(): string {
  return randomBytes(32).toString('hex');
}

/** A tenant with one connection per name given, written directly (the vault only needs the rows). */
export async function createTenantWithConnections(
  prisma: PrismaService,
  names: readonly string[] = ['crm'],
): Promise<{ tenantId: string; connections: Record<string, string> }> {
  const tenant = await prisma.tenant.create({
    data: { slug: `v-${randomUUID().slice(0, 8)}`, name: 'Vault test' },
  });
  const connections: Record<string, string> = {};
  for (const name of names) {
    const c = await prisma.connection.create({ data: { tenantId: tenant.id, packId: 'test', name } });
    connections[name] = c.id;
  }
  return { tenantId: tenant.id, connections };
}

/**
 * Every row of every table as text (bytea as hex), to look for a plaintext in any encoding: raw UTF-8,
 * hex and base64.
 */
export async function databaseContains(prisma: PrismaService, value: string): Promise<string[]> {
  const tables = await prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const needles = [
    value,
    Buffer.from(value).toString('hex'),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
  ];
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ t: string }[]>(`SELECT t::text AS t FROM "${table_name}" t`);
    for (const { t } of rows)
      if (needles.some((n) => t.toLowerCase().includes(n.toLowerCase()))) hits.push(table_name);
  }
  return hits;
}
