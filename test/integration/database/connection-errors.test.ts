import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '../../../src/config/index.js';
import { DatabaseConnectionError, describePostgresUrl } from '../../../src/database/database-errors.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { createDriver } from '../../../src/database/driver.js';

jest.setTimeout(60_000);

const PASSWORD = 'hunter2-S3cret';

describe('a database that cannot be opened', () => {
  it('names the PostgreSQL database without its password (server not listening)', async () => {
    const url = `postgresql://switchboard:${PASSWORD}@127.0.0.1:1/prod_db`;
    const error = await createDriver({ kind: 'postgres', url, poolSize: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    const message = (error as Error).message;
    expect(message).toContain('PostgreSQL database "prod_db" on 127.0.0.1:1 as user "switchboard"');
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
    expect(String((error as Error).stack)).not.toContain(PASSWORD);
  });

  it('stops Nest boot with that message', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: `postgres://app:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/app_db`,
    });
    const error = await Test.createTestingModule({
      imports: [ConfigModule.forConfig(config), DatabaseModule],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    expect((error as Error).message).toMatch(
      /^Cannot connect to PostgreSQL database "app_db" on 127\.0\.0\.1:1/,
    );
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('names the PGlite folder when it cannot be created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sbtest-badpglite-'));
    try {
      const file = join(root, 'not-a-folder');
      await writeFile(file, 'x');
      const error = await createDriver({ kind: 'pglite', dataDir: join(file, 'pglite') }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseConnectionError);
      expect((error as Error).message).toContain(join(file, 'pglite'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('describes URLs without credentials', () => {
    expect(describePostgresUrl(`postgresql://u:${PASSWORD}@db.internal:6543/main?sslmode=require`)).toBe(
      'PostgreSQL database "main" on db.internal:6543 as user "u"',
    );
    expect(describePostgresUrl('postgresql:///main')).toBe('PostgreSQL database "main" on local socket');
  });
});
