import { Module, type DynamicModule } from '@nestjs/common';
import { IntegrationsModule } from '../../../src/integrations/integrations.module.js';
import { AuditModule } from '../../../src/audit/audit.module.js';
import { AuthModule } from '../../../src/auth/auth.module.js';
import { ConfigModule, type AppConfig } from '../../../src/config/index.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { IdentityProviderModule } from '../../../src/oauth/upstream/identity-provider.module.js';
import { PacksModule } from '../../../src/packs/packs.module.js';
import { RateLimitModule } from '../../../src/ratelimit/ratelimit.module.js';
import { RbacModule } from '../../../src/rbac/rbac.module.js';
import { TenancyModule } from '../../../src/tenancy/tenancy.module.js';
import { VaultModule } from '../../../src/vault/vault.module.js';
import { WorkspaceModule } from '../../../src/workspace/workspace.module.js';

/** The server's domain modules without HTTP: what the CLI drives directly against the database. */
@Module({})
export class CliModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forConfig(config),
        DatabaseModule,
        VaultModule,
        PacksModule,
        RbacModule,
        TenancyModule,
        AuthModule,
        AuditModule,
        RateLimitModule,
        WorkspaceModule,
        IntegrationsModule,
        IdentityProviderModule,
      ],
    };
  }
}
