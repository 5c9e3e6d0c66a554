/**
 * "No acknowledged event may be lost": the built server runs in a child process, tool calls are made
 * with the official MCP client, and the process is SIGKILLed the moment the first answer arrives — no
 * shutdown hook, no flush. Every call whose answer reached the client must have its event in the
 * database afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { run } from '../../../apps/cli/src/main.js';
import { jsonDigest } from '../../../src/audit/audit-chain.js';
import { toAuditJson } from '../../../src/audit/audit-json.js';
import { createDriver } from '../../../src/database/driver.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../support/database.js';

const root = resolve(import.meta.dirname, '../../..');
const TOOL = 'json_schema_2020_12_tool';
const CALLS = 24;

beforeAll(() => {
  const built = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`nest build failed:\n${built.stdout}${built.stderr}`);
}, 120_000);

describe.each(testDatabaseKinds())('killing the server right after a tool call (%s)', (kind) => {
  let db: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  let server: ChildProcess | null = null;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataDir = await mkdtemp(join(tmpdir(), 'sb-audit-crash-'));
    env = {
      NODE_ENV: 'production',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    if (db.config.kind === 'postgres') env.DATABASE_URL = db.config.url;
    // The embedded database lives in <data dir>/pglite: move the migrated copy there.
    else await rename(db.config.dataDir, join(dataDir, 'pglite'));
  });

  afterAll(async () => {
    server?.kill('SIGKILL');
    await db?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<Record<string, unknown>> {
    let out = '';
    const code = await run([...argv, '--json'], env, {
      out: (s) => void (out += s),
      err: (s) => void (out += s),
    });
    if (code !== 0) throw new Error(`switchboard ${argv.join(' ')}: exit ${code}: ${out}`);
    return JSON.parse(out) as Record<string, unknown>;
  }

  function startServer(): Promise<string> {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    return new Promise((resolvePromise, reject) => {
      let output = '';
      const onData = (b: Buffer): void => {
        output += b.toString();
        const m = /listening on (http:\/\/[^\s,)]+)/.exec(output);
        if (m) resolvePromise(m[1]!);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (b: Buffer) => void (output += b.toString()));
      child.once('exit', (code) =>
        reject(new Error(`server exited (${code}) before it was ready:\n${output}`)),
      );
    });
  }

  it('loses no event of a call whose answer arrived', async () => {
    const slug = `crash-${randomBytes(3).toString('hex')}`;
    const tenant = await cli('tenant', 'create', slug, '--owner', `owner@${slug}.example`);
    await cli('pack', 'enable', 'protocol-test-kit', '--tenant', slug);
    const { key } = (await cli('key', 'create', '--tenant', slug)) as { key: string };

    const url = await startServer();
    const client = new Client({ name: 'crash-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/t/${slug}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
    // One call first, so the server is warm and the kill lands among concurrent ones.
    await client.callTool({ name: TOOL, arguments: { name: 'warm-up' } });

    const answered: string[] = [];
    let firstAnswer: () => void = () => undefined;
    const gotOne = new Promise<void>((r) => (firstAnswer = r));
    const exited = new Promise<void>((r) => server!.once('exit', () => r()));
    const calls = Array.from({ length: CALLS }, (_, i) => {
      const name = `call-${i}`;
      return client.callTool({ name: TOOL, arguments: { name } }).then(() => {
        answered.push(name);
        // The moment the first answer is in: no graceful anything.
        server?.kill('SIGKILL');
        firstAnswer();
      });
    });
    await gotOne;
    await exited;
    expect(server!.signalCode).toBe('SIGKILL');
    // Closing the client fails the calls still waiting (their answers can no longer come).
    await client.close().catch(() => undefined);
    await Promise.allSettled(calls);
    expect(answered.length).toBeGreaterThan(0);

    const driver = await createDriver(
      db.config.kind === 'postgres' ? db.config : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
    );
    const prisma = new PrismaService(driver);
    try {
      const events = await prisma.auditEvent.findMany({
        where: { tenantId: tenant.id as string, action: 'tool.call', target: TOOL },
        orderBy: { seq: 'asc' },
      });
      const digests = new Set(events.map((e) => (e.data as { argsDigest?: string }).argsDigest));
      for (const name of ['warm-up', ...answered]) {
        expect(digests.has(jsonDigest(toAuditJson({ name }, { redact: false })))).toBe(true);
      }
      // Whatever else made it is a valid chain: seq without gaps, each linking to the one before.
      const seqs = (
        await prisma.auditEvent.findMany({
          where: { tenantId: tenant.id as string },
          orderBy: { seq: 'asc' },
        })
      ).map((e) => Number(e.seq));
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      process.stdout.write(
        `${kind}: ${answered.length} of ${CALLS} answers arrived before the kill; ${events.length - 1} call events stored\n`,
      );
    } finally {
      await prisma.close();
    }
    const verify = await cli('audit', 'verify', '--tenant', slug);
    expect(verify).toMatchObject({ ok: true });
  }, 120_000);
});
