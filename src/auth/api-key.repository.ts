import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { ApiKey, Role } from '../generated/prisma/client.js';

export type ApiKeyWithRole = ApiKey & { role: Role | null };

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(
    scope: TenantScope,
    data: {
      readonly userId: string;
      readonly name: string;
      readonly prefix: string;
      readonly hash: Uint8Array<ArrayBuffer>;
      readonly scopes: readonly string[];
      readonly expiresAt: Date | null;
    },
  ): Promise<ApiKey> {
    return this.prisma.apiKey.create({
      data: { tenantId: scope.tenantId, ...data, scopes: [...data.scopes] },
    });
  }

  list(scope: TenantScope, filter: { readonly includeRevoked: boolean }): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({
      where: { tenantId: scope.tenantId, ...(filter.includeRevoked ? {} : { revokedAt: null }) },
      orderBy: { createdAt: 'desc' },
    });
  }

  findById(scope: TenantScope, id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findFirst({ where: { tenantId: scope.tenantId, id } });
  }

  findByPrefix(scope: TenantScope, prefix: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findFirst({ where: { tenantId: scope.tenantId, prefix } });
  }

  /**
   * Looks a presented key up by its public prefix, with the owner's role in the key's tenant. The caller
   * then checks that tenant against the URL's: a key is never valid outside its own tenant.
   */
  async findForVerification(prefix: string): Promise<ApiKeyWithRole | null> {
    const key = await this.prisma.apiKey.findUnique({
      where: { prefix },
      include: { user: { include: { memberships: true } } },
    });
    if (!key) return null;
    const { user, ...rest } = key;
    const membership = user.disabled ? undefined : user.memberships.find((m) => m.tenantId === key.tenantId);
    return { ...rest, role: membership?.role ?? null };
  }

  async revoke(scope: TenantScope, id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: { tenantId: scope.tenantId, id, revokedAt: null },
      data: { revokedAt: at },
    });
    return count > 0;
  }

  async touch(scope: TenantScope, id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({
      where: { tenantId: scope.tenantId, id },
      data: { lastUsedAt: at },
    });
  }

  /** Newest first, `take` keys created before the cursor key (createdAt, id). */
  page(
    scope: TenantScope,
    page: {
      readonly take: number;
      readonly before?: { readonly createdAt: Date; readonly id: string };
      readonly userId?: string;
      readonly includeRevoked: boolean;
    },
  ): Promise<ApiKey[]> {
    const b = page.before;
    return this.prisma.apiKey.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(page.userId !== undefined && { userId: page.userId }),
        ...(page.includeRevoked ? {} : { revokedAt: null }),
        ...(b && {
          OR: [{ createdAt: { lt: b.createdAt } }, { createdAt: b.createdAt, id: { lt: b.id } }],
        }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.take,
    });
  }
}
