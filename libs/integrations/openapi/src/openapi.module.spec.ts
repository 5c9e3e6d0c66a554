import { describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpClientModule } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { OpenApiModule } from './openapi.module.js';

/** Stands in for the platform's global PacksModule. */
@Global()
@Module({ providers: [PackRegistry], exports: [PackRegistry] })
class RegistryModule {}

describe('OpenApiModule', () => {
  it('registers the openapi pack, hidden by default, with its secrets', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RegistryModule, HttpClientModule.forRoot({ allow: [] }), OpenApiModule],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const pack = app.get(PackRegistry).get('openapi');
      expect(pack?.exposeByDefault).toBe(false);
      expect(pack?.secrets.map((s) => s.name)).toEqual([
        'token',
        'api_key',
        'username',
        'password',
        'client_id',
        'client_secret',
      ]);
      // A configuration the pack cannot use fails when the surface is built, with a readable reason.
      await expect(
        pack?.surface({
          tenant: { id: 't', slug: 't' },
          connectionId: 'c',
          connectionName: 'c',
          config: { document: { text: '{}' }, auth: { kind: 'digest' } },
          secrets: { get: () => Promise.reject(new Error('unused')), has: () => Promise.resolve(false) },
          logger: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
          },
        }),
      ).rejects.toThrow("The connection's configuration is invalid (auth.kind:");
    } finally {
      await app.close();
    }
  });
});
