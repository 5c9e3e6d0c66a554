import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/auth/api-key.service.js';
import { startApp, type RunningApp } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/config/index.js';
import { TenancyService } from '../../src/tenancy/tenancy.service.js';
import { WorkspaceService } from '../../src/workspace/workspace.service.js';
import { createTestDatabase, type TestDatabaseKind } from './database.js';

export interface TestApp {
  readonly running: RunningApp;
  readonly url: string;
  readonly config: AppConfig;
  readonly tenancy: TenancyService;
  readonly apiKeys: ApiKeyService;
  readonly workspace: WorkspaceService;
  close(): Promise<void>;
}

/** The production database kind when it is available (CI), the embedded one otherwise. */
export function e2eDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** Starts the whole server on a free loopback port with its own database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase(e2eDatabaseKind());
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-e2e-'));
  const base = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
    SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const config: AppConfig = { ...base, database: db.config };
  const running = await startApp(config, { seed: false });
  const port = new URL(running.url).port;
  return {
    running,
    url: `http://localhost:${port}`,
    config,
    tenancy: running.app.get(TenancyService),
    apiKeys: running.app.get(ApiKeyService),
    workspace: running.app.get(WorkspaceService),
    async close() {
      await running.close();
      await db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A new tenant with an owner and an API key; each test makes its own. */
export async function createTenant(
  app: TestApp,
  opts: { readonly packs?: readonly string[]; readonly role?: 'owner' | 'admin' | 'member' | 'viewer' } = {},
): Promise<{ readonly slug: string; readonly key: string; readonly mcpUrl: string }> {
  const slug = uniqueSlug('t');
  await app.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  for (const pack of opts.packs ?? []) await app.tenancy.enablePack(slug, pack, { endpointSlug: 'default' });
  let userEmail: string | undefined;
  if (opts.role && opts.role !== 'owner') {
    userEmail = `${opts.role}@${slug}.example`;
    await app.tenancy.addMember(slug, userEmail, opts.role);
  }
  const { key } = await app.apiKeys.create(slug, { userEmail });
  return { slug, key, mcpUrl: `${app.url}/t/${slug}/mcp` };
}
