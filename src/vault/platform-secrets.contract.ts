/**
 * Encryption for platform-owned secrets that belong to no tenant (OAuth signing keys, cookie keys) and
 * for per-tenant settings that are not connection secrets (an upstream IdP's client secret). The vault
 * module provides the implementation (class token `PlatformSecrets`, global), under the same
 * key-encryption key as tenant data keys. `context` is bound as associated data: a ciphertext only opens
 * with the context it was sealed with (e.g. `oauth-signing-key:<kid>`).
 */
export interface SealedSecret {
  /** Opaque, self-describing (version, key id, iv, tag, ciphertext), safe to store as text. */
  readonly sealed: string;
}

export abstract class PlatformSecrets {
  abstract seal(plaintext: string, context: string): Promise<SealedSecret>;
  abstract open(sealed: SealedSecret, context: string): Promise<string>;
}
