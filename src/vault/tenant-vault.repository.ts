import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/tenant-scope.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Secret, TenantKey } from '../generated/prisma/client.js';
import type { Sealed } from './envelope.js';

/** A secret without its ciphertext: all any listing ever returns. */
export type SecretMeta = Pick<
  Secret,
  'id' | 'connectionId' | 'name' | 'version' | 'keyVersion' | 'createdAt' | 'updatedAt'
>;

export interface VaultConnection {
  readonly id: string;
  readonly name: string;
  readonly packId: string;
  readonly enabled: boolean;
  readonly secrets: number;
}

export interface KeyVersionUsage {
  readonly key: TenantKey;
  readonly secrets: number;
}

export interface ReencryptedSecret {
  readonly id: string;
  readonly fromKeyVersion: number;
  readonly version: number;
  readonly updatedAt: Date;
  readonly sealed: Sealed;
}

const META = {
  id: true,
  connectionId: true,
  name: true,
  version: true,
  keyVersion: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Prisma's Bytes is a Uint8Array over a plain ArrayBuffer; a Buffer may sit on a shared pool. */
export function bytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b);
}

/**
 * A tenant's data keys (TenantKey) and the secrets encrypted under them (Secret): one aggregate, since
 * writes to secrets and switches between key versions must exclude each other (see `writeSecret`).
 */
@Injectable()
export class TenantVaultRepository {
  constructor(private readonly prisma: PrismaService) {}

  // --- connections (read only: the vault checks ownership and lists what it protects) -------------------

  async findConnection(scope: TenantScope, idOrName: string): Promise<VaultConnection | null> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
    const c = await this.prisma.connection.findFirst({
      where: {
        tenantId: scope.tenantId,
        ...(isUuid ? { OR: [{ id: idOrName }, { name: idOrName }] } : { name: idOrName }),
      },
      include: { _count: { select: { secrets: true } } },
    });
    return c && { id: c.id, name: c.name, packId: c.packId, enabled: c.enabled, secrets: c._count.secrets };
  }

  async listConnections(scope: TenantScope): Promise<VaultConnection[]> {
    const rows = await this.prisma.connection.findMany({
      where: { tenantId: scope.tenantId },
      orderBy: { name: 'asc' },
      include: { _count: { select: { secrets: true } } },
    });
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      packId: c.packId,
      enabled: c.enabled,
      secrets: c._count.secrets,
    }));
  }

  // --- data keys --------------------------------------------------------------------------------------

  findKey(scope: TenantScope, version: number): Promise<TenantKey | null> {
    return this.prisma.tenantKey.findUnique({
      where: { tenantId_version: { tenantId: scope.tenantId, version } },
    });
  }

  findActiveKey(scope: TenantScope): Promise<TenantKey | null> {
    return this.prisma.tenantKey.findFirst({ where: { tenantId: scope.tenantId, active: true } });
  }

  async latestVersion(scope: TenantScope): Promise<number> {
    const r = await this.prisma.tenantKey.aggregate({
      where: { tenantId: scope.tenantId },
      _max: { version: true },
    });
    return r._max.version ?? 0;
  }

  listKeys(scope: TenantScope): Promise<TenantKey[]> {
    return this.prisma.tenantKey.findMany({
      where: { tenantId: scope.tenantId },
      orderBy: { version: 'asc' },
    });
  }

  /** Version 1 for a tenant without keys. Throws a unique violation when another writer created it first. */
  createFirstKey(
    scope: TenantScope,
    wrapped: { readonly wrappedKey: Uint8Array; readonly kekId: string },
  ): Promise<TenantKey> {
    return this.prisma.tenantKey.create({
      data: {
        tenantId: scope.tenantId,
        version: 1,
        wrappedKey: bytes(wrapped.wrappedKey),
        kekId: wrapped.kekId,
        active: true,
      },
    });
  }

  /**
   * Makes `next` the active version, in one transaction that waits for every in-flight `writeSecret` holding
   * the old active row (FOR UPDATE against their FOR SHARE). Every secret written under the old version is
   * therefore committed before this returns, and visible to the re-encryption scan that follows. Returns
   * false when `expectedLatest` is no longer the newest version (a concurrent rotation won).
   */
  async switchActiveKey(
    scope: TenantScope,
    expectedLatest: number,
    next: { readonly version: number; readonly wrappedKey: Uint8Array; readonly kekId: string },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "version" FROM "TenantKey" WHERE "tenantId" = ${scope.tenantId}::uuid AND "active" FOR UPDATE`;
      const latest = await tx.tenantKey.aggregate({
        where: { tenantId: scope.tenantId },
        _max: { version: true },
      });
      if ((latest._max.version ?? 0) !== expectedLatest) return false;
      await tx.tenantKey.updateMany({
        where: { tenantId: scope.tenantId, active: true },
        data: { active: false },
      });
      await tx.tenantKey.create({
        data: {
          tenantId: scope.tenantId,
          version: next.version,
          wrappedKey: bytes(next.wrappedKey),
          kekId: next.kekId,
          active: true,
          rotationStartedAt: new Date(),
        },
      });
      return true;
    });
  }

  /** The active version when a data-key rotation created it and has not finished re-encrypting. */
  findUnfinishedRotation(scope: TenantScope): Promise<TenantKey | null> {
    return this.prisma.tenantKey.findFirst({
      where: {
        tenantId: scope.tenantId,
        active: true,
        rotationStartedAt: { not: null },
        rotationFinishedAt: null,
      },
    });
  }

  /**
   * Retires every older version no secret uses any more (its wrapped key is destroyed, so the data key is
   * gone for good), then marks the rotation finished if nothing older is left. Returns the retired versions
   * and how many secrets still sit under older versions.
   */
  async retireDrainedKeys(
    scope: TenantScope,
    activeVersion: number,
  ): Promise<{ retired: number[]; remaining: number }> {
    return this.prisma.$transaction(async (tx) => {
      // Same lock as a key switch: no writer can be mid-way through writing under an old version here.
      await tx.$queryRaw`SELECT "version" FROM "TenantKey" WHERE "tenantId" = ${scope.tenantId}::uuid AND "active" FOR UPDATE`;
      const older = await tx.tenantKey.findMany({
        where: { tenantId: scope.tenantId, version: { not: activeVersion }, retiredAt: null },
        select: { version: true },
      });
      const retired: number[] = [];
      let remaining = 0;
      for (const { version } of older) {
        const inUse = await tx.secret.count({ where: { tenantId: scope.tenantId, keyVersion: version } });
        if (inUse > 0) {
          remaining += inUse;
          continue;
        }
        await tx.tenantKey.update({
          where: { tenantId_version: { tenantId: scope.tenantId, version } },
          data: { active: false, retiredAt: new Date(), wrappedKey: new Uint8Array(0) },
        });
        retired.push(version);
      }
      if (remaining === 0) {
        await tx.tenantKey.updateMany({
          where: {
            tenantId: scope.tenantId,
            version: activeVersion,
            rotationStartedAt: { not: null },
            rotationFinishedAt: null,
          },
          data: { rotationFinishedAt: new Date() },
        });
      }
      return { retired, remaining };
    });
  }

  async keyUsage(scope: TenantScope): Promise<KeyVersionUsage[]> {
    const [keys, counts] = await Promise.all([
      this.listKeys(scope),
      this.prisma.secret.groupBy({
        by: ['keyVersion'],
        where: { tenantId: scope.tenantId },
        _count: { _all: true },
      }),
    ]);
    const byVersion = new Map(counts.map((c) => [c.keyVersion, c._count._all]));
    return keys.map((key) => ({ key, secrets: byVersion.get(key.version) ?? 0 }));
  }

  // --- secrets ----------------------------------------------------------------------------------------

  findSecret(scope: TenantScope, connectionId: string, name: string): Promise<Secret | null> {
    return this.prisma.secret.findFirst({ where: { tenantId: scope.tenantId, connectionId, name } });
  }

  async hasSecret(scope: TenantScope, connectionId: string, name: string): Promise<boolean> {
    return (await this.prisma.secret.count({ where: { tenantId: scope.tenantId, connectionId, name } })) > 0;
  }

  listSecrets(scope: TenantScope, connectionId?: string): Promise<SecretMeta[]> {
    return this.prisma.secret.findMany({
      where: { tenantId: scope.tenantId, ...(connectionId === undefined ? {} : { connectionId }) },
      select: META,
      orderBy: [{ connectionId: 'asc' }, { name: 'asc' }],
    });
  }

  async deleteSecret(scope: TenantScope, connectionId: string, name: string): Promise<boolean> {
    const { count } = await this.prisma.secret.deleteMany({
      where: { tenantId: scope.tenantId, connectionId, name },
    });
    return count > 0;
  }

  /**
   * Creates or replaces a secret under the tenant's active data key. The active key row is read FOR SHARE,
   * so a key switch waits for this write and this write never lands under a version being retired.
   * `encrypt` gets the row id the ciphertext is bound to; it must not touch the database (on PGlite there
   * is one connection, and it is this transaction's). Returns null when `keyVersion` is not (or no longer)
   * the active version: the caller loads the current one and tries again.
   */
  async writeSecret(
    scope: TenantScope,
    connectionId: string,
    name: string,
    keyVersion: number,
    encrypt: (secretId: string) => Sealed,
  ): Promise<SecretMeta | null> {
    return this.prisma.$transaction(async (tx) => {
      const active = await tx.$queryRaw<{ version: number }[]>`
        SELECT "version" FROM "TenantKey" WHERE "tenantId" = ${scope.tenantId}::uuid AND "active" FOR SHARE`;
      if (active[0]?.version !== keyVersion) return null;
      const existing = await tx.secret.findFirst({
        where: { tenantId: scope.tenantId, connectionId, name },
        select: { id: true },
      });
      const id = existing?.id ?? randomUUID();
      const sealed = encrypt(id);
      const data = {
        ciphertext: bytes(sealed.ciphertext),
        iv: bytes(sealed.iv),
        authTag: bytes(sealed.authTag),
        keyVersion,
      };
      if (existing) {
        return tx.secret.update({
          where: { id },
          data: { ...data, version: { increment: 1 } },
          select: META,
        });
      }
      return tx.secret.create({
        data: { id, tenantId: scope.tenantId, connectionId, name, ...data },
        select: META,
      });
    });
  }

  /** A batch of the tenant's secrets not yet under `version`, in id order. */
  secretsNotUnder(scope: TenantScope, version: number, take: number): Promise<Secret[]> {
    return this.prisma.secret.findMany({
      where: { tenantId: scope.tenantId, keyVersion: { not: version } },
      orderBy: { id: 'asc' },
      take,
    });
  }

  countSecretsNotUnder(scope: TenantScope, version: number): Promise<number> {
    return this.prisma.secret.count({ where: { tenantId: scope.tenantId, keyVersion: { not: version } } });
  }

  /**
   * Stores re-encrypted secrets and counts them on the rotation's key row, in one transaction. Each update
   * only applies if the row is unchanged since it was read (same key version and secret version), so a
   * concurrent `writeSecret` always wins; the skipped row is simply picked up by the next batch if needed.
   * `updatedAt` is kept: it says when the value last changed, and rotation does not change it.
   */
  async storeReencrypted(
    scope: TenantScope,
    version: number,
    rows: readonly ReencryptedSecret[],
  ): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      // Lock order as in writeSecret (the key row, then secrets): taking the secrets first would deadlock
      // with a writer holding the key row FOR SHARE while waiting for one of those secrets.
      await tx.$queryRaw`SELECT "version" FROM "TenantKey" WHERE "tenantId" = ${scope.tenantId}::uuid AND "version" = ${version} FOR UPDATE`;
      let stored = 0;
      for (const r of rows) {
        const { count } = await tx.secret.updateMany({
          where: { id: r.id, tenantId: scope.tenantId, keyVersion: r.fromKeyVersion, version: r.version },
          data: {
            ciphertext: bytes(r.sealed.ciphertext),
            iv: bytes(r.sealed.iv),
            authTag: bytes(r.sealed.authTag),
            keyVersion: version,
            updatedAt: r.updatedAt,
          },
        });
        stored += count;
      }
      if (stored > 0) {
        await tx.tenantKey.update({
          where: { tenantId_version: { tenantId: scope.tenantId, version } },
          data: { reencrypted: { increment: stored } },
        });
      }
      return stored;
    });
  }

  // --- across tenants: KEK rotation and status are platform operations, not tenant ones -------------------

  /** Live (not retired) data keys of any tenant wrapped by a KEK other than `kekId`, in id order. */
  keysNotWrappedBy(kekId: string, take: number, afterId?: string): Promise<TenantKey[]> {
    return this.prisma.tenantKey.findMany({
      where: { kekId: { not: kekId }, retiredAt: null, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take,
    });
  }

  /** Replaces a data key's wrapping, only if it is still wrapped by `fromKekId` (idempotent on resume). */
  async rewrapKey(
    id: string,
    fromKekId: string,
    wrapped: { readonly wrappedKey: Uint8Array; readonly kekId: string },
  ): Promise<boolean> {
    const { count } = await this.prisma.tenantKey.updateMany({
      where: { id, kekId: fromKekId, retiredAt: null },
      data: { wrappedKey: bytes(wrapped.wrappedKey), kekId: wrapped.kekId },
    });
    return count > 0;
  }

  async keysByKek(): Promise<Record<string, number>> {
    const rows = await this.prisma.tenantKey.groupBy({
      by: ['kekId'],
      where: { retiredAt: null },
      _count: { _all: true },
    });
    return Object.fromEntries(rows.map((r) => [r.kekId, r._count._all]));
  }

  async keyCounts(): Promise<{ live: number; retired: number; tenants: number; secrets: number }> {
    const [live, retired, tenants, secrets] = await Promise.all([
      this.prisma.tenantKey.count({ where: { retiredAt: null } }),
      this.prisma.tenantKey.count({ where: { retiredAt: { not: null } } }),
      this.prisma.tenantKey.groupBy({ by: ['tenantId'] }).then((r) => r.length),
      this.prisma.secret.count(),
    ]);
    return { live, retired, tenants, secrets };
  }

  /** Data-key rotations started and not finished, with their tenant's slug. */
  unfinishedRotations(): Promise<(TenantKey & { tenant: { slug: string } })[]> {
    return this.prisma.tenantKey.findMany({
      where: { active: true, rotationStartedAt: { not: null }, rotationFinishedAt: null },
      include: { tenant: { select: { slug: true } } },
      orderBy: { rotationStartedAt: 'asc' },
    });
  }
}
