import { z } from 'zod';
import { InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, tenantParams } from '../http/schemas.js';
import { jobView } from '../jobs/job.schemas.js';
import { VaultAdminService } from './vault-admin.service.js';

const R = {
  status: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/vault',
    operationId: 'getVaultStatus',
    tag: 'Vault',
    summary: "The tenant's data key: version, the KEK wrapping it, secret counts (never a key or a value)",
    auth: 'tenant',
    permission: 'vault:read',
    params: tenantParams,
    response: z
      .object({
        keyVersion: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'Active data-key version; null until the first secret is stored' }),
        secrets: z.number().int(),
        secretsOnOldKeys: z
          .number()
          .int()
          .meta({ description: 'Secrets still under an older data key (an unfinished rotation)' }),
        kekId: z.string().nullable().meta({ description: 'Id of the key-encryption key wrapping it' }),
        rotatedAt: isoDate.optional().meta({ description: 'When the last data-key rotation finished' }),
        rotationInProgress: z.boolean(),
      })
      .meta({ id: 'VaultStatus' }),
  }),
  rotate: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/vault/rotations',
    operationId: 'rotateDataKey',
    tag: 'Vault',
    summary: 'Give the tenant a new data key and re-encrypt its secrets under it, online, as a job',
    description:
      'Answers 202 with a job of kind `vault-rotation` (progress `{ done, total }`). Secrets stay readable and writable throughout; old key versions are destroyed once drained. One at a time per tenant (409 with details.jobId otherwise); a cancelled or interrupted rotation carries on where it stopped when started again.',
    auth: 'tenant',
    permission: 'vault:rotate',
    params: tenantParams,
    status: 202,
    response: z.object({ job: jobView }),
    errors: [409],
  }),
};

@AdminController()
export class VaultController {
  constructor(private readonly vault: VaultAdminService) {}

  @AdminRoute(R.status)
  status(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.status>> {
    return this.vault.status(ctx);
  }

  @AdminRoute(R.rotate)
  async rotate(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.rotate>> {
    return { job: await this.vault.rotate(ctx) };
  }
}
