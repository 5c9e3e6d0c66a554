import { describe, expect, it } from '@jest/globals';
import { associatedData, newDataKey, open, seal, secretAad } from './envelope.js';

describe('envelope', () => {
  const key = newDataKey();
  const aad = secretAad({ tenantId: 't1', connectionId: 'c1', secretId: 's1', name: 'token' });

  it('round-trips and uses a fresh IV every time', () => {
    const a = seal(key, Buffer.from('hunter2'), aad);
    const b = seal(key, Buffer.from('hunter2'), aad);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(open(key, a, aad)?.toString()).toBe('hunter2');
  });

  it('refuses other associated data, another key, and any flipped bit', () => {
    const s = seal(key, Buffer.from('hunter2'), aad);
    const elsewhere = secretAad({ tenantId: 't2', connectionId: 'c1', secretId: 's1', name: 'token' });
    expect(open(key, s, elsewhere)).toBeNull();
    expect(open(newDataKey(), s, aad)).toBeNull();
    const ct = Buffer.from(s.ciphertext);
    ct[0]! ^= 1;
    expect(open(key, { ...s, ciphertext: ct }, aad)).toBeNull();
    const tag = Buffer.from(s.authTag);
    tag[15]! ^= 1;
    expect(open(key, { ...s, authTag: tag }, aad)).toBeNull();
    expect(open(key, { ...s, authTag: s.authTag.subarray(0, 12) }, aad)).toBeNull();
  });

  it('encodes associated data unambiguously', () => {
    expect(associatedData(['ab', 'c']).equals(associatedData(['a', 'bc']))).toBe(false);
    expect(associatedData(['a', '']).equals(associatedData(['a']))).toBe(false);
  });
});
