import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

export interface CredentialRow {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly passwordHash: string | null;
  readonly disabled: boolean;
  readonly failedSignIns: number;
  readonly lockedUntil: Date | null;
}

/** The sign-in fields of User (platform-wide: users are not tenant-owned). */
@Injectable()
export class UserCredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<CredentialRow | null> {
    return this.prisma.user.findUnique({
      where: { email: email.toLowerCase() },
      select: {
        id: true,
        email: true,
        name: true,
        passwordHash: true,
        disabled: true,
        failedSignIns: true,
        lockedUntil: true,
      },
    });
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.prisma.user.update({
      where: { id: userId },
      data: { passwordHash, failedSignIns: 0, lockedUntil: null },
    });
  }

  /** Counts a failure atomically; locks the account (and restarts the count) when it reaches `threshold`. */
  async recordFailure(userId: string, threshold: number, lockUntil: Date): Promise<{ locked: boolean }> {
    const updated = await this.prisma.user.update({
      where: { id: userId },
      data: { failedSignIns: { increment: 1 } },
      select: { failedSignIns: true },
    });
    if (updated.failedSignIns < threshold) return { locked: false };
    await this.prisma.user.update({
      where: { id: userId },
      data: { failedSignIns: 0, lockedUntil: lockUntil },
    });
    return { locked: true };
  }

  async recordSuccess(userId: string, at: Date): Promise<void> {
    await this.prisma.user.update({
      where: { id: userId },
      data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: at },
    });
  }

  /** Grants or withdraws the platform operator role; creates the user when granting to a new email. */
  async setPlatformRole(
    email: string,
    role: 'operator' | null,
  ): Promise<{ id: string; email: string } | null> {
    const normalized = email.toLowerCase();
    if (role === null) {
      const { count } = await this.prisma.user.updateMany({
        where: { email: normalized },
        data: { platformRole: null },
      });
      return count > 0
        ? await this.prisma.user.findUnique({
            where: { email: normalized },
            select: { id: true, email: true },
          })
        : null;
    }
    return this.prisma.user.upsert({
      where: { email: normalized },
      create: { email: normalized, platformRole: role },
      update: { platformRole: role },
      select: { id: true, email: true },
    });
  }

  listOperators(): Promise<
    { id: string; email: string; passwordHash: string | null; lastSignInAt: Date | null }[]
  > {
    return this.prisma.user.findMany({
      where: { platformRole: 'operator' },
      select: { id: true, email: true, passwordHash: true, lastSignInAt: true },
      orderBy: { email: 'asc' },
    });
  }
}
