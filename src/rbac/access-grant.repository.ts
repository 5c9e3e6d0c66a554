import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/tenant-scope.js';
import { PrismaService } from '../database/prisma.service.js';
import type { AccessGrant, Role } from '../generated/prisma/client.js';

export interface NewAccessGrant {
  readonly endpointId: string | null;
  readonly toolName: string | null;
  readonly subjectUserId: string | null;
  readonly subjectRole: Role | null;
  readonly effect: 'allow' | 'deny';
}

@Injectable()
export class AccessGrantRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(scope: TenantScope): Promise<AccessGrant[]> {
    return this.prisma.accessGrant.findMany({
      where: { tenantId: scope.tenantId },
      orderBy: { createdAt: 'asc' },
    });
  }

  create(scope: TenantScope, data: NewAccessGrant): Promise<AccessGrant> {
    return this.prisma.accessGrant.create({ data: { tenantId: scope.tenantId, ...data } });
  }

  async delete(scope: TenantScope, id: string): Promise<boolean> {
    const { count } = await this.prisma.accessGrant.deleteMany({ where: { tenantId: scope.tenantId, id } });
    return count > 0;
  }
}
