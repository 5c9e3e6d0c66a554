import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { PlatformKey } from '../generated/prisma/client.js';
import { bytes } from './tenant-vault.repository.js';

/** Data keys for platform-owned secrets; not tenant data, so no TenantScope. */
@Injectable()
export class PlatformKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  findActive(): Promise<PlatformKey | null> {
    return this.prisma.platformKey.findFirst({ where: { active: true }, orderBy: { version: 'desc' } });
  }

  findVersion(version: number): Promise<PlatformKey | null> {
    return this.prisma.platformKey.findUnique({ where: { version } });
  }

  /** Throws a unique violation when another process created version 1 first. */
  createFirst(wrapped: { readonly wrappedKey: Uint8Array; readonly kekId: string }): Promise<PlatformKey> {
    return this.prisma.platformKey.create({
      data: { version: 1, wrappedKey: bytes(wrapped.wrappedKey), kekId: wrapped.kekId, active: true },
    });
  }

  notWrappedBy(kekId: string, take: number, afterId?: string): Promise<PlatformKey[]> {
    return this.prisma.platformKey.findMany({
      where: { kekId: { not: kekId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take,
    });
  }

  async rewrap(
    id: string,
    fromKekId: string,
    wrapped: { readonly wrappedKey: Uint8Array; readonly kekId: string },
  ): Promise<boolean> {
    const { count } = await this.prisma.platformKey.updateMany({
      where: { id, kekId: fromKekId },
      data: { wrappedKey: bytes(wrapped.wrappedKey), kekId: wrapped.kekId },
    });
    return count > 0;
  }

  async byKek(): Promise<Record<string, number>> {
    const rows = await this.prisma.platformKey.groupBy({ by: ['kekId'], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.kekId, r._count._all]));
  }
}
