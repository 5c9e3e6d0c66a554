import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key layout: `sb_<prefix>_<secret>`. The prefix (12 base32 characters, public) is stored in clear to find
 * the row and to show the key in lists; the secret (32 random bytes, base64url) is stored only as its
 * SHA-256. A slow hash adds nothing for 256 bits of entropy and would cost every request.
 */
const KEY_PATTERN = /^sb_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface MintedKey {
  readonly plaintext: string;
  readonly prefix: string;
  readonly hash: Uint8Array<ArrayBuffer>;
}

export function mintApiKey(): MintedKey {
  const p = randomBytes(12);
  let prefix = '';
  for (const b of p) prefix += BASE32[b & 31];
  const secret = randomBytes(32).toString('base64url');
  return { plaintext: `sb_${prefix}_${secret}`, prefix: `sb_${prefix}`, hash: hashSecret(secret) };
}

export function parseApiKey(value: string): { readonly prefix: string; readonly secret: string } | null {
  const m = KEY_PATTERN.exec(value);
  return m ? { prefix: `sb_${m[1]}`, secret: m[2] as string } : null;
}

export function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  // One-shot hash: several times cheaper than createHash() for short inputs, and this runs per request.
  return new Uint8Array(hash('sha256', secret, 'buffer'));
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return storedHash.length === candidate.length && timingSafeEqual(candidate, storedHash);
}
