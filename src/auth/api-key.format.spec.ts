import { describe, expect, it } from '@jest/globals';
import { mintApiKey, parseApiKey, secretMatches } from './api-key.format.js';

describe('api key format', () => {
  it('mints keys that parse back to their prefix and match their hash', () => {
    const key = mintApiKey();
    const parsed = parseApiKey(key.plaintext);
    expect(parsed?.prefix).toBe(key.prefix);
    expect(secretMatches(parsed!.secret, key.hash)).toBe(true);
  });

  it('never repeats and never stores the secret in the prefix', () => {
    const a = mintApiKey();
    const b = mintApiKey();
    expect(a.plaintext).not.toBe(b.plaintext);
    expect(a.plaintext.startsWith(`${a.prefix}_`)).toBe(true);
    expect(a.prefix).toMatch(/^sb_[a-z2-7]{12}$/);
  });

  it('rejects a tampered secret and malformed keys', () => {
    const key = mintApiKey();
    const parsed = parseApiKey(key.plaintext)!;
    const flipped = (parsed.secret[0] === 'A' ? 'B' : 'A') + parsed.secret.slice(1);
    expect(secretMatches(flipped, key.hash)).toBe(false);
    for (const bad of [
      '',
      'sb_',
      'Bearer x',
      `${key.plaintext}x`,
      key.plaintext.toUpperCase(),
      'sb_abc_def',
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });
});
