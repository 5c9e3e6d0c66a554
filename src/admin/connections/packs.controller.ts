import { PackRegistry, type ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminOutputOf } from '../http/route-spec.js';
import { tenantParams } from '../http/schemas.js';

const packView = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    version: z.string(),
    configSchema: z.record(z.string(), z.unknown()).meta({
      description:
        'JSON Schema (draft 2020-12) of the connection config: render the "add integration" form from it',
    }),
    secrets: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })),
    testable: z.boolean(),
    exposeByDefault: z.boolean(),
  })
  .meta({ id: 'Pack' });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/packs',
    operationId: 'listPacks',
    tag: 'Connections',
    summary: 'The integrations this server offers, with their config schema and the secrets they need',
    auth: 'tenant',
    permission: 'connection:read',
    params: tenantParams,
    response: z.object({ items: z.array(packView) }),
  }),
};

function configSchemaOf(pack: ToolPack): Record<string, unknown> {
  try {
    return pack.configSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
  } catch {
    // A schema that cannot be expressed in JSON Schema (a transform): the form falls back to raw JSON.
    return { type: 'object' };
  }
}

@AdminController()
export class PacksController {
  constructor(private readonly packs: PackRegistry) {}

  @AdminRoute(R.list)
  list(): AdminOutputOf<typeof R.list> {
    return {
      items: this.packs
        .list()
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((p) => ({
          id: p.id,
          title: p.title,
          description: p.description,
          version: p.version,
          configSchema: configSchemaOf(p),
          secrets: p.secrets.map((s) => ({ name: s.name, description: s.description, required: s.required })),
          testable: typeof p.test === 'function',
          exposeByDefault: p.exposeByDefault,
        })),
    };
  }
}
