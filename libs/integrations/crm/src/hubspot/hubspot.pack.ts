import type {
  ConnectionContext,
  ConnectionTestResult,
  PackSurface,
  ToolPack,
} from '@switchboard/integration-kit';

import { CrmError } from '../core/crm.errors.js';
import { OBJECT_TYPES } from '../core/crm.types.js';
import { crmPrompts } from '../prompts.js';
import { propertyResources } from '../resources.js';
import { crmTools } from '../tools/index.js';
import type { CrmToolDeps } from '../tools/tool-runtime.js';
import { HUBSPOT_OBJECT } from './hubspot-mapping.js';
import { pageSchema } from './hubspot-schemas.js';
import { HubSpotSession, type HubSpotDeps } from './hubspot-session.js';
import {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  hubspotConfigSchema,
  parseHubSpotConfig,
  PRIVATE_APP_TOKEN_SECRET,
  REFRESH_TOKEN_SECRET,
  type HubSpotConfig,
} from './hubspot.config.js';
import { HubSpotBackend } from './hubspot.backend.js';

export const HUBSPOT_PACK_ID = 'hubspot';

/**
 * The connection test: one cheap authenticated read per object type the tools use (a one-record page),
 * so the admin learns both whether the credentials work and which scopes are missing.
 */
async function testConnection(deps: HubSpotDeps, ctx: ConnectionContext): Promise<ConnectionTestResult> {
  const started = Date.now();
  const readable: string[] = [];
  const refused: string[] = [];
  try {
    const session = await HubSpotSession.open(deps, { ...ctx, signal: AbortSignal.timeout(30_000) });
    for (const type of OBJECT_TYPES) {
      try {
        const raw = await session.call(`the ${type} read`, (api) =>
          api.objects.getPage(HUBSPOT_OBJECT[type], 1),
        );
        session.check(pageSchema, raw, `the ${type} read`);
        readable.push(HUBSPOT_OBJECT[type]);
      } catch (error) {
        if (error instanceof CrmError && error.kind === 'forbidden') refused.push(error.message);
        else throw error;
      }
    }
  } catch (error) {
    if (error instanceof CrmError) {
      return { ok: false, message: error.message, details: { latencyMs: Date.now() - started } };
    }
    throw error;
  }
  const details = { latencyMs: Date.now() - started, readable: readable.join(', ') || 'none' };
  if (refused.length > 0) {
    return {
      ok: false,
      message: `Signed in to HubSpot, but ${refused.length} of ${OBJECT_TYPES.length} object types cannot be read. ${refused[0]}`,
      details,
    };
  }
  return { ok: true, message: `Signed in to HubSpot; contacts, companies and deals are readable.`, details };
}

/** HubSpot CRM as the `crm_*` tools, the property resources and the two sales prompts. */
export function createHubSpotPack(deps: HubSpotDeps): ToolPack<HubSpotConfig> {
  const toolDeps: CrmToolDeps = {
    vendor: 'HubSpot',
    backend: async (ctx) => new HubSpotBackend(await HubSpotSession.open(deps, ctx)),
  };
  return {
    id: HUBSPOT_PACK_ID,
    title: 'HubSpot CRM',
    description:
      'Find, read and update HubSpot contacts, companies and deals; log notes and tasks; move deals through pipelines; pipeline-review and customer-summary prompts.',
    version: '1.0.0',
    configSchema: hubspotConfigSchema as unknown as ToolPack<HubSpotConfig>['configSchema'],
    secrets: [
      {
        name: PRIVATE_APP_TOKEN_SECRET,
        description: 'Access token of a HubSpot private app (auth "private_app").',
        required: false,
      },
      { name: CLIENT_ID_SECRET, description: 'OAuth app client id (auth "oauth").', required: false },
      { name: CLIENT_SECRET_SECRET, description: 'OAuth app client secret (auth "oauth").', required: false },
      {
        name: REFRESH_TOKEN_SECRET,
        description:
          'The refresh token HubSpot issued when the app was installed in the account (auth "oauth").',
        required: false,
      },
    ],
    exposeByDefault: false,
    async surface(ctx): Promise<PackSurface<HubSpotConfig>> {
      // A configuration the pack cannot use fails here, with a reason the admin can read.
      parseHubSpotConfig(ctx.config);
      return {
        tools: crmTools(toolDeps),
        resources: propertyResources(toolDeps, ctx),
        prompts: crmPrompts(toolDeps, ctx),
      };
    },
    test: (ctx) => testConnection(deps, ctx),
  };
}
