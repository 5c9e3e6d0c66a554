import { Module, type DynamicModule } from '@nestjs/common';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AdminModule } from './admin/admin.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { GlobalExceptionFilter } from './common/global-exception.filter.js';
import { ConfigModule, type AppConfig } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { PacksModule } from './packs/packs.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { McpGateService } from './auth/mcp-gate.service.js';
import { MCP_REQUEST_GATE, McpModule } from './mcp/index.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { RateLimitModule } from './ratelimit/ratelimit.module.js';
import { RbacModule } from './rbac/rbac.module.js';
import { RedisModule } from './redis/redis.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';
import { VaultModule } from './vault/vault.module.js';
import { WorkspaceModule } from './workspace/workspace.module.js';
import { SeedService } from './seed/seed.service.js';
import { SurfaceSyncService } from './sync/surface-sync.service.js';

/** The platform server. `forConfig` lets tests and the CLI start it with a configuration of their own. */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        LoggingModule,
        TelemetryModule.forConfig(config),
        // First of the modules with routes: Express tries routes in registration order, and the MCP URLs
        // carry nearly all traffic (after them a request would be matched against every admin route).
        McpModule.forRoot({
          imports: [AuthModule, TenancyModule],
          gate: { provide: MCP_REQUEST_GATE, useExisting: McpGateService },
        }),
        DatabaseModule,
        VaultModule,
        PacksModule,
        RbacModule,
        HealthModule,
        TenancyModule,
        AuthModule,
        OAuthModule,
        AuditModule,
        AdminModule,
        DashboardModule,
        RedisModule,
        ClusterModule,
        RateLimitModule,
        WorkspaceModule,
        IntegrationsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }, SeedService, SurfaceSyncService],
    };
  }
}
