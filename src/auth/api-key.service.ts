import { Injectable, Logger, Optional } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import { z } from 'zod';
import { InvalidArgumentError, NotFoundError, DomainError } from '../common/domain-error.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { MembershipRepository } from '../tenancy/membership.repository.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { ApiKeyRepository, type ApiKeyWithRole } from './api-key.repository.js';
import { mintApiKey, parseApiKey, secretMatches } from './api-key.format.js';
import { UserRepository } from '../tenancy/user.repository.js';
import { AuditRecorder, SYSTEM_ACTOR, type AuditActor } from '../audit/audit.contract.js';
import { InvalidationBus } from '../redis/invalidation-bus.js';
import { MEMBER_CHANGED, type MemberChange } from '../tenancy/member-events.js';

/** Bus topic: an API key changed (payload `{ prefix }`); every node drops its cached verification. */
export const API_KEY_CHANGED = 'auth.api-key-changed';

export const API_KEY_SCOPES = ['mcp', 'mcp:read', 'mcp:write', 'mcp:admin', 'admin'] as const;
const scopesSchema = z.array(z.enum(API_KEY_SCOPES)).min(1);

/** Public view of a key: never the secret or its hash. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
}

export function toApiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    userId: k.userId,
    scopes: k.scopes,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  };
}

/** Verified keys are trusted this long without a database read; revocation evicts at once on every node. */
const VERIFY_CACHE_MS = 15_000;
/** last_used_at is written at most this often per key, so verification does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

interface CachedKey {
  readonly key: ApiKeyWithRole | null;
  readonly until: number;
}

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly cache = new Map<string, CachedKey>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditRecorder,
    @Optional() private readonly bus?: InvalidationBus,
  ) {
    bus?.on<{ prefix?: unknown }>(API_KEY_CHANGED, (p) => {
      if (typeof p?.prefix === 'string') this.cache.delete(p.prefix);
    });
    // A member's role or removal changes what every key of theirs may do.
    bus?.on<MemberChange>(MEMBER_CHANGED, (p) => {
      for (const [prefix, hit] of this.cache) {
        if (hit.key && hit.key.userId === p.userId && hit.key.tenantId === p.tenantId)
          this.cache.delete(prefix);
      }
    });
    bus?.onResync(() => this.cache.clear());
  }

  /** Creates a key for a member of the tenant (the owner when no user is named). The plaintext is returned once. */
  async create(
    tenantSlug: string,
    input: {
      readonly name?: string;
      readonly userEmail?: string;
      readonly scopes?: readonly string[];
      readonly expiresInDays?: number;
    },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<{ readonly key: string; readonly view: ApiKeyView }> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const scope = { tenantId: tenant.id };
    let userId: string;
    if (input.userEmail) {
      const user = await this.users.findByEmail(input.userEmail);
      const membership = user ? await this.memberships.find(scope, user.id) : null;
      if (!user || !membership)
        throw new NotFoundError(`member "${input.userEmail}" of tenant "${tenantSlug}"`);
      userId = user.id;
    } else {
      const owner = await this.memberships.findOwner(scope);
      if (!owner)
        throw new DomainError(
          'failed_precondition',
          `tenant "${tenantSlug}" has no owner; name a user with --user`,
        );
      userId = owner.userId;
    }
    const scopes = scopesSchema.safeParse(input.scopes ?? ['mcp']);
    if (!scopes.success) {
      throw new InvalidArgumentError(`invalid scopes; allowed: ${API_KEY_SCOPES.join(', ')}`);
    }
    if (
      input.expiresInDays !== undefined &&
      (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 3650)
    ) {
      throw new InvalidArgumentError('expiresInDays must be a whole number of days between 1 and 3650');
    }
    const minted = mintApiKey();
    const record = await this.keys.create(scope, {
      userId,
      name: input.name?.trim() || 'API key',
      prefix: minted.prefix,
      hash: minted.hash,
      scopes: scopes.data,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    });
    const view = toApiKeyView(record);
    await this.audit.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'key.create',
      actor,
      target: view.prefix,
      outcome: 'success',
      data: { after: { ...view } },
    });
    return { key: minted.plaintext, view };
  }

  async list(tenantSlug: string, includeRevoked = false): Promise<ApiKeyView[]> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    return (await this.keys.list({ tenantId: tenant.id }, { includeRevoked })).map(toApiKeyView);
  }

  /** Revokes by id or by prefix. */
  async revoke(
    tenantSlug: string,
    idOrPrefix: string,
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<ApiKeyView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const scope = { tenantId: tenant.id };
    const key = idOrPrefix.startsWith('sb_')
      ? await this.keys.findByPrefix(scope, idOrPrefix)
      : z.uuid().safeParse(idOrPrefix).success
        ? await this.keys.findById(scope, idOrPrefix)
        : null;
    if (!key) throw new NotFoundError(`API key "${idOrPrefix}" in tenant "${tenantSlug}"`);
    await this.keys.revoke(scope, key.id, new Date());
    this.cache.delete(key.prefix);
    await this.bus?.publish(API_KEY_CHANGED, { prefix: key.prefix });
    const after = toApiKeyView((await this.keys.findById(scope, key.id)) ?? key);
    await this.audit.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'key.revoke',
      actor,
      target: after.prefix,
      outcome: 'success',
      data: { before: { ...toApiKeyView(key) }, after: { ...after } },
    });
    return after;
  }

  /**
   * Verifies a presented key for a tenant. Returns null for anything that is not a live key of a current
   * member of exactly this tenant; the caller answers 401 without saying which check failed.
   */
  async verify(presented: string, tenantId: string): Promise<Principal | null> {
    const principal = await this.verifyAnyTenant(presented);
    return principal?.tenantId === tenantId ? principal : null;
  }

  /**
   * Verifies a presented key whatever its tenant and returns the principal in that tenant. For callers
   * that must tell "not a key" (401) from "a key of some other tenant" (answered like a missing tenant).
   */
  async verifyAnyTenant(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const key = await this.lookup(parsed.prefix);
    if (!key || !secretMatches(parsed.secret, key.hash)) return null;
    const now = Date.now();
    if (key.revokedAt || key.role === null) return null;
    if (key.expiresAt && key.expiresAt.getTime() <= now) return null;
    this.touch(key, now);
    return {
      kind: 'api_key',
      id: key.id,
      tenantId: key.tenantId,
      userId: key.userId,
      role: key.role,
      scopes: key.scopes,
    };
  }

  private async lookup(prefix: string): Promise<ApiKeyWithRole | null> {
    const now = Date.now();
    const hit = this.cache.get(prefix);
    if (hit && hit.until > now) return hit.key;
    const key = await this.keys.findForVerification(prefix);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(prefix, { key, until: now + VERIFY_CACHE_MS });
    return key;
  }

  private touch(key: ApiKeyWithRole, now: number): void {
    const last = this.touched.get(key.id) ?? key.lastUsedAt?.getTime() ?? 0;
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(key.id, now);
    this.keys.touch({ tenantId: key.tenantId }, key.id, new Date(now)).catch((e: unknown) => {
      this.logger.warn(`could not record last use of key ${key.prefix}: ${(e as Error).message}`);
    });
  }
}
