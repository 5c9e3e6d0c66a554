import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { Tenant } from '../generated/prisma/client.js';

export interface CreateTenantData {
  readonly slug: string;
  readonly name: string;
}

/** Tenants themselves are platform-scoped; everything they own goes through tenant-scoped repositories. */
@Injectable()
export class TenantRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(slug: string): Promise<Tenant | null> {
    return this.prisma.tenant.findUnique({ where: { slug } });
  }

  findById(id: string): Promise<Tenant | null> {
    return this.prisma.tenant.findUnique({ where: { id } });
  }

  list(page: { readonly take: number; readonly after?: string }): Promise<Tenant[]> {
    return this.prisma.tenant.findMany({
      orderBy: { slug: 'asc' },
      take: page.take,
      ...(page.after ? { where: { slug: { gt: page.after } } } : {}),
    });
  }

  /** Creates the tenant with its default endpoint in one transaction. */
  async createWithDefaultEndpoint(data: CreateTenantData): Promise<Tenant> {
    return this.prisma.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { slug: data.slug, name: data.name } });
      await tx.endpoint.create({
        data: { tenantId: tenant.id, slug: 'default', name: 'Default', isDefault: true },
      });
      return tenant;
    });
  }

  setStatus(id: string, status: 'active' | 'suspended'): Promise<Tenant> {
    return this.prisma.tenant.update({ where: { id }, data: { status } });
  }

  update(id: string, data: { readonly name?: string }): Promise<Tenant> {
    return this.prisma.tenant.update({ where: { id }, data });
  }

  /** A page of tenants by slug, optionally filtered by status and a slug or name fragment. */
  page(page: {
    readonly take: number;
    readonly after?: string;
    readonly status?: 'active' | 'suspended';
    readonly q?: string;
  }): Promise<Tenant[]> {
    return this.prisma.tenant.findMany({
      where: {
        ...(page.after !== undefined && { slug: { gt: page.after } }),
        ...(page.status !== undefined && { status: page.status }),
        ...(page.q !== undefined && {
          OR: [
            { slug: { contains: page.q, mode: 'insensitive' as const } },
            { name: { contains: page.q, mode: 'insensitive' as const } },
          ],
        }),
      },
      orderBy: { slug: 'asc' },
      take: page.take,
    });
  }
}
