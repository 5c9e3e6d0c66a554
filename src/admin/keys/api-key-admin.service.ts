import { Injectable } from '@nestjs/common';
import { ApiKeyRepository } from '../../auth/api-key.repository.js';
import { ApiKeyService, toApiKeyView, type ApiKeyView } from '../../auth/api-key.service.js';
import { NotFoundError } from '../../common/domain-error.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, toPage, type Page } from '../http/schemas.js';

export type KeyView = ApiKeyView & { readonly userEmail: string | null };

/**
 * API keys. Admins see and manage every key of the tenant; members (and the keys they hold) only their
 * own — someone else's key is "not found" to them. A key is shown whole once, in the creation answer.
 */
@Injectable()
export class ApiKeyAdminService {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly repository: ApiKeyRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly rbac: RbacService,
  ) {}

  async list(
    ctx: TenantContext,
    query: {
      readonly limit: number;
      readonly cursor?: string;
      readonly userId?: string;
      readonly includeRevoked?: boolean;
    },
  ): Promise<Page<KeyView>> {
    const manager = this.isManager(ctx);
    const cursor = decodeCursor(query.cursor, 2);
    const rows = await this.repository.page(
      { tenantId: ctx.tenant.id },
      {
        take: query.limit + 1,
        before: cursor ? { createdAt: new Date(String(cursor[0])), id: String(cursor[1]) } : undefined,
        userId: manager ? query.userId : (ctx.principal.userId ?? undefined),
        includeRevoked: query.includeRevoked ?? false,
      },
    );
    const page = toPage(rows, query.limit, (k) => [k.createdAt.toISOString(), k.id]);
    const emails = await this.emails(page.items.map((k) => k.userId));
    return {
      items: page.items.map((k) => ({ ...toApiKeyView(k), userEmail: emails.get(k.userId) ?? null })),
      nextCursor: page.nextCursor,
    };
  }

  async create(
    ctx: TenantContext,
    input: {
      readonly name: string;
      readonly scopes: readonly string[];
      readonly expiresInDays?: number;
      readonly userId?: string;
    },
  ): Promise<{ readonly key: string; readonly apiKey: KeyView }> {
    const self = ctx.principal.userId;
    const holder = input.userId ?? self;
    if (holder === null || holder === undefined) throw new NotFoundError('member');
    if (holder !== self) this.rbac.require(ctx.principal, 'apikey:manage', { tenantId: ctx.tenant.id });
    const user = await this.users.findById(holder);
    if (!user || !(await this.memberships.find({ tenantId: ctx.tenant.id }, holder))) {
      throw new NotFoundError(`member "${holder}"`);
    }
    const created = await this.keys.create(
      ctx.tenant.slug,
      { name: input.name, userEmail: user.email, scopes: input.scopes, expiresInDays: input.expiresInDays },
      ctx.actor,
    );
    return { key: created.key, apiKey: { ...created.view, userEmail: user.email } };
  }

  async revoke(ctx: TenantContext, id: string): Promise<KeyView> {
    const key = await this.repository.findById({ tenantId: ctx.tenant.id }, id);
    if (!key || (!this.isManager(ctx) && key.userId !== ctx.principal.userId)) {
      throw new NotFoundError(`API key "${id}"`);
    }
    const after = await this.keys.revoke(ctx.tenant.slug, id, ctx.actor);
    return { ...after, userEmail: (await this.users.findById(key.userId))?.email ?? null };
  }

  private isManager(ctx: TenantContext): boolean {
    return this.rbac.can(ctx.principal, 'apikey:manage', { tenantId: ctx.tenant.id });
  }

  private async emails(userIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(userIds)];
    const users = await Promise.all(unique.map((id) => this.users.findById(id)));
    return new Map(users.flatMap((u) => (u ? [[u.id, u.email] as const] : [])));
  }
}
