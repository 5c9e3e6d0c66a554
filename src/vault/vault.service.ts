import { Injectable } from '@nestjs/common';
import type { SecretsAccessor } from '@switchboard/integration-kit';
import { InvalidArgumentError, NotFoundError } from '../common/domain-error.js';
import type { TenantScope } from '../common/tenant-scope.js';
import { isUniqueViolation } from '../database/prisma-errors.js';
import type { Secret } from '../generated/prisma/client.js';
import { DataKeys, RetiredKeyError } from './data-keys.service.js';
import { open, seal, secretAad } from './envelope.js';
import { TenantVaultRepository, type SecretMeta, type VaultConnection } from './tenant-vault.repository.js';
import { SecretIntegrityError } from './vault-errors.js';
import { VaultMetrics, type VaultStats } from './vault-metrics.js';

/** What every interface returns about a secret: never its value. */
export interface SecretView {
  readonly connectionId: string;
  readonly name: string;
  readonly version: number;
  readonly keyVersion: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Credentials, tokens, PEM keys and service-account JSON all fit; anything larger is not a secret. */
export const MAX_SECRET_BYTES = 64 * 1024;
const WRITE_ATTEMPTS = 4;

function view(m: SecretMeta): SecretView {
  return {
    connectionId: m.connectionId,
    name: m.name,
    version: m.version,
    keyVersion: m.keyVersion,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

/**
 * Connection secrets: write-only through every interface. Values go in through `setSecret` and come out
 * only through `accessorFor(...).get` inside the tool call that asks; listings carry names, versions and
 * timestamps. Nothing here logs, and no error message carries a value.
 */
@Injectable()
export class VaultService {
  constructor(
    private readonly repo: TenantVaultRepository,
    private readonly keys: DataKeys,
    private readonly metrics: VaultMetrics,
  ) {}

  async setSecret(
    scope: TenantScope,
    connectionId: string,
    name: string,
    value: string,
  ): Promise<SecretView> {
    this.validName(name);
    const plaintext = Buffer.from(value, 'utf8');
    try {
      if (plaintext.length === 0) throw new InvalidArgumentError('a secret value must not be empty');
      if (plaintext.length > MAX_SECRET_BYTES) {
        throw new InvalidArgumentError(`a secret value must be at most ${MAX_SECRET_BYTES} bytes`);
      }
      await this.requireConnection(scope, connectionId);
      for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        const active = await this.repo.findActiveKey(scope);
        if (!active) {
          await this.keys.ensureTenantKey(scope); // The tenant's first secret.
          continue;
        }
        // Loaded before the transaction: nothing inside it may wait for another connection.
        const key = await this.keys.tenantKey(scope, active.version);
        let written: SecretMeta | null;
        try {
          written = await this.repo.writeSecret(scope, connectionId, name, active.version, (secretId) => {
            this.metrics.add('encrypt');
            return seal(
              key,
              plaintext,
              secretAad({ tenantId: scope.tenantId, connectionId, secretId, name }),
            );
          });
        } catch (e) {
          // Two first writes of the same name raced; the retry updates the winner's row.
          if (isUniqueViolation(e) && attempt < WRITE_ATTEMPTS) continue;
          throw e;
        } finally {
          key.fill(0);
        }
        if (written) return view(written);
        // A key switch committed between reading the active version and writing: use the new one.
      }
      throw new Error('no active data key for the tenant after several attempts');
    } finally {
      plaintext.fill(0);
    }
  }

  async deleteSecret(scope: TenantScope, connectionId: string, name: string): Promise<void> {
    await this.requireConnection(scope, connectionId);
    if (!(await this.repo.deleteSecret(scope, connectionId, name)))
      throw new NotFoundError(`secret "${name}"`);
  }

  async listSecrets(scope: TenantScope, connectionId?: string): Promise<SecretView[]> {
    if (connectionId !== undefined) await this.requireConnection(scope, connectionId);
    return (await this.repo.listSecrets(scope, connectionId)).map(view);
  }

  /** A connection of this tenant by id or name, with how many secrets it holds. */
  async findConnection(scope: TenantScope, idOrName: string): Promise<VaultConnection> {
    const c = await this.repo.findConnection(scope, idOrName);
    if (!c) throw new NotFoundError(`connection "${idOrName}"`);
    return c;
  }

  listConnections(scope: TenantScope): Promise<VaultConnection[]> {
    return this.repo.listConnections(scope);
  }

  /**
   * The accessor a connection's tool handlers receive. It holds no plaintext: each `get` reads the row,
   * decrypts and hands the value to the caller, which is the only place it lives.
   */
  accessorFor(tenantId: string, connectionId: string): SecretsAccessor {
    const scope: TenantScope = { tenantId };
    return {
      get: async (name: string): Promise<string> => {
        const plaintext = await this.decrypt(scope, connectionId, name);
        try {
          return plaintext.toString('utf8');
        } finally {
          plaintext.fill(0);
        }
      },
      has: (name: string): Promise<boolean> => this.repo.hasSecret(scope, connectionId, name),
    };
  }

  /** Counters of vault operations since boot, for metrics. */
  stats(): VaultStats {
    return this.metrics.snapshot();
  }

  private async decrypt(scope: TenantScope, connectionId: string, name: string): Promise<Buffer> {
    // Twice at most: a rotation may retire the version a row named between reading the row and its key.
    for (let attempt = 1; ; attempt++) {
      const row = await this.repo.findSecret(scope, connectionId, name);
      if (!row) throw new NotFoundError(`secret "${name}" of this connection`);
      try {
        return await this.openRow(scope, row);
      } catch (e) {
        if (!(e instanceof RetiredKeyError)) throw e;
        if (attempt >= 2) throw new SecretIntegrityError(`secret "${name}"`);
      }
    }
  }

  /** Decrypts one stored row (also used by data-key rotation). Throws RetiredKeyError or SecretIntegrityError. */
  async openRow(scope: TenantScope, row: Secret): Promise<Buffer> {
    const key = await this.keys.tenantKey(scope, row.keyVersion);
    try {
      this.metrics.add('decrypt');
      const plaintext = open(
        key,
        {
          iv: Buffer.from(row.iv),
          ciphertext: Buffer.from(row.ciphertext),
          authTag: Buffer.from(row.authTag),
        },
        secretAad({
          tenantId: scope.tenantId,
          connectionId: row.connectionId,
          secretId: row.id,
          name: row.name,
        }),
      );
      if (!plaintext) {
        this.metrics.add('decryptFailures');
        throw new SecretIntegrityError(`secret "${row.name}"`);
      }
      return plaintext;
    } finally {
      key.fill(0);
    }
  }

  private validName(name: string): void {
    if (!SECRET_NAME.test(name)) {
      throw new InvalidArgumentError(
        'a secret name is 1-128 characters of letters, digits, "_", "." and "-", starting with a letter or digit',
      );
    }
  }

  private async requireConnection(scope: TenantScope, connectionId: string): Promise<void> {
    const c = await this.repo.findConnection(scope, connectionId);
    if (!c || c.id !== connectionId) throw new NotFoundError(`connection "${connectionId}"`);
  }
}
