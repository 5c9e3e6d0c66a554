import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { EgressPolicy } from './egress-policy.js';
import { GuardedHttpClient } from './guarded-http-client.js';

export interface HttpClientModuleOptions {
  /**
   * The operator's egress allow-list: addresses, CIDR blocks, host names or `*.domain` patterns that may
   * be reached although they are not public. Empty: public addresses only.
   */
  readonly allow: readonly string[];
  readonly connectTimeoutMs?: number;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
}

const HTTP_CLIENT_OPTIONS = Symbol('HTTP_CLIENT_OPTIONS');

/** Closes the shared client's sockets when the application stops. */
@Injectable()
class HttpClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GuardedHttpClient) private readonly client: GuardedHttpClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

function providers(options: DynamicModule['providers']): DynamicModule['providers'] {
  return [
    ...(options ?? []),
    {
      provide: EgressPolicy,
      inject: [HTTP_CLIENT_OPTIONS],
      useFactory: (o: HttpClientModuleOptions) => EgressPolicy.fromList(o.allow),
    },
    {
      provide: GuardedHttpClient,
      inject: [HTTP_CLIENT_OPTIONS, EgressPolicy],
      useFactory: (o: HttpClientModuleOptions, policy: EgressPolicy) =>
        new GuardedHttpClient({
          policy,
          ...(o.connectTimeoutMs !== undefined && { connectTimeoutMs: o.connectTimeoutMs }),
          ...(o.timeoutMs !== undefined && { timeoutMs: o.timeoutMs }),
          ...(o.maxResponseBytes !== undefined && { maxResponseBytes: o.maxResponseBytes }),
        }),
    },
    HttpClientLifecycle,
  ];
}

/**
 * Provides, globally, the one `EgressPolicy` and `GuardedHttpClient` of the process. Integrations inject
 * them; none builds its own client or opens sockets to addresses the policy did not check.
 */
@Global()
@Module({})
export class HttpClientModule {
  static forRoot(options: HttpClientModuleOptions): DynamicModule {
    return {
      module: HttpClientModule,
      providers: providers([{ provide: HTTP_CLIENT_OPTIONS, useValue: options }]),
      exports: [EgressPolicy, GuardedHttpClient],
    };
  }

  /** Options computed from other providers, e.g. `{ inject: [APP_CONFIG], useFactory: (c) => ({ allow: … }) }`. */
  static forRootAsync(options: {
    readonly inject: readonly InjectionToken[];
    readonly useFactory: (...deps: never[]) => HttpClientModuleOptions | Promise<HttpClientModuleOptions>;
  }): DynamicModule {
    return {
      module: HttpClientModule,
      providers: providers([
        { provide: HTTP_CLIENT_OPTIONS, inject: [...options.inject], useFactory: options.useFactory },
      ]),
      exports: [EgressPolicy, GuardedHttpClient],
    };
  }
}
