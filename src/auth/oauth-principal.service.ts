import { Injectable, Optional } from '@nestjs/common';
import type { Principal, TenantRole } from '@switchboard/integration-kit';
import { OAuthPayloadRepository } from '../oauth/store/oauth-payload.repository.js';
import { MembershipRepository } from '../tenancy/membership.repository.js';
import { UserRepository } from '../tenancy/user.repository.js';
import type { VerifiedAccessToken } from './access-token.verifier.js';
import { InvalidationBus } from '../redis/invalidation-bus.js';
import { MEMBER_CHANGED, type MemberChange } from '../tenancy/member-events.js';

/** Bus topic: a grant was revoked or deleted (payload `{ grantId }`). */
export const GRANT_REVOKED = 'auth.grant-revoked';

/**
 * How long a grant's liveness and the user's role are trusted without a database read. Revocation and
 * membership changes evict at once on every node through the invalidation bus; this window bounds
 * staleness only when a bus message is lost.
 */
const GRANT_CACHE_MS = 15_000;
const MAX_CACHED = 50_000;

interface GrantAccess {
  readonly role: TenantRole | null;
  readonly until: number;
}

/** Turns a verified access token into the principal it acts as: the user's current role in the tenant. */
@Injectable()
export class OAuthPrincipalService {
  private readonly cache = new Map<string, GrantAccess>();

  constructor(
    private readonly payloads: OAuthPayloadRepository,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    @Optional() private readonly bus?: InvalidationBus,
  ) {
    bus?.on<{ grantId?: unknown }>(GRANT_REVOKED, (p) => {
      if (typeof p?.grantId === 'string') this.forgetGrant(p.grantId);
    });
    bus?.on<MemberChange>(MEMBER_CHANGED, (p) => this.forgetUser(p.userId));
    bus?.onResync(() => this.cache.clear());
  }

  async principalFor(
    token: VerifiedAccessToken,
    tenantId: string,
    now = Date.now(),
  ): Promise<Principal | null> {
    const key = `${token.grantId}\0${tenantId}\0${token.subject}`;
    let access = this.cache.get(key);
    if (!access || access.until <= now) {
      access = { role: await this.lookup(token, tenantId, now), until: now + GRANT_CACHE_MS };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, access);
    }
    if (access.role === null) return null;
    return {
      kind: 'oauth_client',
      // The grant, not the client: a CIMD client id (e.g. Claude's) is shared by every user of that client.
      id: token.grantId,
      tenantId,
      userId: token.subject,
      role: access.role,
      scopes: token.scopes,
    };
  }

  /** Forgets a grant at once here and, through the bus, on every other node (it was revoked). */
  evictGrant(grantId: string): void {
    this.forgetGrant(grantId);
    void this.bus?.publish(GRANT_REVOKED, { grantId });
  }

  /** Forgets everything about a user here (membership or account changed on this node). */
  evictUser(userId: string): void {
    this.forgetUser(userId);
  }

  private forgetGrant(grantId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${grantId}\0`)) this.cache.delete(key);
  }

  private forgetUser(userId: string): void {
    for (const key of this.cache.keys()) if (key.endsWith(`\0${userId}`)) this.cache.delete(key);
  }

  private async lookup(
    token: VerifiedAccessToken,
    tenantId: string,
    now: number,
  ): Promise<TenantRole | null> {
    const grant = await this.payloads.grantState(token.grantId, new Date(now));
    if (!grant || grant.tenantId !== tenantId || grant.accountId !== token.subject) return null;
    const [membership, user] = await Promise.all([
      this.memberships.find({ tenantId }, token.subject),
      this.users.findById(token.subject),
    ]);
    if (!membership || !user || user.disabled) return null;
    return membership.role;
  }
}
