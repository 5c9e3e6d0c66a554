import { DomainError } from '../common/domain-error.js';

/**
 * A ciphertext that does not open: tampered, moved to another row or tenant, or wrapped by a key this
 * process does not hold. The message names what failed, never a value or key material.
 */
export class SecretIntegrityError extends DomainError {
  constructor(what: string) {
    super(
      'failed_precondition',
      `${what} could not be decrypted (tampered with, moved, or under an unknown key)`,
    );
    this.name = 'SecretIntegrityError';
  }
}

/** The key-encryption key a wrapped data key names is not configured here. */
export class UnknownKekError extends DomainError {
  constructor(readonly kekId: string) {
    super(
      'failed_precondition',
      `key-encryption key ${kekId} is not configured; add it to SWITCHBOARD_MASTER_KEY_PREVIOUS (or the key file) until \`switchboard vault rotate-kek\` has re-wrapped every data key`,
      { kekId },
    );
    this.name = 'UnknownKekError';
  }
}

/**
 * Boot-time refusal: the vault cannot get a key-encryption key it is allowed to use. Thrown from the
 * module factory, so the process stops with this message instead of serving without a vault.
 */
export class VaultConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultConfigurationError';
  }
}
