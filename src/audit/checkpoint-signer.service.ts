import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../database/prisma-errors.js';
import { PlatformSecrets } from '../vault/platform-secrets.contract.js';
import { checkpointSignatureValid, signCheckpoint, type CheckpointFields } from './audit-chain.js';
import { AuditRepository } from './audit.repository.js';

const KEY_BYTES = 32;

function context(keyId: string): string {
  return `audit-checkpoint-key:${keyId}`;
}

/**
 * Signs and checks retention checkpoints with HMAC-SHA256. The key is random, made once per installation
 * and stored sealed by the vault's key-encryption key (`PlatformSecrets`), so forging a checkpoint needs
 * the KEK, not just write access to the database; every node and the CLI open the same key. Rotation:
 * a newer key signs new checkpoints, older ones keep verifying with the key their `keyId` names.
 */
@Injectable()
export class CheckpointSigner {
  private readonly keys = new Map<string, Buffer>();
  private current: Promise<{ readonly id: string; readonly key: Buffer }> | null = null;

  constructor(
    private readonly repo: AuditRepository,
    @Optional() @Inject(PlatformSecrets) private readonly secrets: PlatformSecrets | null,
  ) {}

  /** Loads (or makes) the current key, so `sign` needs no I/O inside the pruning transaction. */
  async prepare(): Promise<void> {
    await this.currentKey();
  }

  async sign(fields: Omit<CheckpointFields, 'keyId'>): Promise<{ keyId: string; signature: string }> {
    const { id, key } = await this.currentKey();
    return { keyId: id, signature: signCheckpoint({ ...fields, keyId: id }, key) };
  }

  async verify(fields: CheckpointFields, signature: string): Promise<boolean> {
    const key = await this.key(fields.keyId);
    return key !== null && checkpointSignatureValid(fields, signature, key);
  }

  /** Makes a new signing key the current one (old checkpoints keep verifying with theirs). */
  async rotate(): Promise<string> {
    const made = await this.create();
    this.current = Promise.resolve(made);
    return made.id;
  }

  private currentKey(): Promise<{ readonly id: string; readonly key: Buffer }> {
    this.current ??= this.loadOrCreate().catch((e: unknown) => {
      this.current = null;
      throw e;
    });
    return this.current;
  }

  private async loadOrCreate(): Promise<{ id: string; key: Buffer }> {
    const newest = await this.repo.newestSigningKey();
    if (newest) return { id: newest.id, key: await this.open(newest.id, newest.sealed) };
    return this.create();
  }

  private async create(): Promise<{ id: string; key: Buffer }> {
    const secrets = this.requireSecrets();
    const id = `ack_${randomBytes(6).toString('hex')}`;
    const key = randomBytes(KEY_BYTES);
    const sealed = await secrets.seal(key.toString('base64'), context(id));
    try {
      await this.repo.createSigningKey({ id, sealed: sealed.sealed });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Two nodes made a key at once with the same random id: astronomically unlikely; use the stored one.
      const stored = await this.repo.findSigningKey(id);
      if (!stored) throw e;
      return { id, key: await this.open(id, stored.sealed) };
    }
    this.keys.set(id, key);
    return { id, key };
  }

  private async key(id: string): Promise<Buffer | null> {
    const cached = this.keys.get(id);
    if (cached) return cached;
    const row = await this.repo.findSigningKey(id);
    return row ? this.open(id, row.sealed) : null;
  }

  private async open(id: string, sealed: string): Promise<Buffer> {
    const key = Buffer.from(await this.requireSecrets().open({ sealed }, context(id)), 'base64');
    if (key.length !== KEY_BYTES)
      throw new DomainError('failed_precondition', `audit signing key ${id} is malformed`);
    this.keys.set(id, key);
    return key;
  }

  private requireSecrets(): PlatformSecrets {
    if (!this.secrets) {
      throw new DomainError(
        'failed_precondition',
        'audit checkpoints are signed with a key sealed by the vault, which is not available in this process',
      );
    }
    return this.secrets;
  }
}
