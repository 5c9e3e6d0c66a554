import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface SigningKeyRow {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: Record<string, unknown>;
  readonly sealed: string;
  readonly createdAt: Date;
}

/** Signing keys of the authorization server (platform-owned, no tenant). */
@Injectable()
export class SigningKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Active keys, newest first: the first one signs. */
  async listActive(): Promise<SigningKeyRow[]> {
    const rows = await this.prisma.oAuthSigningKey.findMany({
      where: { retiredAt: null },
      orderBy: [{ createdAt: 'desc' }, { kid: 'asc' }],
    });
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      publicJwk: r.publicJwk as Record<string, unknown>,
      sealed: r.sealed,
      createdAt: r.createdAt,
    }));
  }

  async create(row: Omit<SigningKeyRow, 'createdAt'>): Promise<void> {
    await this.prisma.oAuthSigningKey.create({
      data: {
        kid: row.kid,
        alg: row.alg,
        publicJwk: row.publicJwk as Prisma.InputJsonValue,
        sealed: row.sealed,
      },
    });
  }

  /** Retires every active key except the newest `keep`; returns how many were retired. */
  async retireAllBut(keep: number, at: Date): Promise<number> {
    const active = await this.listActive();
    const stale = active.slice(keep).map((k) => k.kid);
    if (stale.length === 0) return 0;
    const { count } = await this.prisma.oAuthSigningKey.updateMany({
      where: { kid: { in: stale }, retiredAt: null },
      data: { retiredAt: at },
    });
    return count;
  }
}
