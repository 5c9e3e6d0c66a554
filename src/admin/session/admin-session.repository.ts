import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { AdminSession, PlatformRole } from '../../generated/prisma/client.js';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly disabled: boolean;
  readonly platformRole: PlatformRole | null;
}

export type AdminSessionRow = AdminSession & { user: SessionUser };

export interface NewAdminSession {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly method: 'password' | 'oidc';
  readonly tenantId: string | null;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

const USER_FIELDS = { id: true, email: true, name: true, disabled: true, platformRole: true } as const;

/** Dashboard sessions. Sessions belong to users (platform-wide), not to a tenant. */
@Injectable()
export class AdminSessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewAdminSession): Promise<AdminSession> {
    return this.prisma.adminSession.create({ data });
  }

  find(id: string): Promise<AdminSessionRow | null> {
    return this.prisma.adminSession.findUnique({ where: { id }, include: { user: { select: USER_FIELDS } } });
  }

  /** Records activity, at most once per `minGapMs` (a read per request, a write now and then). */
  async touch(id: string, now: Date, minGapMs: number): Promise<void> {
    await this.prisma.adminSession.updateMany({
      where: { id, lastSeenAt: { lt: new Date(now.getTime() - minGapMs) } },
      data: { lastSeenAt: now },
    });
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.adminSession.deleteMany({ where: { id } });
    return count > 0;
  }

  /** Removes sessions past their absolute expiry or idle since before `idleCutoff`. */
  async deleteExpired(now: Date, idleCutoff: Date): Promise<number> {
    const { count } = await this.prisma.adminSession.deleteMany({
      where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleCutoff } }] },
    });
    return count;
  }
}
