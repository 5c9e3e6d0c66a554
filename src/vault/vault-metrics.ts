import { Injectable } from '@nestjs/common';

export interface VaultStats {
  /** Secrets and platform secrets encrypted / decrypted. */
  readonly encrypt: number;
  readonly decrypt: number;
  /** Ciphertexts that failed their tag (tampering, a row copied elsewhere, a wrong key). */
  readonly decryptFailures: number;
  /** Data keys wrapped / unwrapped by the KMS provider. */
  readonly wrap: number;
  readonly unwrap: number;
  readonly keyCacheHits: number;
  readonly keyCacheMisses: number;
  /** Secrets re-encrypted by data-key rotation, data keys re-wrapped by KEK rotation, keys retired. */
  readonly rotatedSecrets: number;
  readonly rewrappedKeys: number;
  readonly retiredKeys: number;
}

type Counter = keyof VaultStats;

/**
 * In-process counters of vault operations. Telemetry reads `snapshot()` (monotonic counters since boot)
 * and exports them; the vault itself depends on no metrics library.
 */
@Injectable()
export class VaultMetrics {
  private readonly counts: Record<Counter, number> = {
    encrypt: 0,
    decrypt: 0,
    decryptFailures: 0,
    wrap: 0,
    unwrap: 0,
    keyCacheHits: 0,
    keyCacheMisses: 0,
    rotatedSecrets: 0,
    rewrappedKeys: 0,
    retiredKeys: 0,
  };

  add(counter: Counter, n = 1): void {
    this.counts[counter] += n;
  }

  snapshot(): VaultStats {
    return { ...this.counts };
  }
}
