import { Injectable, Logger } from '@nestjs/common';
import { InvalidArgumentError } from '../common/domain-error.js';
import type { TenantScope } from '../common/tenant-scope.js';
import { DataKeys, platformKeyContext, RetiredKeyError, tenantKeyContext } from './data-keys.service.js';
import { seal, secretAad } from './envelope.js';
import { KmsProvider, type KmsDescription } from './kms-provider.js';
import { PlatformKeyRepository } from './platform-key.repository.js';
import { TenantVaultRepository, type ReencryptedSecret } from './tenant-vault.repository.js';
import { UnknownKekError } from './vault-errors.js';
import { VaultMetrics } from './vault-metrics.js';
import { VaultService } from './vault.service.js';

export const DEFAULT_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 5_000;

export interface RotationOptions {
  /** Rows per transaction. */
  readonly batchSize?: number;
  /** Stop after this many rows (a throttled, resumable run); the next run carries on. */
  readonly maxItems?: number;
  /** Stop cleanly after the current batch (Ctrl-C in the CLI). */
  readonly signal?: AbortSignal;
  /** Data-key rotation: secrets under the new key so far (all runs) of the total, after each batch. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** One tenant's keys as its admins see them: versions and counts, never a key or a value. */
export interface TenantVaultStatus {
  /** The active data key's version; null when the tenant has never stored a secret. */
  readonly keyVersion: number | null;
  /** The KEK that wraps the active data key. */
  readonly kekId: string | null;
  readonly secrets: number;
  /** Secrets still encrypted under an older data key (an unfinished rotation's remainder). */
  readonly secretsOnOldKeys: number;
  /** When the last data-key rotation finished. */
  readonly rotatedAt: Date | null;
  readonly rotationInProgress: boolean;
}

export interface KekRotationReport {
  readonly activeKekId: string;
  readonly status: 'completed' | 'paused';
  readonly rewrapped: { readonly tenantKeys: number; readonly platformKeys: number };
  /** Data keys still wrapped by another KEK after this run (those that failed plus, when paused, the rest). */
  readonly remaining: number;
  /** Data keys under a KEK this process does not hold: add it as a previous key and run again. */
  readonly failures: readonly { readonly keyId: string; readonly kekId: string; readonly reason: string }[];
}

export interface TenantKeyRotationReport {
  readonly tenantId: string;
  /** `none` when the tenant has no data key yet (it has never stored a secret). */
  readonly status: 'completed' | 'paused' | 'none';
  /** True when this run carried on an interrupted rotation rather than starting one. */
  readonly resumed: boolean;
  readonly toVersion: number | null;
  /** Secrets re-encrypted by this run, and by the rotation in all its runs. */
  readonly reencrypted: number;
  readonly reencryptedTotal: number;
  readonly remaining: number;
  readonly retiredVersions: readonly number[];
}

export type KeyState = 'active' | 'retiring' | 'retired';

export interface VaultStatus {
  readonly kms: KmsDescription;
  readonly secrets: number;
  readonly tenantKeys: {
    readonly tenants: number;
    readonly live: number;
    readonly retired: number;
    /** Live data keys per KEK id; any id other than the active one is what `rotate-kek` re-wraps. */
    readonly byKek: Readonly<Record<string, number>>;
  };
  readonly platformKeys: { readonly byKek: Readonly<Record<string, number>> };
  /** Keys (tenant and platform) still wrapped by a KEK other than the active one. */
  readonly awaitingRewrap: number;
  readonly rotations: readonly {
    readonly tenantId: string;
    readonly tenant: string;
    readonly toVersion: number;
    readonly reencrypted: number;
    readonly remaining: number;
    readonly startedAt: Date | null;
  }[];
  readonly tenant?: {
    readonly tenantId: string;
    readonly versions: readonly {
      readonly version: number;
      readonly state: KeyState;
      readonly kekId: string;
      readonly secrets: number;
      readonly reencrypted: number;
      readonly createdAt: Date;
      readonly retiredAt: Date | null;
    }[];
  };
}

/**
 * Online, resumable rotation. KEK rotation re-wraps data keys (never touching secrets); data-key rotation
 * gives a tenant a new key version, re-encrypts its secrets in batches and retires the old versions. Both
 * record their progress in the rows themselves (`kekId`; `keyVersion` and `TenantKey.reencrypted`), so a run
 * that stops for any reason is continued by running the same command again.
 */
@Injectable()
export class VaultRotationService {
  private readonly logger = new Logger('VaultRotation');

  constructor(
    private readonly kms: KmsProvider,
    private readonly keys: DataKeys,
    private readonly tenants: TenantVaultRepository,
    private readonly platform: PlatformKeyRepository,
    private readonly vault: VaultService,
    private readonly metrics: VaultMetrics,
  ) {}

  async rotateKek(opts: RotationOptions = {}): Promise<KekRotationReport> {
    const { batchSize, maxItems } = this.limits(opts);
    const active = this.kms.activeKekId();
    const failures: { keyId: string; kekId: string; reason: string }[] = [];
    let platformKeys = 0;
    let budget = maxItems;
    let paused = false;

    const rewrapAll = async <R extends { id: string; kekId: string; wrappedKey: Uint8Array }>(
      fetch: (take: number, afterId?: string) => Promise<R[]>,
      context: (row: R) => Record<string, string>,
      store: (row: R, wrapped: { wrappedKey: Uint8Array; kekId: string }) => Promise<boolean>,
    ): Promise<number> => {
      let done = 0;
      let after: string | undefined;
      for (;;) {
        if (budget <= 0 || opts.signal?.aborted) {
          paused = true;
          return done;
        }
        const rows = await fetch(Math.min(batchSize, budget), after);
        if (rows.length === 0) return done;
        for (const row of rows) {
          after = row.id;
          try {
            const next = await this.keys.rewrap(
              { kekId: row.kekId, ciphertext: Buffer.from(row.wrappedKey) },
              context(row),
            );
            if (await store(row, { wrappedKey: next.ciphertext, kekId: next.kekId })) done++;
          } catch (e) {
            if (!(e instanceof UnknownKekError)) throw e;
            failures.push({ keyId: row.id, kekId: row.kekId, reason: 'unknown key-encryption key' });
          }
          budget--;
        }
      }
    };

    const tenantKeys = await rewrapAll(
      (take, after) => this.tenants.keysNotWrappedBy(active, take, after),
      (row) => tenantKeyContext(row.tenantId, row.version),
      (row, w) => this.tenants.rewrapKey(row.id, row.kekId, w),
    );
    if (!paused) {
      platformKeys = await rewrapAll(
        (take, after) => this.platform.notWrappedBy(active, take, after),
        (row) => platformKeyContext(row.version),
        (row, w) => this.platform.rewrap(row.id, row.kekId, w),
      );
    }
    this.metrics.add('rewrappedKeys', tenantKeys + platformKeys);
    const remaining = await this.awaitingRewrap(active);
    this.logger.log(
      `KEK rotation to ${active}: re-wrapped ${tenantKeys} tenant and ${platformKeys} platform data keys; ${remaining} remaining`,
    );
    return {
      activeKekId: active,
      status: paused && remaining > failures.length ? 'paused' : 'completed',
      rewrapped: { tenantKeys, platformKeys },
      remaining,
      failures,
    };
  }

  async rotateTenantKey(scope: TenantScope, opts: RotationOptions = {}): Promise<TenantKeyRotationReport> {
    const { batchSize, maxItems } = this.limits(opts);
    const started = await this.startOrResume(scope);
    if (started === null) {
      return {
        tenantId: scope.tenantId,
        status: 'none',
        resumed: false,
        toVersion: null,
        reencrypted: 0,
        reencryptedTotal: 0,
        remaining: 0,
        retiredVersions: [],
      };
    }
    const target = started.version;
    let reencrypted = 0;
    const retiredVersions: number[] = [];
    let paused = false;
    const before = (await this.tenants.findKey(scope, target))?.reencrypted ?? 0;
    let total = before + (await this.tenants.countSecretsNotUnder(scope, target));
    const report = () => {
      total = Math.max(total, before + reencrypted);
      opts.onProgress?.({ done: before + reencrypted, total });
    };
    report();
    for (;;) {
      const budget = maxItems - reencrypted;
      if (budget <= 0 || opts.signal?.aborted) {
        paused = true;
        break;
      }
      const rows = await this.tenants.secretsNotUnder(scope, target, Math.min(batchSize, budget));
      if (rows.length === 0) {
        const { retired, remaining } = await this.tenants.retireDrainedKeys(scope, target);
        this.keys.forgetTenantKeys(scope, retired);
        this.metrics.add('retiredKeys', retired.length);
        retiredVersions.push(...retired);
        if (remaining === 0) break;
        continue; // A write landed under an old version after the scan: take it too.
      }
      const key = await this.keys.tenantKey(scope, target);
      const batch: ReencryptedSecret[] = [];
      try {
        for (const row of rows) {
          let plaintext: Buffer;
          try {
            plaintext = await this.vault.openRow(scope, row);
          } catch (e) {
            if (e instanceof RetiredKeyError) continue; // Rewritten since read; the next batch sees it.
            throw e;
          }
          try {
            batch.push({
              id: row.id,
              fromKeyVersion: row.keyVersion,
              version: row.version,
              updatedAt: row.updatedAt,
              sealed: seal(
                key,
                plaintext,
                secretAad({
                  tenantId: scope.tenantId,
                  connectionId: row.connectionId,
                  secretId: row.id,
                  name: row.name,
                }),
              ),
            });
            this.metrics.add('encrypt');
          } finally {
            plaintext.fill(0);
          }
        }
      } finally {
        key.fill(0);
      }
      const stored = await this.tenants.storeReencrypted(scope, target, batch);
      reencrypted += stored;
      this.metrics.add('rotatedSecrets', stored);
      report();
    }
    const [remaining, row] = await Promise.all([
      this.tenants.countSecretsNotUnder(scope, target),
      this.tenants.findKey(scope, target),
    ]);
    this.logger.log(
      `data-key rotation of tenant ${scope.tenantId} to version ${target}: ${reencrypted} secrets re-encrypted, ${remaining} remaining` +
        (retiredVersions.length > 0 ? `, retired version(s) ${retiredVersions.join(', ')}` : ''),
    );
    return {
      tenantId: scope.tenantId,
      status: paused && remaining > 0 ? 'paused' : 'completed',
      resumed: started.resumed,
      toVersion: target,
      reencrypted,
      reencryptedTotal: row?.reencrypted ?? reencrypted,
      remaining,
      retiredVersions,
    };
  }

  /** A tenant's key status (no platform-wide figures). */
  async tenantStatus(scope: TenantScope): Promise<TenantVaultStatus> {
    const usage = await this.tenants.keyUsage(scope);
    const active = usage.find((u) => u.key.active && !u.key.retiredAt);
    const rotated = usage
      .map((u) => u.key.rotationFinishedAt)
      .filter((d): d is Date => d !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    return {
      keyVersion: active?.key.version ?? null,
      kekId: active?.key.kekId ?? null,
      secrets: usage.reduce((n, u) => n + u.secrets, 0),
      secretsOnOldKeys: usage.reduce((n, u) => (u === active ? n : n + u.secrets), 0),
      rotatedAt: rotated ?? null,
      rotationInProgress:
        active !== undefined &&
        active.key.rotationStartedAt !== null &&
        active.key.rotationFinishedAt === null,
    };
  }

  async status(scope?: TenantScope): Promise<VaultStatus> {
    const active = this.kms.activeKekId();
    const [counts, byKek, platformByKek, rotations] = await Promise.all([
      this.tenants.keyCounts(),
      this.tenants.keysByKek(),
      this.platform.byKek(),
      this.tenants.unfinishedRotations(),
    ]);
    const awaiting = (m: Record<string, number>) =>
      Object.entries(m).reduce((n, [kek, c]) => (kek === active ? n : n + c), 0);
    const status: VaultStatus = {
      kms: this.kms.describe(),
      secrets: counts.secrets,
      tenantKeys: { tenants: counts.tenants, live: counts.live, retired: counts.retired, byKek },
      platformKeys: { byKek: platformByKek },
      awaitingRewrap: awaiting(byKek) + awaiting(platformByKek),
      rotations: await Promise.all(
        rotations.map(async (r) => ({
          tenantId: r.tenantId,
          tenant: r.tenant.slug,
          toVersion: r.version,
          reencrypted: r.reencrypted,
          remaining: await this.tenants.countSecretsNotUnder({ tenantId: r.tenantId }, r.version),
          startedAt: r.rotationStartedAt,
        })),
      ),
    };
    if (!scope) return status;
    const usage = await this.tenants.keyUsage(scope);
    return {
      ...status,
      tenant: {
        tenantId: scope.tenantId,
        versions: usage.map(({ key, secrets }) => ({
          version: key.version,
          state: key.retiredAt ? 'retired' : key.active ? 'active' : 'retiring',
          kekId: key.kekId,
          secrets,
          reencrypted: key.reencrypted,
          createdAt: key.createdAt,
          retiredAt: key.retiredAt,
        })),
      },
    };
  }

  /** The rotation to work on: an unfinished one, or a new key version made active now; null without keys. */
  private async startOrResume(scope: TenantScope): Promise<{ version: number; resumed: boolean } | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const unfinished = await this.tenants.findUnfinishedRotation(scope);
      if (unfinished) return { version: unfinished.version, resumed: true };
      const latest = await this.tenants.latestVersion(scope);
      if (latest === 0) return null;
      const next = latest + 1;
      const wrapped = await this.keys.newTenantKey(scope, next);
      if (
        await this.tenants.switchActiveKey(scope, latest, {
          version: next,
          wrappedKey: wrapped.ciphertext,
          kekId: wrapped.kekId,
        })
      ) {
        return { version: next, resumed: false };
      }
      // Another rotation switched first: the next pass resumes it instead of starting a second one.
    }
    throw new Error('could not start a data-key rotation: the key version kept changing');
  }

  private async awaitingRewrap(active: string): Promise<number> {
    const [t, p] = await Promise.all([this.tenants.keysByKek(), this.platform.byKek()]);
    return [...Object.entries(t), ...Object.entries(p)].reduce(
      (n, [kek, c]) => (kek === active ? n : n + c),
      0,
    );
  }

  private limits(opts: RotationOptions): { batchSize: number; maxItems: number } {
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new InvalidArgumentError(`batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
    }
    const maxItems = opts.maxItems ?? Number.POSITIVE_INFINITY;
    if (maxItems !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxItems) || maxItems < 1)) {
      throw new InvalidArgumentError('the maximum number of items must be a positive whole number');
    }
    return { batchSize, maxItems };
  }
}
