import { describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpClientModule } from '@switchboard/http-client';
import { PackRegistry } from '@switchboard/integration-kit';

import { CrmModule } from './crm.module.js';

/** Stands in for the platform's global PacksModule. */
@Global()
@Module({ providers: [PackRegistry], exports: [PackRegistry] })
class RegistryModule {}

describe('CrmModule', () => {
  it('registers the hubspot pack, hidden by default, with its secrets and a connection test', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RegistryModule, HttpClientModule.forRoot({ allow: [] }), CrmModule],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const pack = app.get(PackRegistry).get('hubspot');
      expect(pack?.exposeByDefault).toBe(false);
      expect(pack?.secrets.map((s) => s.name)).toEqual([
        'private_app_token',
        'client_id',
        'client_secret',
        'refresh_token',
      ]);
      expect(typeof pack?.test).toBe('function');
      const ctx = {
        tenant: { id: 't', slug: 't' },
        connectionId: 'c',
        connectionName: 'c',
        secrets: { get: () => Promise.reject(new Error('unused')), has: () => Promise.resolve(false) },
        logger: {
          debug: () => undefined,
          info: () => undefined,
          warn: () => undefined,
          error: () => undefined,
        },
      };
      await expect(pack?.surface({ ...ctx, config: { auth: 'basic' } })).rejects.toThrow(
        "The HubSpot connection's configuration is invalid (auth:",
      );
      const surface = await pack!.surface({ ...ctx, config: {} });
      expect(surface.tools).toHaveLength(14);
    } finally {
      await app.close();
    }
  });
});
