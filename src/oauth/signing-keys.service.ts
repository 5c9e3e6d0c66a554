import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { PlatformSecrets } from '../vault/platform-secrets.contract.js';
import { SigningKeyRepository } from './store/signing-key.repository.js';

/** RS256 for everything we sign: every client and resource library verifies it, and it verifies fast. */
export const SIGNING_ALG = 'RS256';
/** Keys kept active after a rotation, so tokens signed just before it still verify. */
const KEEP_ACTIVE = 2;

export interface LoadedSigningKeys {
  /** Private JWKs, the signing key first (oidc-provider signs with the first key of a matching alg). */
  readonly privateJwks: JWK[];
  readonly kids: readonly string[];
}

function contextFor(kid: string): string {
  return `oauth-signing-key:${kid}`;
}

/**
 * The authorization server's signing keys: generated once (not at every boot: a key pair takes 150 ms),
 * stored with the private half sealed by PlatformSecrets, loaded into the provider at start.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);

  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly secrets: PlatformSecrets,
  ) {}

  async load(): Promise<LoadedSigningKeys> {
    let rows = await this.keys.listActive();
    if (rows.length === 0) {
      await this.create();
      // Read back rather than using what we made: another node starting at the same moment may have
      // created one too, and every node must publish and verify the same set.
      rows = await this.keys.listActive();
      this.logger.log('generated the first OAuth signing key');
    }
    const privateJwks: JWK[] = [];
    for (const row of rows) {
      const jwk = JSON.parse(await this.secrets.open({ sealed: row.sealed }, contextFor(row.kid))) as JWK;
      privateJwks.push({ ...jwk, kid: row.kid, alg: row.alg, use: 'sig' });
    }
    return { privateJwks, kids: rows.map((r) => r.kid) };
  }

  /**
   * Adds a new key that becomes the signer when a node next loads its keys (at start, or at once on
   * every node after the rotation job publishes the change); the previous key stays active for
   * verification and older ones are retired (no longer published or accepted).
   */
  async rotate(): Promise<{ readonly kid: string; readonly retired: number }> {
    const kid = await this.create();
    const retired = await this.keys.retireAllBut(KEEP_ACTIVE, new Date());
    return { kid, retired };
  }

  private async create(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, {
      modulusLength: 2048,
      extractable: true,
    });
    const kid = randomBytes(12).toString('base64url');
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = await exportJWK(publicKey);
    const sealed = await this.secrets.seal(JSON.stringify(privateJwk), contextFor(kid));
    await this.keys.create({ kid, alg: SIGNING_ALG, publicJwk: { ...publicJwk }, sealed: sealed.sealed });
    return kid;
  }
}
