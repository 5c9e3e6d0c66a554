/**
 * The acceptance case as an operator deploys it: two `node dist/src/main.js` processes behind no load
 * balancer affinity, one PostgreSQL database, one Redis. The tenant is set up with the `switchboard` CLI;
 * requests alternate between the processes and meet ONE limit, counted once per request in Redis.
 *
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL (`.ci/run` sets both) and the build (`npm test` builds
 * before the integration suite; the test builds when dist/ is missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { run } from '../../../apps/cli/src/main.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { freePort, mcpRequest, uniquePrefix } from './support.js';

jest.setTimeout(120_000);

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const available = Boolean(databaseUrl && redisUrl);
if (!available) {
  if (process.env.CI === 'true') throw new Error('CI must set TEST_DATABASE_URL and TEST_REDIS_URL');
  process.stderr.write('\n!!! two-processes.test.ts NOT RUN: set TEST_DATABASE_URL and TEST_REDIS_URL\n\n');
}
const suite = available ? describe : describe.skip;
const MAIN = join(process.cwd(), 'dist/src/main.js');

interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      if (output.includes('Switchboard is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { url: `http://localhost:${port}`, child };
}

async function stopServer(s: ServerProcess | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

suite('two server processes sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  let servers: ServerProcess[] = [];
  const prefix = uniquePrefix();
  const slug = `rl-${randomBytes(4).toString('hex')}`;

  async function cli(...argv: string[]): Promise<unknown> {
    const out: string[] = [];
    const code = await run([...argv, '--json'], env, {
      out: (s) => void out.push(s),
      err: (s) => void out.push(s),
    });
    if (code !== 0) throw new Error(`switchboard ${argv.join(' ')} exited with ${code}: ${out.join('')}`);
    return JSON.parse(out.join('')) as unknown;
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) {
      const build = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
        stdio: 'inherit',
      });
      if (build.status !== 0) throw new Error('nest build failed');
    }
    db = await createTestDatabase('postgres');
    dataDir = await mkdtemp(join(tmpdir(), 'sb-rl-proc-'));
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url!,
      REDIS_URL: redisUrl!,
      SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
      SWITCHBOARD_DATA_DIR: dataDir,
      // What every node of one installation shares.
      SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_REQUEST_STATE_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_CONTROLS: 'ratelimit,audit',
      SWITCHBOARD_SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    };
    await cli('tenant', 'create', slug, '--owner', `owner@${slug}.example`);
    await cli('pack', 'enable', 'protocol-test-kit', '--tenant', slug);
    await cli(
      'plan',
      'set',
      '--tenant',
      slug,
      '--plan',
      'team',
      '--override',
      '{"principal":{"points":5,"windowSeconds":120}}',
    );
    servers = [await startServer(env), await startServer(env)];
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    if (redisUrl) {
      const r = new Redis(redisUrl);
      const keys = await r.keys(`${prefix}*`);
      if (keys.length > 0) await r.del(...keys);
      await r.quit();
    }
    await db?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('enforce one combined limit, counting each request once', async () => {
    const { key, id } = (await cli('key', 'create', '--tenant', slug)) as { key: string; id: string };
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const server = servers[i % 2]!;
      codes.push((await mcpRequest(`${server.url}/t/${slug}/mcp`, key, 'tools/list', {}, i)).status);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const r = new Redis(redisUrl!);
    try {
      const tenant = (await cli('plan', 'show', '--tenant', slug)) as { tenant: string };
      expect(tenant.tenant).toBe(slug);
      const keys = await r.keys(`${prefix}rl:principal:*:api_key:${id}`);
      expect(keys).toHaveLength(1);
      expect(Number(await r.get(keys[0]!))).toBe(8);
    } finally {
      await r.quit();
    }
  });
});
