import { Module } from '@nestjs/common';
import { CrmModule } from '@switchboard/crm';
import { DatabasesModule } from '@switchboard/databases';
import { HttpClientModule } from '@switchboard/http-client';
import { OpenApiModule } from '@switchboard/openapi';
import { ProjectsModule } from '@switchboard/projects';
import { UpstreamMcpModule } from '@switchboard/upstream-mcp';
import { ProtocolTestKitModule } from '@switchboard/protocol-test-kit';
import { APP_CONFIG, type AppConfig } from '../config/index.js';

/**
 * The integration packs this installation offers, and the one SSRF-guarded egress they share. The server
 * and the CLI import this same module, so both know the same packs (the CLI validates pack configs).
 */
@Module({
  imports: [
    HttpClientModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ allow: [...config.egress.allow] }),
    }),
    DatabasesModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ sqliteDirectory: config.databases.sqliteDir }),
    }),
    OpenApiModule,
    ProjectsModule,
    UpstreamMcpModule.forRoot(),
    ProtocolTestKitModule,
    CrmModule,
  ],
  // The server listens to upstream list changes to rebuild endpoints.
  exports: [UpstreamMcpModule],
})
export class IntegrationsModule {}
