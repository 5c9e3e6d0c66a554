import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
// Value imports: Nest resolves constructor parameters from their emitted type metadata.
import { EgressPolicy } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { UpstreamClients, type UpstreamChangeListener } from './upstream-clients.js';
import { createUpstreamMcpPack } from './upstream.pack.js';

export interface UpstreamMcpModuleOptions {
  readonly maxClients?: number;
  readonly idleCloseMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly connectTimeoutMs?: number;
  /**
   * Called when an upstream announces that its tools, resources or prompts changed; the platform should
   * rebuild the surfaces of endpoints using that connection. Listeners can also be added later with
   * `UpstreamClients.onListChanged`.
   */
  readonly onChanged?: UpstreamChangeListener;
}

const UPSTREAM_MCP_OPTIONS = Symbol('UPSTREAM_MCP_OPTIONS');

@Injectable()
class UpstreamMcpLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: PackRegistry,
    @Inject(UpstreamClients) private readonly clients: UpstreamClients,
    @Inject(UPSTREAM_MCP_OPTIONS) private readonly options: UpstreamMcpModuleOptions,
  ) {}

  onModuleInit(): void {
    if (this.options.onChanged) this.clients.onListChanged(this.options.onChanged);
    this.registry.register(createUpstreamMcpPack({ clients: this.clients }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clients.closeAll();
  }
}

function module(optionsProvider: NonNullable<DynamicModule['providers']>): DynamicModule {
  return {
    module: UpstreamMcpModule,
    providers: [
      ...optionsProvider,
      {
        provide: UpstreamClients,
        inject: [UPSTREAM_MCP_OPTIONS, EgressPolicy],
        useFactory: (o: UpstreamMcpModuleOptions, policy: EgressPolicy) =>
          new UpstreamClients({
            policy,
            ...(o.maxClients !== undefined && { maxClients: o.maxClients }),
            ...(o.idleCloseMs !== undefined && { idleCloseMs: o.idleCloseMs }),
            ...(o.initialBackoffMs !== undefined && { initialBackoffMs: o.initialBackoffMs }),
            ...(o.maxBackoffMs !== undefined && { maxBackoffMs: o.maxBackoffMs }),
            ...(o.connectTimeoutMs !== undefined && { connectTimeoutMs: o.connectTimeoutMs }),
          }),
      },
      UpstreamMcpLifecycle,
    ],
    // The platform injects the pool to subscribe to list changes and to evict deleted connections.
    exports: [UpstreamClients],
  };
}

/**
 * Registers the `upstream-mcp` tool pack and owns its pooled upstream clients. Needs the global
 * `PackRegistry` and the `EgressPolicy` of `HttpClientModule`: upstream URLs obey the egress allow-list.
 */
@Module({})
export class UpstreamMcpModule {
  static forRoot(options: UpstreamMcpModuleOptions = {}): DynamicModule {
    return module([{ provide: UPSTREAM_MCP_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: {
    readonly inject: readonly InjectionToken[];
    readonly useFactory: (...deps: never[]) => UpstreamMcpModuleOptions | Promise<UpstreamMcpModuleOptions>;
  }): DynamicModule {
    return module([
      { provide: UPSTREAM_MCP_OPTIONS, inject: [...options.inject], useFactory: options.useFactory },
    ]);
  }
}
