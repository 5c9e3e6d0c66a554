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

import { DatabasePools } from './database-pools.js';
import { createDatabasesPack } from './databases.pack.js';

export interface DatabasesModuleOptions {
  /**
   * The folder SQLite connections may open files from (paths in their config are relative to it); null
   * turns SQLite connections off. Never a folder holding the platform's own data.
   */
  readonly sqliteDirectory: string | null;
  readonly maxPools?: number;
  readonly idleCloseMs?: number;
}

const DATABASES_OPTIONS = Symbol('DATABASES_OPTIONS');

@Injectable()
class DatabasesLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: PackRegistry,
    @Inject(DatabasePools) private readonly pools: DatabasePools,
  ) {}

  onModuleInit(): void {
    this.registry.register(createDatabasesPack({ pools: this.pools }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pools.closeAll();
  }
}

function module(optionsProvider: DynamicModule['providers']): DynamicModule {
  return {
    module: DatabasesModule,
    providers: [
      ...(optionsProvider ?? []),
      {
        provide: DatabasePools,
        inject: [DATABASES_OPTIONS, EgressPolicy],
        useFactory: (o: DatabasesModuleOptions, policy: EgressPolicy) =>
          new DatabasePools({
            policy,
            sqliteDirectory: o.sqliteDirectory,
            ...(o.maxPools !== undefined && { maxPools: o.maxPools }),
            ...(o.idleCloseMs !== undefined && { idleCloseMs: o.idleCloseMs }),
          }),
      },
      DatabasesLifecycle,
    ],
  };
}

/**
 * Registers the `databases` tool pack and owns its connection pools. Needs the global `PackRegistry` and
 * the `EgressPolicy` of `HttpClientModule` (database hosts obey the same egress allow-list as HTTP).
 */
@Module({})
export class DatabasesModule {
  static forRoot(options: DatabasesModuleOptions): DynamicModule {
    return module([{ provide: DATABASES_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: {
    readonly inject: readonly InjectionToken[];
    readonly useFactory: (...deps: never[]) => DatabasesModuleOptions | Promise<DatabasesModuleOptions>;
  }): DynamicModule {
    return module([
      { provide: DATABASES_OPTIONS, inject: [...options.inject], useFactory: options.useFactory },
    ]);
  }
}
