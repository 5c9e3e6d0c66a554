import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../../common/tenant-scope.js';
import { PrismaService } from '../../database/prisma.service.js';
import type { Role, TenantIdentityProvider } from '../../generated/prisma/client.js';

export type IdentityProviderRecord = TenantIdentityProvider;

export interface IdentityProviderWrite {
  readonly issuer: string;
  readonly clientId: string;
  readonly sealedSecret: string | null;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly allowedDomains: readonly string[];
  readonly emailClaim: string;
  readonly requireEmailVerified: boolean;
  readonly jitRole: Role | null;
}

/** A tenant's upstream OpenID Connect provider (at most one per tenant). */
@Injectable()
export class IdentityProviderRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(scope: TenantScope): Promise<IdentityProviderRecord | null> {
    return this.prisma.tenantIdentityProvider.findUnique({ where: { tenantId: scope.tenantId } });
  }

  upsert(scope: TenantScope, data: IdentityProviderWrite): Promise<IdentityProviderRecord> {
    const fields = { ...data, allowedDomains: [...data.allowedDomains] };
    return this.prisma.tenantIdentityProvider.upsert({
      where: { tenantId: scope.tenantId },
      create: { tenantId: scope.tenantId, ...fields },
      update: fields,
    });
  }

  /** True when there was one to delete. */
  async delete(scope: TenantScope): Promise<boolean> {
    const { count } = await this.prisma.tenantIdentityProvider.deleteMany({
      where: { tenantId: scope.tenantId },
    });
    return count > 0;
  }
}
