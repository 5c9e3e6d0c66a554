import { eventHash, GENESIS_HASH, type ChainFields } from './audit-chain.js';

/** Why a link is broken, in words an operator can act on. */
export type BreakReason =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'seq_gap'
  | 'seq_out_of_order'
  | 'checkpoint_signature_invalid'
  | 'head_mismatch';

export interface ChainBreak {
  readonly seq: string;
  readonly eventId: string | null;
  readonly reason: BreakReason;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly tenantId: string;
  /** Events whose hash and link were checked. */
  readonly checked: number;
  readonly firstSeq: string | null;
  readonly lastSeq: string | null;
  /** Where verification started: the newest retention checkpoint, or the start of the chain. */
  readonly startsAt: { readonly checkpointSeq: string; readonly checkpointId: string } | null;
  readonly break: ChainBreak | null;
}

export interface VerifiableEvent extends ChainFields {
  readonly id: string;
  readonly hash: string;
}

export interface VerifyInput {
  readonly tenantId: string;
  readonly checkpoint: {
    readonly id: string;
    readonly seq: bigint;
    readonly hash: string;
    readonly signatureValid: boolean;
  } | null;
  /** The chain head as the writers left it; null when the tenant never had an event. */
  readonly head: { readonly seq: bigint; readonly hash: string } | null;
  readonly events: AsyncIterable<VerifiableEvent>;
}

/**
 * Walks a tenant's events in seq order from the newest checkpoint (or the genesis) and returns the first
 * broken link: an edited event changes its own hash (`hash_mismatch`); a deleted one leaves a gap in seq
 * (`seq_gap`); a reorder or a swap of two rows' contents breaks a hash or a link. A deletion at the end
 * of the log is caught by comparing the last event with the chain head (`head_mismatch`).
 */
export async function verifyChain(input: VerifyInput): Promise<VerifyReport> {
  const startsAt = input.checkpoint
    ? { checkpointSeq: input.checkpoint.seq.toString(), checkpointId: input.checkpoint.id }
    : null;
  let checked = 0;
  let firstSeq: bigint | null = null;
  let lastSeq: bigint | null = null;
  const report = (b: ChainBreak | null): VerifyReport => ({
    ok: b === null,
    tenantId: input.tenantId,
    checked,
    firstSeq: firstSeq?.toString() ?? null,
    lastSeq: lastSeq?.toString() ?? null,
    startsAt,
    break: b,
  });

  if (input.checkpoint && !input.checkpoint.signatureValid) {
    return report({
      seq: input.checkpoint.seq.toString(),
      eventId: null,
      reason: 'checkpoint_signature_invalid',
      message: `the retention checkpoint at seq ${input.checkpoint.seq} is not signed by a known audit key (altered or forged)`,
    });
  }
  let expectedSeq = (input.checkpoint?.seq ?? 0n) + 1n;
  let expectedPrev = input.checkpoint?.hash ?? GENESIS_HASH;

  for await (const e of input.events) {
    firstSeq ??= e.seq;
    lastSeq = e.seq;
    const at = (reason: BreakReason, message: string): VerifyReport =>
      report({ seq: e.seq.toString(), eventId: e.id, reason, message });
    if (e.seq < expectedSeq) {
      return at('seq_out_of_order', `event ${e.id} has seq ${e.seq} where ${expectedSeq} was expected`);
    }
    if (e.seq > expectedSeq) {
      return report({
        seq: expectedSeq.toString(),
        eventId: null,
        reason: 'seq_gap',
        message:
          e.seq - expectedSeq === 1n
            ? `event ${expectedSeq} is missing (deleted)`
            : `events ${expectedSeq}–${e.seq - 1n} are missing (deleted)`,
      });
    }
    if (eventHash(e) !== e.hash) {
      return at(
        'hash_mismatch',
        `event ${e.seq} does not match its hash (edited, or moved from another position)`,
      );
    }
    if (e.prevHash !== expectedPrev) {
      return at(
        'prev_hash_mismatch',
        `event ${e.seq} does not link to the event before it (reordered, replaced or re-chained)`,
      );
    }
    checked++;
    expectedSeq = e.seq + 1n;
    expectedPrev = e.hash;
  }

  const head = input.head;
  const endSeq = expectedSeq - 1n;
  if (!head && endSeq > (input.checkpoint?.seq ?? 0n)) {
    return report({
      seq: endSeq.toString(),
      eventId: null,
      reason: 'head_mismatch',
      message: 'the chain head is missing although events exist (deleted)',
    });
  }
  if (head && (head.seq !== endSeq || head.hash !== expectedPrev)) {
    return report({
      seq: head.seq > endSeq ? (endSeq + 1n).toString() : head.seq.toString(),
      eventId: null,
      reason: 'head_mismatch',
      message:
        head.seq > endSeq
          ? `the log ends at seq ${endSeq} but ${head.seq} events were written (events at the end were deleted)`
          : `the chain head (seq ${head.seq}) does not match the last event (seq ${endSeq})`,
    });
  }
  return report(null);
}
