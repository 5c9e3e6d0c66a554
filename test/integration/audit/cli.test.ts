/**
 * `switchboard audit …` run in-process against a real database: verify's exit code and first broken
 * link, export to a file, list with filters, settings, prune; CLI changes are audited as the OS user.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDriver } from '../../../src/database/driver.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { createCliHarness, type CliHarness } from '../../support/cli.js';
import { testDatabaseKinds } from '../../support/database.js';

describe.each(testDatabaseKinds())('switchboard audit on %s', (kind) => {
  let h: CliHarness;
  const cli = (...argv: string[]) => h.cli(...argv);
  const json = <T>(...argv: string[]) => h.json<T>(...argv);

  beforeAll(async () => {
    h = await createCliHarness(kind);
  });

  afterAll(async () => {
    await h?.dispose();
  });

  /** Direct database access for tampering, as an attacker with write access would have. */
  async function withPrisma<T>(fn: (p: PrismaService) => Promise<T>): Promise<T> {
    const driver = await createDriver(h.db.config);
    const prisma = new PrismaService(driver);
    try {
      return await fn(prisma);
    } finally {
      await prisma.close();
    }
  }

  it('audits CLI changes as the OS user, lists, verifies, and names the first broken link', async () => {
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    await json('tenant', 'create', slug, '--owner', `o@${slug}.example`);
    await json('endpoint', 'create', 'sales', '--tenant', slug);
    await json('key', 'create', '--tenant', slug, '--name', 'ci');

    const page = await json<{ events: { action: string; actor: { type: string; id: string } }[] }>(
      'audit',
      'list',
      '--tenant',
      slug,
      '--kind',
      'admin',
    );
    expect(page.events.map((e) => e.action).reverse()).toEqual([
      'tenant.create',
      'pack.enable',
      'member.add',
      'endpoint.create',
      'key.create',
    ]);
    expect(page.events.every((e) => e.actor.type === 'cli' && e.actor.id === userInfo().username)).toBe(true);
    expect((await cli('audit', 'list', '--tenant', slug, '--action', 'endpoint.*')).out).toMatch(
      /endpoint\.create/,
    );

    const ok = await cli('audit', 'verify', '--tenant', slug);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/intact, 5 event\(s\)/);

    await withPrisma(async (p) => {
      const t = await p.tenant.findUniqueOrThrow({ where: { slug } });
      await p.$executeRaw`UPDATE "AuditEvent" SET "actorId" = 'mallory' WHERE "tenantId" = ${t.id}::uuid AND "seq" = 3`;
    });
    const broken = await cli('audit', 'verify', '--tenant', slug);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/broken at seq 3: event 3 does not match its hash/);
    const brokenJson = await cli('audit', 'verify', '--tenant', slug, '--json');
    expect(JSON.parse(brokenJson.out)).toMatchObject({
      error: {
        code: 'failed_precondition',
        details: { ok: false, break: { seq: '3', reason: 'hash_mismatch' } },
      },
    });
  });

  it('exports to a private file, changes settings and prunes', async () => {
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    await json('tenant', 'create', slug);
    const file = join(h.env.SWITCHBOARD_DATA_DIR!, `${slug}.csv`);
    expect((await cli('audit', 'export', '--tenant', slug, '--format', 'csv', '--out', file)).code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,id,tenantId,at,kind,actorType,actorId,action,target,outcome,data,prevHash,hash',
    );
    expect(lines.length).toBeGreaterThan(1);
    expect((await cli('audit', 'export', '--tenant', slug, '--format', 'xml')).code).toBe(2);

    expect(
      await json('audit', 'settings', '--tenant', slug, '--raw-arguments', 'on', '--retention-days', '30'),
    ).toMatchObject({
      recordRawArguments: true,
      retentionDays: 30,
      retentionIsDefault: false,
    });
    expect(await json('audit', 'settings', '--tenant', slug, '--retention-days', 'default')).toMatchObject({
      retentionDays: 365,
      retentionIsDefault: true,
    });
    expect((await cli('audit', 'settings', '--tenant', slug, '--raw-arguments', 'maybe')).code).toBe(2);
    const runs = await json<{ pruned: number }[]>('audit', 'prune', '--tenant', slug);
    expect(runs).toEqual([expect.objectContaining({ pruned: 0, skipped: false })]);
    // The export and both settings changes are on the log.
    const actions = (
      await json<{ events: { action: string }[] }>('audit', 'list', '--tenant', slug)
    ).events.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['audit.settings.update', 'audit.settings.update', 'audit.export']);
  });
});
