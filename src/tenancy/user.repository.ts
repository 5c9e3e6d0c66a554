import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { User } from '../generated/prisma/client.js';

/** Users are platform-wide (one person can belong to several tenants); tenancy lives on Membership. */
@Injectable()
export class UserRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  upsertByEmail(email: string, name: string | null): Promise<User> {
    const normalized = email.toLowerCase();
    return this.prisma.user.upsert({
      where: { email: normalized },
      create: { email: normalized, name },
      update: {},
    });
  }
}
