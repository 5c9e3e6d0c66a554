import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a 96-bit random IV and a 128-bit tag: the one cipher the vault uses, for data keys
 * under the KEK and for secrets under data keys. A random 96-bit IV keeps the collision probability under
 * 2^-32 for 2^32 encryptions per key (NIST SP 800-38D §8.3); data-key rotation keeps each key far below that.
 */
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

export interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

/** Returns the plaintext, or null when the tag does not verify (wrong key, wrong associated data, tampering). */
export function open(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | null {
  if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) return null;
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.authTag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * Associated data from a list of fields, each length-prefixed so that no two different lists encode
 * alike (("ab","c") and ("a","bc") differ). The first field names the purpose and format version.
 */
export function associatedData(fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** Where a connection secret's ciphertext belongs: copying it to another row, connection or tenant breaks the tag. */
export function secretAad(binding: {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly secretId: string;
  readonly name: string;
}): Buffer {
  return associatedData([
    'switchboard/secret/v1',
    binding.tenantId,
    binding.connectionId,
    binding.secretId,
    binding.name,
  ]);
}

export function platformAad(context: string): Buffer {
  return associatedData(['switchboard/platform-secret/v1', context]);
}
