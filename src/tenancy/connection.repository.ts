import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { Connection, Prisma } from '../generated/prisma/client.js';

@Injectable()
export class ConnectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(scope: TenantScope): Promise<Connection[]> {
    return this.prisma.connection.findMany({ where: { tenantId: scope.tenantId }, orderBy: { name: 'asc' } });
  }

  findByName(scope: TenantScope, name: string): Promise<Connection | null> {
    return this.prisma.connection.findUnique({
      where: { tenantId_name: { tenantId: scope.tenantId, name } },
    });
  }

  findByPack(scope: TenantScope, packId: string): Promise<Connection[]> {
    return this.prisma.connection.findMany({
      where: { tenantId: scope.tenantId, packId },
      orderBy: { createdAt: 'asc' },
    });
  }

  create(
    scope: TenantScope,
    data: { readonly packId: string; readonly name: string; readonly config: Prisma.InputJsonValue },
  ): Promise<Connection> {
    return this.prisma.connection.create({ data: { tenantId: scope.tenantId, ...data } });
  }

  async setEnabled(scope: TenantScope, id: string, enabled: boolean): Promise<boolean> {
    const { count } = await this.prisma.connection.updateMany({
      where: { tenantId: scope.tenantId, id },
      data: { enabled },
    });
    return count > 0;
  }
}
