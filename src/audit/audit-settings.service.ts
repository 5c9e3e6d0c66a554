import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { AuditRepository } from './audit.repository.js';

export interface EffectiveAuditSettings {
  readonly recordRawArguments: boolean;
  /** Days events are kept; 0 = forever. */
  readonly retentionDays: number;
  /** Whether `retentionDays` is the tenant's own or the platform default. */
  readonly retentionIsDefault: boolean;
}

/** Settings are read on every tool call; another node's change is seen within this long. */
const CACHE_MS = 15_000;
const MAX_CACHED = 20_000;

/** A tenant's audit settings with the platform defaults applied, cached briefly. */
@Injectable()
export class AuditSettingsService {
  private readonly cache = new Map<
    string,
    { readonly value: EffectiveAuditSettings; readonly until: number }
  >();

  constructor(
    private readonly repo: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string): Promise<EffectiveAuditSettings> {
    const now = Date.now();
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > now) return hit.value;
    const row = await this.repo.findSettings({ tenantId });
    const value = this.effective(row);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(tenantId, { value, until: now + CACHE_MS });
    return value;
  }

  async update(
    tenantId: string,
    patch: { readonly recordRawArguments?: boolean; readonly retentionDays?: number | null },
  ): Promise<{ before: EffectiveAuditSettings; after: EffectiveAuditSettings }> {
    const before = this.effective(await this.repo.findSettings({ tenantId }));
    const after = this.effective(await this.repo.upsertSettings({ tenantId }, patch));
    this.cache.delete(tenantId);
    return { before, after };
  }

  private effective(
    row: { readonly recordRawArguments: boolean; readonly retentionDays: number | null } | null,
  ): EffectiveAuditSettings {
    const own = row?.retentionDays ?? null;
    return {
      recordRawArguments: row?.recordRawArguments ?? false,
      retentionDays: own ?? this.config.audit.retentionDays,
      retentionIsDefault: own === null,
    };
  }
}
