/**
 * Background jobs on real databases, with several JobsService instances standing for several processes
 * sharing one database: a crashed runner's job is marked failed by the next sweep (at once at boot on the
 * embedded database, once its lease ran out on PostgreSQL), a clean shutdown records its jobs as
 * interrupted, and a cancellation made by another process stops the runner.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../../src/jobs/job.repository.js';
import { JobRepository } from '../../../src/jobs/job.repository.js';
import { JobsService, LEASE_MS } from '../../../src/jobs/jobs.service.js';
import { createTestPrisma, testDatabaseKinds } from '../../support/database.js';

const ACTOR = { type: 'user' as const, id: randomUUID() };

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDatabaseKinds())('background jobs on %s', (kind) => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers.reverse()) await d();
  });

  async function setup() {
    const t = await createTestPrisma(kind);
    disposers.push(t.dispose);
    const tenant = await t.prisma.tenant.create({
      data: { slug: `j-${randomUUID().slice(0, 8)}`, name: 'Jobs' },
    });
    const repo = new JobRepository(t.prisma);
    return { prisma: t.prisma, repo, scope: { tenantId: tenant.id } };
  }

  it('marks a job whose process died failed at the next sweep, saying it was interrupted', async () => {
    const { repo, scope } = await setup();
    const crashed = new JobsService(repo);
    const row = await crashed.start(
      scope,
      { kind: 'check', actor: ACTOR },
      () => new Promise(() => undefined),
    );
    // The process dies: no more lease renewals, nothing recorded.
    crashed.onApplicationShutdown();
    expect((await repo.find(scope, row.id))?.status).toBe('running');

    const next = new JobsService(repo);
    await next.onApplicationBootstrap();
    next.onApplicationShutdown();
    if (kind === 'pglite') {
      // One process owns the embedded database: at boot, nothing unfinished can still be running.
      expect((await repo.find(scope, row.id))?.status).toBe('failed');
    } else {
      // Another node may hold a live lease: only an expired one is taken for a dead runner.
      expect((await repo.find(scope, row.id))?.status).toBe('running');
      expect(await next.sweep(new Date(Date.now() + LEASE_MS + 1_000))).toBe(1);
    }
    const failed = await repo.find(scope, row.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'interrupted', leaseUntil: null });
    expect(failed?.finishedAt).not.toBeNull();
    expect(failed?.result).toMatchObject({ interrupted: true, reason: expect.stringMatching(/stopped/) });
  });

  it('records its own jobs as interrupted when it shuts down cleanly, with what they had done', async () => {
    const { repo, scope } = await setup();
    const node = new JobsService(repo);
    const row = await node.start(scope, { kind: 'vault-rotation', actor: ACTOR }, async (job) => {
      job.progress({ done: 1, total: 3 });
      await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
      return { status: 'paused', done: 1, total: 3 } satisfies JsonObject;
    });
    await until(
      () => repo.find(scope, row.id),
      (j) => (j?.progress as { done?: number })?.done === 1,
      'progress',
    );
    await node.beforeApplicationShutdown();
    node.onApplicationShutdown();
    const done = await repo.find(scope, row.id);
    expect(done).toMatchObject({
      status: 'failed',
      error: 'interrupted',
      progress: { done: 1, total: 3 },
      result: { interrupted: true, partial: { status: 'paused', done: 1 } },
    });
  });

  it('stops a job cancelled by another node, keeps it cancelled and attaches its partial result', async () => {
    const { repo, scope } = await setup();
    const runner = new JobsService(repo);
    const other = new JobsService(repo);
    let steps = 0;
    const row = await runner.start(scope, { kind: 'check', actor: ACTOR }, async (job) => {
      while (!job.signal.aborted) {
        job.progress({ step: ++steps });
        await new Promise((r) => setTimeout(r, 20));
      }
      return { outcome: 'incomplete', steps } satisfies JsonObject;
    });
    await until(
      () => repo.find(scope, row.id),
      (j) => j?.progress !== null,
      'first progress',
    );
    const cancelled = await other.cancel(scope, row.id);
    expect(cancelled.status).toBe('cancelled');
    const final = await until(
      () => repo.find(scope, row.id),
      (j) => j?.result !== null,
      'partial result',
    );
    expect(final).toMatchObject({ status: 'cancelled', result: { outcome: 'incomplete' } });
    expect(runner.runsHere(row.id)).toBe(false);
    await expect(other.cancel(scope, row.id)).rejects.toThrow(/already finished/);
    runner.onApplicationShutdown();
    other.onApplicationShutdown();
  });

  it('fails a job whose work throws, with a correlation id instead of internals', async () => {
    const { repo, scope } = await setup();
    const node = new JobsService(repo);
    const row = await node.start(scope, { kind: 'check', actor: ACTOR }, async () => {
      throw new Error('connection string postgres://user:secret@db/x refused');
    });
    const failed = await until(
      () => repo.find(scope, row.id),
      (j) => j?.status !== 'running',
      'failure',
    );
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^unexpected error \(correlation id [0-9a-f-]{36}\)$/);
    node.onApplicationShutdown();
  });
});
