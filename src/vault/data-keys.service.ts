import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/tenant-scope.js';
import { isUniqueViolation } from '../database/prisma-errors.js';
import { DataKeyCache } from './data-key-cache.js';
import { newDataKey } from './envelope.js';
import { KmsProvider, type KmsContext, type WrappedKey } from './kms-provider.js';
import { PlatformKeyRepository } from './platform-key.repository.js';
import { TenantVaultRepository } from './tenant-vault.repository.js';
import { SecretIntegrityError } from './vault-errors.js';
import { VaultMetrics } from './vault-metrics.js';

/** How long an unwrapped data key stays in memory, and how many at most. */
const KEY_CACHE_TTL_MS = 60_000;
const KEY_CACHE_MAX = 10_000;

/** The data key version a row names has been retired since the row was read (a rotation moved it on). */
export class RetiredKeyError extends Error {
  constructor() {
    super('data key version retired');
    this.name = 'RetiredKeyError';
  }
}

export function tenantKeyContext(tenantId: string, version: number): KmsContext {
  return { purpose: 'tenant-data-key', tenantId, version: String(version) };
}

export function platformKeyContext(version: number): KmsContext {
  return { purpose: 'platform-data-key', version: String(version) };
}

/**
 * Plaintext data keys, unwrapped through the KMS provider and cached briefly. Every method returns a copy the
 * caller owns and should zero after use; the cached original is zeroed when it expires.
 */
@Injectable()
export class DataKeys {
  private readonly cache = new DataKeyCache(KEY_CACHE_TTL_MS, KEY_CACHE_MAX);
  /** One unwrap per key at a time, however many calls miss the cache together. */
  private readonly inflight = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly kms: KmsProvider,
    private readonly tenants: TenantVaultRepository,
    private readonly platform: PlatformKeyRepository,
    private readonly metrics: VaultMetrics,
  ) {}

  async tenantKey(scope: TenantScope, version: number): Promise<Buffer> {
    return this.cached(`t:${scope.tenantId}:${version}`, async () => {
      const row = await this.tenants.findKey(scope, version);
      if (!row) throw new SecretIntegrityError(`data key version ${version}`);
      if (row.retiredAt !== null) throw new RetiredKeyError();
      return this.unwrap(
        { kekId: row.kekId, ciphertext: Buffer.from(row.wrappedKey) },
        tenantKeyContext(scope.tenantId, version),
      );
    });
  }

  /** Creates the tenant's first data key unless it has one. Safe to race: the loser reads the winner's. */
  async ensureTenantKey(scope: TenantScope): Promise<void> {
    if ((await this.tenants.latestVersion(scope)) > 0) return;
    const wrapped = await this.newWrapped(tenantKeyContext(scope.tenantId, 1));
    await this.tenants
      .createFirstKey(scope, { wrappedKey: wrapped.ciphertext, kekId: wrapped.kekId })
      .catch((e: unknown) => {
        if (!isUniqueViolation(e)) throw e;
      });
  }

  /** A fresh data key for `version`, wrapped; the plaintext never leaves this method. */
  newTenantKey(scope: TenantScope, version: number): Promise<WrappedKey> {
    return this.newWrapped(tenantKeyContext(scope.tenantId, version));
  }

  /** The active platform data key (created on first use) and its version. */
  async activePlatformKey(): Promise<{ readonly version: number; readonly key: Buffer }> {
    let row = await this.platform.findActive();
    if (!row) {
      const wrapped = await this.newWrapped(platformKeyContext(1));
      row = await this.platform
        .createFirst({ wrappedKey: wrapped.ciphertext, kekId: wrapped.kekId })
        .catch(async (e: unknown) => {
          if (!isUniqueViolation(e)) throw e;
          return this.platform.findVersion(1);
        });
      if (!row) throw new SecretIntegrityError('the platform data key');
    }
    return { version: row.version, key: await this.platformKey(row.version) };
  }

  platformKey(version: number): Promise<Buffer> {
    return this.cached(`p:${version}`, async () => {
      const row = await this.platform.findVersion(version);
      if (!row) throw new SecretIntegrityError(`platform data key version ${version}`);
      return this.unwrap(
        { kekId: row.kekId, ciphertext: Buffer.from(row.wrappedKey) },
        platformKeyContext(version),
      );
    });
  }

  /** Unwraps under whichever KEK wrapped it and wraps again under the active KEK. */
  async rewrap(wrapped: WrappedKey, context: KmsContext): Promise<WrappedKey> {
    const key = await this.unwrap(wrapped, context);
    try {
      const next = await this.kms.wrap(key, context);
      this.metrics.add('wrap');
      return next;
    } finally {
      key.fill(0);
    }
  }

  activeKekId(): string {
    return this.kms.activeKekId();
  }

  forgetTenantKeys(scope: TenantScope, versions: readonly number[]): void {
    for (const v of versions) this.cache.drop(`t:${scope.tenantId}:${v}`);
  }

  /** For tests and shutdown: zero and drop every cached key. */
  clearCache(): void {
    this.cache.clear();
  }

  private async cached(id: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.cache.get(id);
    if (hit) {
      this.metrics.add('keyCacheHits');
      return Buffer.from(hit);
    }
    this.metrics.add('keyCacheMisses');
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = load().then((key) => {
        this.cache.set(id, key);
        return key;
      });
      this.inflight.set(id, pending);
      void pending.finally(() => this.inflight.delete(id)).catch(() => undefined);
    }
    // Copy synchronously after the await: the cached original may be zeroed by a later eviction.
    return Buffer.from(await pending);
  }

  private async unwrap(wrapped: WrappedKey, context: KmsContext): Promise<Buffer> {
    this.metrics.add('unwrap');
    return this.kms.unwrap(wrapped, context);
  }

  private async newWrapped(context: KmsContext): Promise<WrappedKey> {
    const key = newDataKey();
    try {
      const wrapped = await this.kms.wrap(key, context);
      this.metrics.add('wrap');
      return wrapped;
    } finally {
      key.fill(0);
    }
  }
}
