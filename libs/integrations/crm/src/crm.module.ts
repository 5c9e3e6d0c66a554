import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
// Value imports: Nest resolves constructor parameters from their emitted type metadata.
import { GuardedHttpClient } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { HubSpotTokenCache } from './hubspot/hubspot-auth.js';
import { createHubSpotPack } from './hubspot/hubspot.pack.js';
import { RateLimitGate } from './hubspot/rate-limit-gate.js';

@Injectable()
class CrmRegistration implements OnModuleInit {
  constructor(
    private readonly registry: PackRegistry,
    @Inject(GuardedHttpClient) private readonly http: GuardedHttpClient,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      createHubSpotPack({ http: this.http, gate: new RateLimitGate(), tokens: new HubSpotTokenCache() }),
    );
  }
}

/** Registers the CRM packs (`hubspot`). Needs the global `PackRegistry` and `HttpClientModule`'s client. */
@Module({ providers: [CrmRegistration] })
export class CrmModule {}
