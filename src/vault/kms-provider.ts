/**
 * Key-encryption: wraps and unwraps data keys. The local provider keeps the KEK in process memory; a cloud
 * KMS (AWS KMS Encrypt/Decrypt with an encryption context, GCP Cloud KMS with additional authenticated data)
 * or HashiCorp Vault transit (encrypt/decrypt with `context`) implements the same three members, and is
 * plugged in by providing `KmsProvider` in place of the local one in `VaultModule`.
 */

/**
 * Bound to every wrapped key as associated data (a KMS "encryption context"): a wrapped data key only
 * unwraps for the tenant and version it was made for.
 */
export type KmsContext = Readonly<Record<string, string>>;

export interface WrappedKey {
  /** Which KEK wrapped it (a provider-specific key id or version); stored beside the wrapped bytes. */
  readonly kekId: string;
  readonly ciphertext: Buffer;
}

export interface KmsDescription {
  /** e.g. "local", "aws-kms", "vault-transit". */
  readonly provider: string;
  readonly activeKekId: string;
  /** KEKs still accepted for unwrapping (rotation in progress or just finished). */
  readonly previousKekIds: readonly string[];
  /** Where the active KEK comes from, for `vault status` (never the key itself). */
  readonly source: string;
}

export abstract class KmsProvider {
  /** The KEK new wraps use. Data keys under any other id are what `vault rotate-kek` re-wraps. */
  abstract activeKekId(): string;
  abstract wrap(dataKey: Buffer, context: KmsContext): Promise<WrappedKey>;
  /** Throws `UnknownKekError` for a KEK it does not hold and `SecretIntegrityError` when the tag fails. */
  abstract unwrap(wrapped: WrappedKey, context: KmsContext): Promise<Buffer>;
  abstract describe(): KmsDescription;
}
