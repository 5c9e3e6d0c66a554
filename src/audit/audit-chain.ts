import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditActorType, AuditKind } from './audit.contract.js';
import type { JsonObject } from './audit-json.js';

/**
 * The chain. Each event's hash is SHA-256 over the RFC 8785 (JCS) canonical JSON of
 *
 *   { "v": 1, "tenantId", "seq" (decimal string), "prevHash", "at" (ISO 8601 UTC, milliseconds),
 *     "kind", "actor": { "type", "id" }, "action", "target", "outcome", "data" }
 *
 * encoded as UTF-8, written as 64 lowercase hex digits. `prevHash` is the previous event's hash, or
 * GENESIS_HASH for seq 1. Changing any field, removing an event or reordering two changes a hash or breaks
 * a link. The format is versioned by `v` so it can evolve without rewriting history.
 */
export const CHAIN_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

/** Everything the hash covers: an event as stored, minus its row id and its own hash. */
export interface ChainFields {
  readonly tenantId: string;
  readonly seq: bigint;
  readonly prevHash: string;
  readonly at: Date;
  readonly kind: AuditKind;
  readonly actorType: AuditActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly data: JsonObject;
}

export function canonicalEvent(e: ChainFields): string {
  const text = canonicalize({
    v: CHAIN_VERSION,
    tenantId: e.tenantId,
    seq: e.seq.toString(),
    prevHash: e.prevHash,
    at: e.at.toISOString(),
    kind: e.kind,
    actor: { type: e.actorType, id: e.actorId },
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    data: e.data,
  });
  if (text === undefined) throw new Error('audit event has no JSON form');
  return text;
}

export function eventHash(e: ChainFields): string {
  return createHash('sha256').update(canonicalEvent(e), 'utf8').digest('hex');
}

/** SHA-256 of a value's canonical JSON, prefixed with the algorithm: how tool-call arguments are recorded. */
export function jsonDigest(value: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalize(value ?? null) ?? 'null', 'utf8')
    .digest('hex')}`;
}

/** What a retention checkpoint asserts: "events up to `seq` existed, the last one hashed to `hash`". */
export interface CheckpointFields {
  readonly tenantId: string;
  readonly seq: bigint;
  readonly hash: string;
  readonly lastAt: Date;
  readonly prunedCount: number;
  readonly createdAt: Date;
  readonly keyId: string;
}

/** Canonical JSON (RFC 8785) of a checkpoint, the bytes its HMAC-SHA256 signature covers. */
export function canonicalCheckpoint(c: CheckpointFields): string {
  const text = canonicalize({
    v: CHAIN_VERSION,
    type: 'switchboard.audit.checkpoint',
    tenantId: c.tenantId,
    seq: c.seq.toString(),
    hash: c.hash,
    lastAt: c.lastAt.toISOString(),
    prunedCount: c.prunedCount,
    createdAt: c.createdAt.toISOString(),
    keyId: c.keyId,
  });
  if (text === undefined) throw new Error('checkpoint has no JSON form');
  return text;
}

export function signCheckpoint(c: CheckpointFields, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalCheckpoint(c), 'utf8').digest('base64url');
}

export function checkpointSignatureValid(c: CheckpointFields, signature: string, key: Buffer): boolean {
  const expected = Buffer.from(signCheckpoint(c, key), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
