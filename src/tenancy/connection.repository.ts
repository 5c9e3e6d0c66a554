import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { Connection, Endpoint, EndpointConnection, Prisma } from '../generated/prisma/client.js';

export type ConnectionWithEndpoints = Connection & {
  endpoints: (EndpointConnection & { endpoint: Endpoint })[];
};

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

  findById(scope: TenantScope, id: string): Promise<ConnectionWithEndpoints | null> {
    return this.prisma.connection.findFirst({
      where: { tenantId: scope.tenantId, id },
      include: { endpoints: { include: { endpoint: true } } },
    });
  }

  /** A page of connections by name, with the endpoints exposing each. */
  page(
    scope: TenantScope,
    page: { readonly take: number; readonly after?: string; readonly packId?: string; readonly q?: string },
  ): Promise<ConnectionWithEndpoints[]> {
    return this.prisma.connection.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(page.after !== undefined && { name: { gt: page.after } }),
        ...(page.packId !== undefined && { packId: page.packId }),
        ...(page.q !== undefined && { name: { contains: page.q, mode: 'insensitive' as const } }),
      },
      include: { endpoints: { include: { endpoint: true } } },
      orderBy: { name: 'asc' },
      take: page.take,
    });
  }

  update(
    scope: TenantScope,
    id: string,
    data: { readonly name?: string; readonly config?: Prisma.InputJsonValue; readonly enabled?: boolean },
  ): Promise<Connection> {
    return this.prisma.connection.update({ where: { id, tenantId: scope.tenantId }, data });
  }

  /** Deletes the connection with its secrets, endpoint attachments and tool overrides (cascade). */
  async delete(scope: TenantScope, id: string): Promise<boolean> {
    const { count } = await this.prisma.connection.deleteMany({ where: { tenantId: scope.tenantId, id } });
    return count > 0;
  }
}
