import { describe, expect, it } from '@jest/globals';
import { eventHash, GENESIS_HASH } from './audit-chain.js';
import { verifyChain, type VerifiableEvent } from './audit-verifier.js';

const tenantId = '6f1c4c1e-8d7e-4a8e-9d43-2b7f4a0c9e11';

function chain(n: number, from = { seq: 0n, hash: GENESIS_HASH }): VerifiableEvent[] {
  const out: VerifiableEvent[] = [];
  let prev = from.hash;
  for (let i = 1; i <= n; i++) {
    const fields = {
      tenantId,
      seq: from.seq + BigInt(i),
      prevHash: prev,
      at: new Date(1_700_000_000_000 + i),
      kind: 'admin' as const,
      actorType: 'system' as const,
      actorId: null,
      action: 'x.y',
      target: `t${i}`,
      outcome: 'success' as const,
      data: { i },
    };
    const hash = eventHash(fields);
    out.push({ ...fields, id: `e${i}`, hash });
    prev = hash;
  }
  return out;
}

async function* iter(events: readonly VerifiableEvent[]): AsyncGenerator<VerifiableEvent> {
  yield* events;
}

function head(events: readonly VerifiableEvent[]) {
  const last = events.at(-1)!;
  return { seq: last.seq, hash: last.hash };
}

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', async () => {
    const events = chain(5);
    expect(
      await verifyChain({ tenantId, checkpoint: null, head: head(events), events: iter(events) }),
    ).toMatchObject({
      ok: true,
      checked: 5,
      firstSeq: '1',
      lastSeq: '5',
    });
    expect(await verifyChain({ tenantId, checkpoint: null, head: null, events: iter([]) })).toMatchObject({
      ok: true,
      checked: 0,
    });
  });

  it('names the first broken link', async () => {
    const events = chain(5);
    const edited = events.map((e) => (e.seq === 3n ? { ...e, target: 'changed' } : e));
    expect(
      (await verifyChain({ tenantId, checkpoint: null, head: head(events), events: iter(edited) })).break,
    ).toMatchObject({
      seq: '3',
      eventId: 'e3',
      reason: 'hash_mismatch',
    });
    const gap = events.filter((e) => e.seq !== 2n && e.seq !== 3n);
    expect(
      (await verifyChain({ tenantId, checkpoint: null, head: head(events), events: iter(gap) })).break,
    ).toMatchObject({
      seq: '2',
      reason: 'seq_gap',
      message: expect.stringMatching(/2–3/),
    });
    const truncated = events.slice(0, 4);
    expect(
      (await verifyChain({ tenantId, checkpoint: null, head: head(events), events: iter(truncated) })).break,
    ).toMatchObject({
      seq: '5',
      reason: 'head_mismatch',
    });
    expect(
      (await verifyChain({ tenantId, checkpoint: null, head: null, events: iter(events) })).break,
    ).toMatchObject({
      reason: 'head_mismatch',
    });
  });

  it('finds a forged event whose hash was recomputed by its link', async () => {
    const events = chain(4);
    const forged = { ...events[1]!, target: 'forged' };
    const rehashed = { ...forged, hash: eventHash(forged) };
    const list = [events[0]!, rehashed, events[2]!, events[3]!];
    expect(
      (await verifyChain({ tenantId, checkpoint: null, head: head(events), events: iter(list) })).break,
    ).toMatchObject({
      seq: '3',
      reason: 'prev_hash_mismatch',
    });
  });

  it('starts from a valid checkpoint and refuses an invalid one', async () => {
    const all = chain(6);
    const rest = all.slice(3);
    const cp = { id: 'cp1', seq: 3n, hash: all[2]!.hash, signatureValid: true };
    expect(
      await verifyChain({ tenantId, checkpoint: cp, head: head(all), events: iter(rest) }),
    ).toMatchObject({
      ok: true,
      checked: 3,
      startsAt: { checkpointSeq: '3' },
    });
    expect(
      (
        await verifyChain({
          tenantId,
          checkpoint: { ...cp, signatureValid: false },
          head: head(all),
          events: iter(rest),
        })
      ).break,
    ).toMatchObject({ reason: 'checkpoint_signature_invalid' });
    expect(
      (
        await verifyChain({
          tenantId,
          checkpoint: { ...cp, hash: 'f'.repeat(64) },
          head: head(all),
          events: iter(rest),
        })
      ).break,
    ).toMatchObject({ seq: '4', reason: 'prev_hash_mismatch' });
  });
});
