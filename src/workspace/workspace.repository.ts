import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { Prisma, Prompt, Resource } from '../generated/prisma/client.js';

@Injectable()
export class WorkspaceRepository {
  constructor(private readonly prisma: PrismaService) {}

  listPrompts(scope: TenantScope): Promise<Prompt[]> {
    return this.prisma.prompt.findMany({ where: { tenantId: scope.tenantId }, orderBy: { name: 'asc' } });
  }

  upsertPrompt(
    scope: TenantScope,
    data: {
      name: string;
      title: string | null;
      description: string | null;
      arguments: Prisma.InputJsonValue;
      template: string;
    },
  ): Promise<Prompt> {
    return this.prisma.prompt.upsert({
      where: { tenantId_name: { tenantId: scope.tenantId, name: data.name } },
      create: { tenantId: scope.tenantId, ...data },
      update: data,
    });
  }

  async deletePrompt(scope: TenantScope, name: string): Promise<boolean> {
    const { count } = await this.prisma.prompt.deleteMany({ where: { tenantId: scope.tenantId, name } });
    return count > 0;
  }

  listResources(scope: TenantScope): Promise<Resource[]> {
    return this.prisma.resource.findMany({ where: { tenantId: scope.tenantId }, orderBy: { name: 'asc' } });
  }

  findResource(scope: TenantScope, name: string): Promise<Resource | null> {
    return this.prisma.resource.findUnique({ where: { tenantId_name: { tenantId: scope.tenantId, name } } });
  }

  upsertResource(
    scope: TenantScope,
    data: {
      name: string;
      title: string | null;
      description: string | null;
      mimeType: string;
      content: string;
    },
  ): Promise<Resource> {
    return this.prisma.resource.upsert({
      where: { tenantId_name: { tenantId: scope.tenantId, name: data.name } },
      create: { tenantId: scope.tenantId, ...data },
      update: data,
    });
  }

  async deleteResource(scope: TenantScope, name: string): Promise<boolean> {
    const { count } = await this.prisma.resource.deleteMany({ where: { tenantId: scope.tenantId, name } });
    return count > 0;
  }
}
