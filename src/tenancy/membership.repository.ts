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
}
