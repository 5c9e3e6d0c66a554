/**
 * The audit chain on a real database: events of every kind, verification and the tampering it must
 * catch, concurrent appends (one process and two sharing PostgreSQL), export round trips and retention
 * checkpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { AuditEventView } from '../../../src/audit/audit-export.js';
import { unescapeCsvField } from '../../../src/audit/audit-export.js';
import { REDACTED } from '../../../src/audit/audit-json.js';
import type { AuditEventInput } from '../../../src/audit/audit.contract.js';
import { testDatabaseKinds } from '../../support/database.js';
import { createAuditEnv, uniqueSlug, type AuditEnv, type AuditNode } from './support.js';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const c of chunks) text += c;
  return text;
}

describe.each(testDatabaseKinds())('audit chain on %s', (kind) => {
  let env: AuditEnv;
  let node: AuditNode;

  beforeAll(async () => {
    env = await createAuditEnv(kind);
    node = await env.node();
  });

  afterAll(async () => {
    await env?.dispose();
  });

  async function tenant(): Promise<{ slug: string; id: string }> {
    const t = await node.tenancy.createTenant({ slug: uniqueSlug('audit') });
    return { slug: t.slug, id: t.id };
  }

  function event(tenantId: string, i: number, over: Partial<AuditEventInput> = {}): AuditEventInput {
    return {
      tenantId,
      kind: 'tool_call',
      action: 'tool.call',
      actor: { type: 'api_key', id: `key-${i % 3}` },
      target: `tool_${i % 5}`,
      outcome: 'success',
      data: { i },
      ...over,
    };
  }

  async function record(tenantId: string, n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, (_, i) => node.writer.record(event(tenantId, i))));
  }

  async function rows(tenantId: string) {
    return node.prisma.auditEvent.findMany({ where: { tenantId }, orderBy: { seq: 'asc' } });
  }

  it('records events of every kind, redacts secrets, and verifies', async () => {
    const t = await tenant();
    const kinds: AuditEventInput[] = [
      event(t.id, 1, {
        data: {
          argsDigest: 'sha256:00',
          latencyMs: 3.5,
          nested: { password: 'hunter2', tokenType: 'bearer', note: 'Bearer abcdefghijklmnop' },
        },
      }),
      {
        tenantId: t.id,
        kind: 'auth',
        action: 'signin.failure',
        actor: { type: 'anonymous', id: null },
        target: 'a@b.example',
        outcome: 'failure',
        data: { ip: '203.0.113.7' },
      },
      {
        tenantId: t.id,
        kind: 'token',
        action: 'token.issued',
        actor: { type: 'oauth_client', id: 'client-1' },
        target: 'client-1',
        outcome: 'success',
        data: { refresh_token: 'rt-secret', grantId: 'g1' },
      },
      {
        tenantId: t.id,
        kind: 'denial',
        action: 'ratelimit.exceeded',
        actor: { type: 'user', id: 'u1' },
        target: 'echo',
        outcome: 'denied',
        data: { retryAfterSeconds: 3 },
      },
      {
        tenantId: t.id,
        kind: 'admin',
        action: 'endpoint.create',
        actor: { type: 'cli', id: 'root' },
        target: 'sales',
        outcome: 'success',
        data: { after: { slug: 'sales', clientSecret: 'cs' } },
      },
    ];
    for (const e of kinds) await node.writer.record(e);

    const stored = (await rows(t.id)).filter(
      (r) => r.action !== 'tenant.create' && r.action !== 'pack.enable',
    );
    expect(stored.map((r) => r.kind)).toEqual(['tool_call', 'auth', 'token', 'denial', 'admin']);
    expect(stored[0]!.data).toEqual({
      argsDigest: 'sha256:00',
      latencyMs: 3.5,
      nested: { password: REDACTED, tokenType: 'bearer', note: REDACTED },
    });
    expect(stored[2]!.data).toEqual({ refresh_token: REDACTED, grantId: 'g1' });
    expect(stored[4]!.data).toEqual({ after: { slug: 'sales', clientSecret: REDACTED } });
    expect(JSON.stringify(stored.map((r) => r.data))).not.toMatch(/hunter2|rt-secret|abcdefghijklmnop/);

    const report = await node.audit.verify(t.slug);
    expect(report).toMatchObject({ ok: true, break: null, firstSeq: '1' });
    expect(report.checked).toBe(Number(report.lastSeq));
  });

  it('refuses malformed events with a clear error', async () => {
    const t = await tenant();
    await expect(node.writer.record(event(t.id, 0, { kind: 'bogus' as never }))).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(node.writer.record(event('not-a-uuid', 0))).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('finds an edited event', async () => {
    const t = await tenant();
    await record(t.id, 6);
    await node.prisma
      .$executeRaw`UPDATE "AuditEvent" SET "outcome" = 'failure' WHERE "tenantId" = ${t.id}::uuid AND "seq" = 4`;
    const report = await node.audit.verify(t.slug);
    expect(report.ok).toBe(false);
    expect(report.break).toMatchObject({ seq: '4', reason: 'hash_mismatch' });
  });

  it('finds a re-hashed edit by its broken link', async () => {
    const t = await tenant();
    await record(t.id, 6);
    // A careful forger recomputes the edited event's hash; the next event no longer links to it.
    await node.prisma
      .$executeRaw`UPDATE "AuditEvent" SET "hash" = repeat('a', 64), "target" = 'x' WHERE "tenantId" = ${t.id}::uuid AND "seq" = 3`;
    const report = await node.audit.verify(t.slug);
    expect(report.break).toMatchObject({ seq: '3', reason: 'hash_mismatch' });
  });

  it('finds a deleted event', async () => {
    const t = await tenant();
    await record(t.id, 6);
    await node.prisma.$executeRaw`DELETE FROM "AuditEvent" WHERE "tenantId" = ${t.id}::uuid AND "seq" = 5`;
    const report = await node.audit.verify(t.slug);
    expect(report.break).toMatchObject({ seq: '5', reason: 'seq_gap' });
  });

  it('finds events deleted from the end of the log', async () => {
    const t = await tenant();
    await record(t.id, 6);
    const last = (await rows(t.id)).at(-1)!.seq;
    await node.prisma
      .$executeRaw`DELETE FROM "AuditEvent" WHERE "tenantId" = ${t.id}::uuid AND "seq" >= ${last - 1n}`;
    const report = await node.audit.verify(t.slug);
    expect(report.break).toMatchObject({ seq: String(last - 1n), reason: 'head_mismatch' });
  });

  it('finds two swapped events', async () => {
    const t = await tenant();
    await record(t.id, 6);
    // Swap the positions of seq 3 and 4 (through a free seq, the pair is unique).
    await node.prisma.$transaction([
      node.prisma
        .$executeRaw`UPDATE "AuditEvent" SET "seq" = -1 WHERE "tenantId" = ${t.id}::uuid AND "seq" = 3`,
      node.prisma
        .$executeRaw`UPDATE "AuditEvent" SET "seq" = 3 WHERE "tenantId" = ${t.id}::uuid AND "seq" = 4`,
      node.prisma
        .$executeRaw`UPDATE "AuditEvent" SET "seq" = 4 WHERE "tenantId" = ${t.id}::uuid AND "seq" = -1`,
    ]);
    const report = await node.audit.verify(t.slug);
    expect(report.break).toMatchObject({ seq: '3', reason: 'hash_mismatch' });
  });

  it('never forks the chain under concurrent appends, and groups them into few transactions', async () => {
    const t = await tenant();
    const before = node.writer.stats();
    await record(t.id, 400);
    const after = node.writer.stats();
    const seqs = (await rows(t.id)).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(after.eventsWritten - before.eventsWritten).toBe(400);
    // Group commit: far fewer transactions than events.
    expect(after.transactions - before.transactions).toBeLessThan(100);
    expect(after.writeLatencyMs.count - before.writeLatencyMs.count).toBe(400);
    expect((await node.audit.verify(t.slug)).ok).toBe(true);
  });

  if (kind === 'postgres') {
    it('never forks the chain when two processes append to one tenant at once', async () => {
      const other = await env.node();
      const t = await tenant();
      const both = Array.from({ length: 300 }, (_, i) =>
        (i % 2 === 0 ? node : other).writer.record(event(t.id, i, { data: { i, node: i % 2 } })),
      );
      await Promise.all(both);
      const stored = await rows(t.id);
      expect(stored.map((r) => Number(r.seq))).toEqual(
        Array.from({ length: stored.length }, (_, i) => i + 1),
      );
      expect(new Set(stored.map((r) => r.prevHash)).size).toBe(stored.length);
      expect(stored.filter((r) => (r.data as { node?: number }).node === 1)).toHaveLength(150);
      expect((await other.audit.verify(t.slug)).ok).toBe(true);
    });

    it('lets two processes run retention on one tenant at once without a double checkpoint', async () => {
      const other = await env.node();
      const t = await tenant();
      await record(t.id, 20);
      await new Promise((r) => setTimeout(r, 10));
      const cutoff = new Date();
      const [a, b] = await Promise.all([
        node.retention.pruneTenant(t.id, cutoff),
        other.retention.pruneTenant(t.id, cutoff),
      ]);
      // One pruned (or both, one after the other, the second finding nothing); never the same prefix twice.
      expect(a.pruned + b.pruned).toBeGreaterThanOrEqual(20);
      const checkpoints = await node.prisma.auditCheckpoint.findMany({ where: { tenantId: t.id } });
      expect(checkpoints).toHaveLength(1);
      expect(await rows(t.id)).toHaveLength(0);
      expect((await node.audit.verify(t.slug)).ok).toBe(true);
    });
  }

  it('pages newest first with filters and an opaque cursor', async () => {
    const t = await tenant();
    for (let i = 0; i < 7; i++) await node.writer.record(event(t.id, i));
    await node.writer.record({
      tenantId: t.id,
      kind: 'auth',
      action: 'signin.success',
      actor: { type: 'user', id: 'u1' },
      outcome: 'success',
    });
    const filter = node.audit.parseFilter({ kind: 'tool_call' });
    const first = await node.audit.list(t.slug, filter, { limit: '4' });
    expect(first.events.map((e) => e.kind)).toEqual(['tool_call', 'tool_call', 'tool_call', 'tool_call']);
    expect(first.nextCursor).not.toBeNull();
    const second = await node.audit.list(t.slug, filter, { limit: '4', cursor: first.nextCursor });
    expect(second.events).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const seqs = [...first.events, ...second.events].map((e) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    expect(
      (await node.audit.list(t.slug, node.audit.parseFilter({ tool: 'tool_1' }), {})).events,
    ).toHaveLength(2);
    expect(
      (await node.audit.list(t.slug, node.audit.parseFilter({ action: 'signin.*' }), {})).events,
    ).toHaveLength(1);
    expect(
      (await node.audit.list(t.slug, node.audit.parseFilter({ actorId: 'key-0' }), {})).events,
    ).toHaveLength(3);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await node.audit.list(t.slug, node.audit.parseFilter({ from: future }), {})).events).toHaveLength(
      0,
    );
    expect(() => node.audit.parseFilter({ outcome: 'maybe' })).toThrow(/invalid audit filter/);
    expect(() => node.audit.parseFilter({ nope: '1' })).toThrow(/invalid audit filter/);
    await expect(node.audit.list(t.slug, filter, { cursor: 'garbage!' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('exports JSON Lines and CSV that parse back to the same events', async () => {
    const t = await tenant();
    const hostile: AuditEventInput[] = [
      event(t.id, 1, {
        target: '=HYPERLINK("http://evil.example","x")',
        data: { text: 'a,"b"\r\nc', emoji: '🔑', n: 1.5 },
      }),
      event(t.id, 2, { target: "'quoted", actor: { type: 'system', id: null }, data: {} }),
      event(t.id, 3, { target: null, data: { list: [1, null, { k: '-1' }] } }),
      event(t.id, 4, { target: '-2+3', data: { deep: { a: { b: { c: true } } } } }),
    ];
    for (const e of hostile) await node.writer.record(e);
    const tenantRow = await node.audit.tenantFor(t.slug);
    const expected: AuditEventView[] = [];
    for await (const line of node.audit.export(tenantRow, 'jsonl', {}))
      expected.push(JSON.parse(line) as AuditEventView);
    const db = (await rows(t.id)).map((r) => ({ id: r.id, seq: String(r.seq), hash: r.hash }));
    expect(expected.map((e) => ({ id: e.id, seq: e.seq, hash: e.hash }))).toEqual(db);

    const jsonl = await collect(node.audit.export(tenantRow, 'jsonl', {}));
    const fromJsonl = jsonl
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEventView);
    expect(fromJsonl).toEqual(expected);

    const csv = await collect(node.audit.export(tenantRow, 'csv', {}));
    expect(csv).not.toMatch(/^=|\r\n=/); // no cell starts a formula
    const records = parse(csv, { columns: true, relax_quotes: false }) as Record<string, string>[];
    const fromCsv: AuditEventView[] = records.map((r) => {
      const f = (k: string): string => unescapeCsvField(r[k] ?? '');
      return {
        id: f('id'),
        tenantId: f('tenantId'),
        seq: f('seq'),
        at: f('at'),
        kind: f('kind'),
        actor: { type: f('actorType'), id: f('actorId') || null },
        action: f('action'),
        target: f('target') || null,
        outcome: f('outcome'),
        data: JSON.parse(f('data')) as AuditEventView['data'],
        prevHash: f('prevHash'),
        hash: f('hash'),
      };
    });
    expect(fromCsv).toEqual(expected);
    expect(fromCsv.find((e) => e.target?.startsWith('=HYPERLINK'))).toBeDefined();
  });

  it('prunes by retention behind a signed checkpoint that verification starts from', async () => {
    const t = await tenant();
    await record(t.id, 5);
    const head = (await rows(t.id)).at(-1)!;
    await new Promise((r) => setTimeout(r, 20));
    const cutoff = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await record(t.id, 3);

    const run = await node.retention.pruneTenant(t.id, cutoff);
    expect(run).toMatchObject({ pruned: Number(head.seq), checkpointSeq: String(head.seq), skipped: false });
    expect((await rows(t.id)).map((r) => Number(r.seq))).toEqual(
      [6, 7, 8].map((n) => n + Number(head.seq) - 5),
    );
    const report = await node.audit.verify(t.slug);
    expect(report).toMatchObject({ ok: true, checked: 3, startsAt: { checkpointSeq: String(head.seq) } });

    // Nothing older is left: a second run prunes nothing and writes no checkpoint.
    expect(await node.retention.pruneTenant(t.id, cutoff)).toMatchObject({ pruned: 0, checkpointSeq: null });

    // Deleting the first event after the checkpoint is still caught.
    const first = (await rows(t.id))[0]!;
    await node.prisma.$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${first.id}::uuid`;
    expect((await node.audit.verify(t.slug)).break).toMatchObject({
      reason: 'seq_gap',
      seq: String(first.seq),
    });
  });

  it('refuses a checkpoint that was altered', async () => {
    const t = await tenant();
    await record(t.id, 4);
    await new Promise((r) => setTimeout(r, 10));
    await node.retention.pruneTenant(t.id, new Date());
    // Moving the checkpoint forward to hide pruned history breaks its signature.
    await node.prisma
      .$executeRaw`UPDATE "AuditCheckpoint" SET "prunedCount" = 1 WHERE "tenantId" = ${t.id}::uuid`;
    expect((await node.audit.verify(t.slug)).break).toMatchObject({ reason: 'checkpoint_signature_invalid' });
  });

  it('applies each tenant’s retention setting in the periodic run', async () => {
    const keep = await tenant();
    const prune = await tenant();
    await record(keep.id, 2);
    await record(prune.id, 2);
    await node.audit.updateSettings(keep.slug, { retentionDays: 0 }, { type: 'cli', id: 'tester' });
    await node.audit.updateSettings(prune.slug, { retentionDays: 1 }, { type: 'cli', id: 'tester' });
    const runs = await node.retention.runAll(new Date(Date.now() + 2 * 86_400_000), [keep.id, prune.id]);
    expect(runs.find((r) => r.tenantId === keep.id)).toBeUndefined();
    expect(runs.find((r) => r.tenantId === prune.id)?.pruned).toBeGreaterThan(0);
    expect(await rows(prune.id)).toHaveLength(0);
    expect((await node.audit.verify(prune.slug)).ok).toBe(true);
    expect((await node.audit.verify(keep.slug)).ok).toBe(true);
    const settingsEvent = (await rows(keep.id)).find((r) => r.action === 'audit.settings.update');
    expect(settingsEvent).toMatchObject({ actorType: 'cli', actorId: 'tester', kind: 'admin' });
    expect(settingsEvent?.data).toMatchObject({
      before: { retentionDays: 365 },
      after: { retentionDays: 0 },
    });
  });

  it('records admin changes made through the tenancy service with before and after', async () => {
    const slug = uniqueSlug('admin');
    const actor = { type: 'cli' as const, id: 'alice' };
    const created = await node.tenancy.createTenant({ slug, ownerEmail: `o@${slug}.example` }, actor);
    await node.tenancy.addMember(slug, `o@${slug}.example`, 'admin', actor);
    await node.tenancy.createEndpoint(slug, { slug: 'sales' }, actor);
    await node.tenancy.setTenantStatus(slug, 'suspended');
    const stored = await rows(created.id);
    expect(stored.map((r) => r.action)).toEqual([
      'tenant.create',
      'pack.enable',
      'member.add',
      'member.update',
      'endpoint.create',
      'tenant.status',
    ]);
    expect(stored.slice(0, 5).every((r) => r.actorType === 'cli' && r.actorId === 'alice')).toBe(true);
    expect(stored[5]).toMatchObject({ actorType: 'system', actorId: null });
    expect(stored[3]!.data).toMatchObject({ before: { role: 'owner' }, after: { role: 'admin' } });
    expect(stored[5]!.data).toEqual({ before: { status: 'active' }, after: { status: 'suspended' } });
  });
});
