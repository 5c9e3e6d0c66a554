import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';

import { McpCluster } from './cluster/mcp-cluster.service.js';
import { McpController } from './mcp.controller.js';
import { McpHostService } from './mcp-host.service.js';
import { McpInterceptors } from './mcp-interceptors.js';

export interface McpModuleOptions {
  /** Modules that provide what `gate` needs (e.g. the auth and tenancy modules). */
  readonly imports?: ModuleMetadata['imports'];
  /** A provider for `MCP_REQUEST_GATE`, e.g. `{ provide: MCP_REQUEST_GATE, useExisting: McpGateService }`. */
  readonly gate: Provider;
}

/**
 * MCP hosting: the `/t/:tenant[/e/:endpoint]/mcp` routes and `McpHostService`. Needs `APP_CONFIG` and
 * `RbacService` (both global) and the `MCP_REQUEST_GATE` port given to `forRoot`.
 */
@Module({})
export class McpModule {
  static forRoot(options: McpModuleOptions): DynamicModule {
    return {
      module: McpModule,
      // Global so the controls (telemetry, rate limits, audit) can register their interceptors.
      global: true,
      imports: [...(options.imports ?? [])],
      controllers: [McpController],
      providers: [McpHostService, McpInterceptors, McpCluster, options.gate],
      exports: [McpHostService, McpInterceptors],
    };
  }
}
