/**
 * Operations of one node, in process: the graceful shutdown sequence (readiness first, requests in flight
 * finish, SSE streams end cleanly, new connections refused), nodes that must not migrate at boot, and the
 * signing-key rotation job switching the authorization server to the new key.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { startApp } from '../../../src/bootstrap.js';
import { loadConfig } from '../../../src/config/index.js';
import { createDriver } from '../../../src/database/driver.js';
import { pendingMigrations } from '../../../src/database/migrator.js';
import { defaultMigrationsDir } from '../../../src/database/paths.js';
import { SigningKeyRotationService } from '../../../src/oauth/signing-key-rotation.service.js';
import { createTenant, startTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, testDatabaseKinds } from '../../support/database.js';
import { eventually } from '../cluster/support.js';

const DAY = 86_400_000;

describe('graceful shutdown', () => {
  it('turns readiness down first, lets a stream end cleanly, refuses new connections, then closes', async () => {
    const app = await startTestApp({ SWITCHBOARD_SHUTDOWN_DELAY_SECONDS: '1', PORT: '0' });
    let closed = false;
    try {
      const t = await createTenant(app, { packs: ['protocol-test-kit'] });
      const init = await fetch(t.mcpUrl, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${t.key}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '1' },
          },
        }),
      });
      await init.text();
      const sessionId = init.headers.get('mcp-session-id')!;
      const stream = await fetch(t.mcpUrl, {
        headers: {
          Authorization: `Bearer ${t.key}`,
          Accept: 'text/event-stream',
          'Mcp-Session-Id': sessionId,
        },
      });
      expect(stream.status).toBe(200);
      const ended = (async () => {
        const reader = stream.body!.getReader();
        for (;;) if ((await reader.read()).done) return 'clean end';
      })().catch((e: unknown) => `error: ${(e as Error).message}`);

      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
      const shutdown = app.running.shutdown('test');
      // During the delay the node still serves, but says it should get no new traffic.
      const ready = await fetch(`${app.url}/health/ready`, { headers: { Connection: 'close' } });
      expect(ready.status).toBe(503);
      expect((await fetch(`${app.url}/health/live`, { headers: { Connection: 'close' } })).status).toBe(200);
      const report = await shutdown;
      closed = true;
      expect(report.cutRequests).toBe(0);
      expect(await ended).toBe('clean end');
      await expect(fetch(`${app.url}/health/live`)).rejects.toThrow();
    } finally {
      if (!closed) await app.close();
      else await app.close().catch(() => undefined);
    }
  });
});

describe('SWITCHBOARD_MIGRATE_ON_BOOT=false', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('lists every migration as pending on an empty database, and none on a migrated one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-empty-'));
    dirs.push(dir);
    const empty = await createDriver({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      const pending = await pendingMigrations(empty, defaultMigrationsDir());
      expect(pending.length).toBeGreaterThan(0);
    } finally {
      await empty.close();
    }
    const db = await createTestDatabase(testDatabaseKinds().at(-1)!);
    const migrated = await createDriver(db.config);
    try {
      expect(await pendingMigrations(migrated, defaultMigrationsDir())).toEqual([]);
    } finally {
      await migrated.close();
      await db.dispose();
    }
  });

  it('refuses to start on a database that lacks migrations, naming them and the command to run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-nomigrate-'));
    dirs.push(dir);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      SWITCHBOARD_DATA_DIR: dir,
      SWITCHBOARD_MIGRATE_ON_BOOT: 'false',
      SWITCHBOARD_SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
    });
    await expect(startApp(config, { seed: false })).rejects.toThrow(
      /lacks \d+ migration\(s\).*switchboard db migrate/,
    );
  });
});

describe('signing-key rotation', () => {
  let app: TestApp;
  afterAll(async () => app?.close());

  it('makes a new key only when the signing one is old enough, and the server publishes it', async () => {
    app = await startTestApp();
    const rotation = app.running.app.get(SigningKeyRotationService);
    const jwks = async () =>
      ((await (await fetch(`${app.url}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      );
    const before = await jwks();
    expect(await rotation.rotateIfDue(new Date())).toBeNull();
    const kid = await rotation.rotateIfDue(new Date(Date.now() + 91 * DAY));
    expect(kid).toBeTruthy();
    // Every node reloads on the bus message (asynchronously, here too).
    const after = await eventually('the new key published', async () => {
      const kids = await jwks();
      return kids.includes(kid!) ? kids : undefined;
    });
    // The previous key is still published, so tokens it signed keep verifying.
    expect(after).toEqual(expect.arrayContaining(before));
  });
});
