import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { Endpoint, EndpointConnection, EndpointTool, Connection } from '../generated/prisma/client.js';

export type EndpointWithConnections = Endpoint & {
  connections: (EndpointConnection & { connection: Connection })[];
};

export type EndpointExposure = Endpoint & {
  connections: (EndpointConnection & { connection: Connection })[];
  tools: EndpointTool[];
};

@Injectable()
export class EndpointRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(scope: TenantScope, slug: string): Promise<Endpoint | null> {
    return this.prisma.endpoint.findUnique({ where: { tenantId_slug: { tenantId: scope.tenantId, slug } } });
  }

  list(scope: TenantScope): Promise<Endpoint[]> {
    return this.prisma.endpoint.findMany({ where: { tenantId: scope.tenantId }, orderBy: { slug: 'asc' } });
  }

  create(
    scope: TenantScope,
    data: {
      readonly slug: string;
      readonly name: string;
      readonly description?: string;
      readonly public: boolean;
    },
  ): Promise<Endpoint> {
    return this.prisma.endpoint.create({
      data: {
        tenantId: scope.tenantId,
        slug: data.slug,
        name: data.name,
        description: data.description ?? null,
        public: data.public,
      },
    });
  }

  /** The endpoint with the connections it exposes and its tool overrides, for building its MCP surface. */
  findExposure(scope: TenantScope, slug: string): Promise<EndpointExposure | null> {
    return this.prisma.endpoint.findUnique({
      where: { tenantId_slug: { tenantId: scope.tenantId, slug } },
      include: {
        connections: { include: { connection: true }, orderBy: { createdAt: 'asc' } },
        tools: true,
      },
    });
  }

  attachConnection(
    scope: TenantScope,
    endpointId: string,
    connectionId: string,
    mode: 'all' | 'selected',
  ): Promise<EndpointConnection> {
    return this.prisma.endpointConnection.upsert({
      where: { endpointId_connectionId: { endpointId, connectionId } },
      create: { tenantId: scope.tenantId, endpointId, connectionId, mode },
      update: { mode },
    });
  }

  async detachConnection(scope: TenantScope, endpointId: string, connectionId: string): Promise<boolean> {
    const { count } = await this.prisma.endpointConnection.deleteMany({
      where: { tenantId: scope.tenantId, endpointId, connectionId },
    });
    return count > 0;
  }

  setTool(
    scope: TenantScope,
    key: { readonly endpointId: string; readonly connectionId: string; readonly toolName: string },
    data: { readonly enabled: boolean; readonly title?: string | null; readonly description?: string | null },
  ): Promise<EndpointTool> {
    return this.prisma.endpointTool.upsert({
      where: { endpointId_connectionId_toolName: key },
      create: { tenantId: scope.tenantId, ...key, ...data },
      update: data,
    });
  }

  /** A page of endpoints by slug, with the connections each exposes. */
  page(
    scope: TenantScope,
    page: { readonly take: number; readonly after?: string; readonly q?: string },
  ): Promise<EndpointWithConnections[]> {
    return this.prisma.endpoint.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(page.after !== undefined && { slug: { gt: page.after } }),
        ...(page.q !== undefined && {
          OR: [
            { slug: { contains: page.q, mode: 'insensitive' as const } },
            { name: { contains: page.q, mode: 'insensitive' as const } },
          ],
        }),
      },
      include: { connections: { include: { connection: true }, orderBy: { createdAt: 'asc' } } },
      orderBy: { slug: 'asc' },
      take: page.take,
    });
  }

  update(
    scope: TenantScope,
    id: string,
    data: { readonly name?: string; readonly description?: string | null; readonly public?: boolean },
  ): Promise<Endpoint> {
    return this.prisma.endpoint.update({ where: { id, tenantId: scope.tenantId }, data });
  }

  async delete(scope: TenantScope, id: string): Promise<boolean> {
    const { count } = await this.prisma.endpoint.deleteMany({ where: { tenantId: scope.tenantId, id } });
    return count > 0;
  }
}
