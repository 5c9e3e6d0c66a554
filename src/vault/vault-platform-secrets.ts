import { Injectable } from '@nestjs/common';
import { InvalidArgumentError } from '../common/domain-error.js';
import { DataKeys } from './data-keys.service.js';
import { IV_BYTES, open, platformAad, seal, TAG_BYTES } from './envelope.js';
import { PlatformSecrets, type SealedSecret } from './platform-secrets.contract.js';
import { SecretIntegrityError } from './vault-errors.js';
import { VaultMetrics } from './vault-metrics.js';

const PREFIX = 'sbp1';
const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * PlatformSecrets under the platform data key, itself wrapped by the KEK: KEK rotation re-wraps that one
 * key and every sealed value stays valid. Format: `sbp1.<key version>.<iv>.<ciphertext>.<tag>` (base64url),
 * with `context` as associated data.
 */
@Injectable()
export class VaultPlatformSecrets extends PlatformSecrets {
  constructor(
    private readonly keys: DataKeys,
    private readonly metrics: VaultMetrics,
  ) {
    super();
  }

  async seal(plaintext: string, context: string): Promise<SealedSecret> {
    this.validContext(context);
    const { version, key } = await this.keys.activePlatformKey();
    const data = Buffer.from(plaintext, 'utf8');
    try {
      this.metrics.add('encrypt');
      const s = seal(key, data, platformAad(context));
      const parts = [s.iv, s.ciphertext, s.authTag].map((b) => b.toString('base64url'));
      return { sealed: [PREFIX, String(version), ...parts].join('.') };
    } finally {
      key.fill(0);
      data.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: string): Promise<string> {
    this.validContext(context);
    const parts = typeof sealed?.sealed === 'string' ? sealed.sealed.split('.') : [];
    const [prefix, versionText, iv, ciphertext, tag] = parts;
    const version = Number(versionText);
    if (
      parts.length !== 5 ||
      prefix !== PREFIX ||
      !Number.isInteger(version) ||
      version < 1 ||
      ![iv, ciphertext, tag].every((p) => p !== undefined && B64URL.test(p))
    ) {
      this.metrics.add('decryptFailures');
      throw new SecretIntegrityError(`a platform secret (${context})`);
    }
    const key = await this.keys.platformKey(version);
    try {
      this.metrics.add('decrypt');
      const s = {
        iv: Buffer.from(iv!, 'base64url'),
        ciphertext: Buffer.from(ciphertext!, 'base64url'),
        authTag: Buffer.from(tag!, 'base64url'),
      };
      const plaintext =
        s.iv.length === IV_BYTES && s.authTag.length === TAG_BYTES
          ? open(key, s, platformAad(context))
          : null;
      if (!plaintext) {
        this.metrics.add('decryptFailures');
        throw new SecretIntegrityError(`a platform secret (${context})`);
      }
      try {
        return plaintext.toString('utf8');
      } finally {
        plaintext.fill(0);
      }
    } finally {
      key.fill(0);
    }
  }

  private validContext(context: string): void {
    if (typeof context !== 'string' || context.length === 0 || context.length > 512) {
      throw new InvalidArgumentError(
        'a platform secret context is a non-empty string of at most 512 characters',
      );
    }
  }
}
