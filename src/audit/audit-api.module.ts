import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AdminApiKeyGuard } from '../auth/admin-api-key.guard.js';
import { AuditController } from './audit.controller.js';

/** The audit REST API (`/api/v1/tenants/:tenant/audit`), server only; `AuditModule` provides the service. */
@Module({
  imports: [TenancyModule, AuthModule],
  controllers: [AuditController],
  providers: [AdminApiKeyGuard],
})
export class AuditApiModule {}
