/**
 * Liveness and readiness on each database kind (PGlite always, PostgreSQL when TEST_DATABASE_URL is set),
 * with Redis when TEST_REDIS_URL is set, and readiness turning down as soon as shutdown begins.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { startApp, type RunningApp } from '../../../src/bootstrap.js';
import { loadConfig } from '../../../src/config/index.js';
import { Lifecycle } from '../../../src/health/lifecycle.service.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../support/database.js';

interface Started {
  readonly running: RunningApp;
  readonly url: string;
  close(): Promise<void>;
}

async function start(kind: 'pglite' | 'postgres', env: Record<string, string> = {}): Promise<Started> {
  const db: TestDatabase = await createTestDatabase(kind);
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-health-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
    SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
    SWITCHBOARD_CONTROLS: 'none',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startApp({ ...config, database: db.config }, { seed: false });
  return {
    running,
    url: running.url,
    async close() {
      await running.close();
      await db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const redisEnv: Record<string, string> = process.env.TEST_REDIS_URL
  ? {
      REDIS_URL: process.env.TEST_REDIS_URL,
      SWITCHBOARD_REDIS_KEY_PREFIX: `sbtest-health-${randomBytes(4).toString('hex')}:`,
    }
  : {};

describe.each(testDatabaseKinds())('health on %s', (kind) => {
  let app: Started;

  beforeAll(async () => {
    app = await start(kind, redisEnv);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is live', async () => {
    const res = await fetch(`${app.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('is ready: the database answers, and Redis when configured', async () => {
    const res = await fetch(`${app.url}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; info: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.info.database).toEqual({ status: 'up' });
    expect(body.info.lifecycle).toEqual({ status: 'up' });
    if (redisEnv.REDIS_URL) expect(body.info.redis).toEqual({ status: 'up' });
    else expect(body.info.redis).toBeUndefined();
  });
});

describe('readiness without Redis', () => {
  it('is down, naming Redis and nothing more, when the configured Redis does not answer', async () => {
    // Port 1 on loopback: nothing listens, so every connection attempt is refused.
    const app = await start(testDatabaseKinds()[0]!, { REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    try {
      const res = await fetch(`${app.url}/health/ready`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', message: 'redis does not answer' } },
        info: { database: { status: 'up' } },
      });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('127.0.0.1');
    } finally {
      await app.close();
    }
  });
});

describe('readiness during shutdown', () => {
  it('answers 503 as soon as shutdown begins, while the server still serves requests', async () => {
    const app = await start(testDatabaseKinds()[0]!);
    try {
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
      // What the SIGTERM listener does, without sending a signal to the test runner.
      app.running.app.get(Lifecycle).beginShutdown('SIGTERM');
      const res = await fetch(`${app.url}/health/ready`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as {
        status: string;
        error: Record<string, { status: string; message?: string }>;
      };
      expect(body.status).toBe('error');
      expect(body.error.lifecycle).toEqual({ status: 'down', message: 'shutting down' });
      // Liveness is unaffected: the process is healthy, it is only leaving.
      expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('turns readiness down on a termination signal, and stops listening when closed', async () => {
    const app = await start(testDatabaseKinds()[0]!);
    const lifecycle = app.running.app.get(Lifecycle);
    try {
      expect(process.listeners('SIGTERM')).toContain(lifecycle.signalListener);
      expect(process.listeners('SIGINT')).toContain(lifecycle.signalListener);
      // Invoked directly: raising a real signal would also run Nest's hook, which re-raises it to end the process.
      lifecycle.signalListener('SIGTERM');
      expect(lifecycle.draining).toBe(true);
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(503);
    } finally {
      await app.close();
    }
    expect(process.listeners('SIGTERM')).not.toContain(lifecycle.signalListener);
    expect(process.listeners('SIGINT')).not.toContain(lifecycle.signalListener);
  });
});
