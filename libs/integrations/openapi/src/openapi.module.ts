import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
// Value imports: Nest resolves constructor parameters from their emitted type metadata.
import { GuardedHttpClient } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { createOpenApiPack } from './openapi.pack.js';

@Injectable()
class OpenApiRegistration implements OnModuleInit {
  constructor(
    private readonly registry: PackRegistry,
    @Inject(GuardedHttpClient) private readonly http: GuardedHttpClient,
  ) {}

  onModuleInit(): void {
    this.registry.register(createOpenApiPack({ http: this.http }));
  }
}

/** Registers the `openapi` tool pack. Needs the global `PackRegistry` and `HttpClientModule`'s client. */
@Module({ providers: [OpenApiRegistration] })
export class OpenApiModule {}
