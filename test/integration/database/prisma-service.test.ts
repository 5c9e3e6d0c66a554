import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '../../../src/config/index.js';
import { DATABASE_DRIVER } from '../../../src/database/database.tokens.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import type { DatabaseDriver } from '../../../src/database/driver.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { isRecordNotFound, isUniqueViolation } from '../../../src/database/prisma-errors.js';
import { createTestDatabase, createTestPrisma, testDatabaseKinds } from '../../support/database.js';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds())('PrismaService on %s', (kind) => {
  let t: Awaited<ReturnType<typeof createTestPrisma>>;

  beforeAll(async () => {
    t = await createTestPrisma(kind);
  });
  afterAll(() => t.dispose());

  it('writes and reads a tenant', async () => {
    const created = await t.prisma.tenant.create({ data: { slug: 'acme', name: 'Acme' } });
    expect(created).toMatchObject({ slug: 'acme', name: 'Acme', status: 'active', plan: 'free' });
    const read = await t.prisma.tenant.findUnique({ where: { slug: 'acme' } });
    expect(read?.id).toBe(created.id);
    expect(read?.createdAt).toBeInstanceOf(Date);
  });

  it('reports a duplicate slug as a unique violation and a missing row as not found', async () => {
    const duplicate = await t.prisma.tenant
      .create({ data: { slug: 'acme', name: 'Again' } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const missing = await t.prisma.tenant
      .update({ where: { slug: 'nobody' }, data: { name: 'x' } })
      .catch((e: unknown) => e);
    expect(isRecordNotFound(missing)).toBe(true);
    expect(isUniqueViolation(missing)).toBe(false);
  });

  it('round-trips the column types the schema uses (json, bytes, arrays, bigint)', async () => {
    const tenant = await t.prisma.tenant.create({ data: { slug: 'types', name: 'Types' } });
    const user = await t.prisma.user.create({ data: { email: 'types@example.com' } });
    const key = await t.prisma.apiKey.create({
      data: {
        tenantId: tenant.id,
        userId: user.id,
        name: 'k',
        prefix: 'sb_types',
        hash: Buffer.from([1, 2, 3]),
        scopes: ['mcp', 'admin'],
      },
    });
    expect(Buffer.from(key.hash)).toEqual(Buffer.from([1, 2, 3]));
    expect(key.scopes).toEqual(['mcp', 'admin']);
    const event = await t.prisma.auditEvent.create({
      data: {
        tenantId: tenant.id,
        seq: 9_007_199_254_740_993n,
        prevHash: '0',
        hash: '1',
        kind: 'k',
        actorType: 'user',
        action: 'a',
        outcome: 'ok',
        data: { nested: [1, 'two'] },
      },
    });
    expect(event.seq).toBe(9_007_199_254_740_993n);
    expect(event.data).toEqual({ nested: [1, 'two'] });
  });

  it('gives each test file its own database', async () => {
    const other = await createTestPrisma(kind);
    try {
      expect(await other.prisma.tenant.count()).toBe(0);
    } finally {
      await other.dispose();
    }
  });
});

describe.each(testDatabaseKinds())('DatabaseModule on %s', (kind) => {
  it('opens, migrates and serves PrismaService at boot, and closes on shutdown', async () => {
    const db = await createTestDatabase(kind);
    const config = { ...loadConfig({ NODE_ENV: 'test' }), database: db.config };
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forConfig(config), DatabaseModule],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const prisma = app.get(PrismaService);
      expect(prisma.databaseKind).toBe(kind);
      expect(app.get<DatabaseDriver>(DATABASE_DRIVER).kind).toBe(kind);
      await prisma.tenant.create({ data: { slug: 'boot', name: 'Boot' } });
      expect(await prisma.tenant.count()).toBe(1);
    } finally {
      await app.close();
      await db.dispose();
    }
  });
});
