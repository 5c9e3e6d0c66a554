import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { Membership, Role, Tenant, User } from '../generated/prisma/client.js';

@Injectable()
export class MembershipRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(scope: TenantScope, userId: string): Promise<Membership | null> {
    return this.prisma.membership.findUnique({
      where: { tenantId_userId: { tenantId: scope.tenantId, userId } },
    });
  }

  upsert(scope: TenantScope, userId: string, role: Role): Promise<Membership> {
    return this.prisma.membership.upsert({
      where: { tenantId_userId: { tenantId: scope.tenantId, userId } },
      create: { tenantId: scope.tenantId, userId, role },
      update: { role },
    });
  }

  list(scope: TenantScope): Promise<(Membership & { user: User })[]> {
    return this.prisma.membership.findMany({
      where: { tenantId: scope.tenantId },
      include: { user: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  findOwner(scope: TenantScope): Promise<(Membership & { user: User }) | null> {
    return this.prisma.membership.findFirst({
      where: { tenantId: scope.tenantId, role: 'owner' },
      include: { user: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /**
   * A user's memberships in every tenant, with the tenants (the dashboard's tenant list). Keyed by the
   * user, not a tenant: what it returns is exactly what that user may see.
   */
  listForUser(userId: string, take = 500): Promise<(Membership & { tenant: Tenant })[]> {
    return this.prisma.membership.findMany({
      where: { userId },
      include: { tenant: true },
      orderBy: { tenant: { slug: 'asc' } },
      take,
    });
  }

  /** A page of members by email, optionally filtered by role and an email or name fragment. */
  page(
    scope: TenantScope,
    page: { readonly take: number; readonly after?: string; readonly role?: Role; readonly q?: string },
  ): Promise<(Membership & { user: User })[]> {
    return this.prisma.membership.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(page.role !== undefined && { role: page.role }),
        user: {
          ...(page.after !== undefined && { email: { gt: page.after } }),
          ...(page.q !== undefined && {
            OR: [
              { email: { contains: page.q, mode: 'insensitive' as const } },
              { name: { contains: page.q, mode: 'insensitive' as const } },
            ],
          }),
        },
      },
      include: { user: true },
      orderBy: { user: { email: 'asc' } },
      take: page.take,
    });
  }

  /**
   * Changes a member's role (`role`) or removes them (null), refusing with `last_owner` when that would
   * leave the tenant without an owner. The tenant's owner rows are locked first, so two owners demoting
   * each other at once cannot both succeed.
   */
  async changeKeepingAnOwner(
    scope: TenantScope,
    userId: string,
    role: Role | null,
  ): Promise<
    { readonly before: Membership; readonly after: Membership | null } | 'not_found' | 'last_owner'
  > {
    return this.prisma.$transaction(async (tx) => {
      const owners = await tx.$queryRaw<{ userId: string }[]>`
        SELECT "userId" FROM "Membership"
        WHERE "tenantId" = ${scope.tenantId}::uuid AND "role" = 'owner'
        FOR UPDATE`;
      const before = await tx.membership.findUnique({
        where: { tenantId_userId: { tenantId: scope.tenantId, userId } },
      });
      if (!before) return 'not_found' as const;
      const losesOwner = before.role === 'owner' && role !== 'owner';
      if (losesOwner && owners.length <= 1) return 'last_owner' as const;
      if (role === null) {
        await tx.membership.delete({ where: { id: before.id } });
        return { before, after: null };
      }
      const after = await tx.membership.update({ where: { id: before.id }, data: { role } });
      return { before, after };
    });
  }
}
