import { describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EgressPolicy, GuardedHttpClient, HttpClientModule } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { DatabasesModule } from './databases.module.js';

/** Stands in for the platform's global PacksModule. */
@Global()
@Module({ providers: [PackRegistry], exports: [PackRegistry] })
class RegistryModule {}

describe('DatabasesModule', () => {
  it('registers the databases pack and shares the egress policy of HttpClientModule', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RegistryModule,
        HttpClientModule.forRoot({ allow: ['10.0.0.0/8'] }),
        DatabasesModule.forRootAsync({ inject: [], useFactory: () => ({ sqliteDirectory: null }) }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const pack = app.get(PackRegistry).get('databases');
      expect(pack?.secrets.map((s) => s.name)).toEqual(['password', 'tls_client_key']);
      expect(pack?.exposeByDefault).toBe(false);
      const policy = app.get(EgressPolicy);
      expect(policy.refusalFor('10.1.2.3')).toBeNull();
      expect(app.get(GuardedHttpClient).policy).toBe(policy);
    } finally {
      await app.close();
    }
  });
});
