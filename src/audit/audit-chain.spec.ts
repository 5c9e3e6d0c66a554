import { describe, expect, it } from '@jest/globals';
import {
  canonicalEvent,
  checkpointSignatureValid,
  eventHash,
  GENESIS_HASH,
  jsonDigest,
  signCheckpoint,
  type ChainFields,
  type CheckpointFields,
} from './audit-chain.js';

const base: ChainFields = {
  tenantId: '6f1c4c1e-8d7e-4a8e-9d43-2b7f4a0c9e11',
  seq: 1n,
  prevHash: GENESIS_HASH,
  at: new Date('2026-01-02T03:04:05.678Z'),
  kind: 'tool_call',
  actorType: 'api_key',
  actorId: 'k1',
  action: 'tool.call',
  target: 'echo',
  outcome: 'success',
  data: { b: 1, a: { z: 'é', y: [2, 1] } },
};

describe('audit chain encoding', () => {
  it('is RFC 8785 JSON with sorted keys and a decimal-string seq (a fixed known answer)', () => {
    expect(canonicalEvent(base)).toBe(
      '{"action":"tool.call","actor":{"id":"k1","type":"api_key"},"at":"2026-01-02T03:04:05.678Z",' +
        '"data":{"a":{"y":[2,1],"z":"é"},"b":1},"kind":"tool_call","outcome":"success",' +
        `"prevHash":"${GENESIS_HASH}","seq":"1","target":"echo","tenantId":"6f1c4c1e-8d7e-4a8e-9d43-2b7f4a0c9e11","v":1}`,
    );
    expect(eventHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, and changes with every covered field', () => {
    const reordered: ChainFields = { ...base, data: { a: { y: [2, 1], z: 'é' }, b: 1 } };
    expect(eventHash(reordered)).toBe(eventHash(base));
    const variants: Partial<ChainFields>[] = [
      { seq: 2n },
      { prevHash: 'a'.repeat(64) },
      { at: new Date('2026-01-02T03:04:05.679Z') },
      { kind: 'admin' },
      { actorType: 'user' },
      { actorId: null },
      { action: 'tool.list' },
      { target: null },
      { outcome: 'failure' },
      { tenantId: '00000000-0000-4000-8000-000000000000' },
      { data: { b: 2, a: { z: 'é', y: [2, 1] } } },
      { data: { b: 1, a: { z: 'é', y: [1, 2] } } },
    ];
    const hashes = new Set(variants.map((v) => eventHash({ ...base, ...v })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(eventHash(base))).toBe(false);
  });

  it('digests arguments independently of key order', () => {
    expect(jsonDigest({ a: 1, b: [true, null] })).toBe(jsonDigest({ b: [true, null], a: 1 }));
    expect(jsonDigest({ a: 1 })).not.toBe(jsonDigest({ a: 2 }));
    expect(jsonDigest({})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('checkpoint signatures', () => {
  const key = Buffer.alloc(32, 7);
  const cp: CheckpointFields = {
    tenantId: base.tenantId,
    seq: 41n,
    hash: 'c'.repeat(64),
    lastAt: new Date('2026-01-01T00:00:00.000Z'),
    prunedCount: 41,
    createdAt: new Date('2026-02-01T00:00:00.000Z'),
    keyId: 'ack_1',
  };

  it('verifies what it signed, and nothing else', () => {
    const sig = signCheckpoint(cp, key);
    expect(checkpointSignatureValid(cp, sig, key)).toBe(true);
    expect(checkpointSignatureValid({ ...cp, seq: 42n }, sig, key)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, hash: 'd'.repeat(64) }, sig, key)).toBe(false);
    expect(checkpointSignatureValid(cp, sig, Buffer.alloc(32, 8))).toBe(false);
    expect(checkpointSignatureValid(cp, 'short', key)).toBe(false);
    expect(checkpointSignatureValid(cp, '', key)).toBe(false);
  });
});
