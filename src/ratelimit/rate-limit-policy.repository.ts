import { Injectable } from '@nestjs/common';

import type { TenantScope } from '../common/tenant-scope.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma, RateLimitPolicy } from '../generated/prisma/client.js';

export interface RateLimitPolicyData {
  readonly plan: string;
  readonly overrides: Prisma.InputJsonObject;
}

/** A tenant's rate-limit policy row (at most one per tenant). */
@Injectable()
export class RateLimitPolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(scope: TenantScope): Promise<RateLimitPolicy | null> {
    return this.prisma.rateLimitPolicy.findUnique({ where: { tenantId: scope.tenantId } });
  }

  upsert(scope: TenantScope, data: RateLimitPolicyData): Promise<RateLimitPolicy> {
    return this.prisma.rateLimitPolicy.upsert({
      where: { tenantId: scope.tenantId },
      create: { tenantId: scope.tenantId, plan: data.plan, overrides: data.overrides },
      update: { plan: data.plan, overrides: data.overrides },
    });
  }
}
