import { describe, expect, it } from '@jest/globals';
import { eventHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditEventInput } from './audit.contract.js';
import type { AuditRepository, ChainedEventRow, ChainHead } from './audit.repository.js';
import { AuditWriter } from './audit-writer.service.js';

const TENANT = '6f1c4c1e-8d7e-4a8e-9d43-2b7f4a0c9e11';

/** An in-memory chain with the repository's contract: one append at a time per tenant, all or nothing. */
class MemoryChain {
  head: ChainHead = { seq: 0n, hash: GENESIS_HASH };
  rows: ChainedEventRow[] = [];
  transactions: number[] = [];
  failNext = 0;
  async appendChained(_scope: unknown, build: (head: ChainHead) => ChainedEventRow[]): Promise<ChainHead> {
    await new Promise((r) => setTimeout(r, 2));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection reset');
    }
    const rows = build(this.head);
    this.rows.push(...rows);
    this.transactions.push(rows.length);
    const last = rows.at(-1)!;
    this.head = { seq: last.seq, hash: last.hash };
    return this.head;
  }
}

function writer(maxBatch = 256): { w: AuditWriter; chain: MemoryChain } {
  const chain = new MemoryChain();
  return {
    w: new AuditWriter(chain as unknown as AuditRepository, { maxBatch, maxConcurrentFlushes: 2 }),
    chain,
  };
}

const ev = (i: number): AuditEventInput => ({
  tenantId: TENANT,
  kind: 'admin',
  action: 'thing.change',
  actor: { type: 'system', id: '' },
  target: '',
  outcome: 'success',
  data: { i },
});

describe('AuditWriter', () => {
  it('chains events and groups concurrent ones into one transaction per flush', async () => {
    const { w, chain } = writer();
    const first = Promise.all(Array.from({ length: 50 }, (_, i) => w.record(ev(i))));
    // Recorded while the first batch is being written: they share the next transaction.
    await new Promise((r) => setImmediate(r));
    const later = Promise.all(Array.from({ length: 10 }, (_, i) => w.record(ev(50 + i))));
    await Promise.all([first, later]);
    expect(chain.rows.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => BigInt(i + 1)));
    // Events recorded in the same turn of the event loop share one transaction (the writer yields a turn
    // before flushing); those that arrive while it is in flight share the next.
    expect(chain.transactions).toEqual([50, 10]);
    let prev = GENESIS_HASH;
    for (const r of chain.rows) {
      expect(r.prevHash).toBe(prev);
      expect(eventHash({ ...r, tenantId: TENANT } as Parameters<typeof eventHash>[0])).toBe(r.hash);
      prev = r.hash;
    }
    expect(chain.rows[0]).toMatchObject({ actorId: null, target: null });
    const s = w.stats();
    expect(s).toMatchObject({ eventsWritten: 60, transactions: 2, writeFailures: 0, pending: 0 });
    expect(s.writeLatencyMs.count).toBe(60);
    expect(s.writeLatencyMs.buckets.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 60 });
  });

  it('caps a transaction at maxBatch events', async () => {
    const { w, chain } = writer(10);
    await Promise.all(Array.from({ length: 35 }, (_, i) => w.record(ev(i))));
    expect(Math.max(...chain.transactions)).toBeLessThanOrEqual(10);
    expect(chain.rows).toHaveLength(35);
  });

  it('rejects every caller of a failed transaction and keeps going', async () => {
    const { w, chain } = writer();
    chain.failNext = 1;
    const first = w.record(ev(0));
    await new Promise((r) => setImmediate(r)); // the first event's transaction has started
    const results = await Promise.allSettled([
      first,
      ...Array.from({ length: 5 }, (_, i) => w.record(ev(i + 1))),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    expect(results.slice(1).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(chain.rows.map((r) => r.seq)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(w.stats()).toMatchObject({ writeFailures: 1, eventsWritten: 5 });
  });

  it('drains: resolves once nothing is pending', async () => {
    const { w, chain } = writer();
    const pending = Array.from({ length: 5 }, (_, i) => w.record(ev(i)));
    await w.drain();
    expect(chain.rows).toHaveLength(5);
    await Promise.all(pending);
    await w.drain();
  });
});
