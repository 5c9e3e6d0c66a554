import * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';

export const PRIVATE_APP_TOKEN_SECRET = 'private_app_token';
export const CLIENT_ID_SECRET = 'client_id';
export const CLIENT_SECRET_SECRET = 'client_secret';
export const REFRESH_TOKEN_SECRET = 'refresh_token';

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'credentials inside the URL are not allowed')
  .refine((u) => !/[?#]/.test(u), 'a base URL has no query or fragment');

export const hubspotConfigSchema = z
  .object({
    auth: z
      .enum(['private_app', 'oauth'])
      .default('private_app')
      .describe(
        `"private_app": the "${PRIVATE_APP_TOKEN_SECRET}" secret is sent as the bearer token. "oauth": the "${REFRESH_TOKEN_SECRET}", "${CLIENT_ID_SECRET}" and "${CLIENT_SECRET_SECRET}" secrets are exchanged for short-lived access tokens.`,
      ),
    baseUrl: httpUrl
      .default('https://api.hubapi.com')
      .describe("Where API calls go (and OAuth token requests); HubSpot's API by default."),
    portalId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The HubSpot account (portal) id; when set, results link to records in HubSpot.'),
    appUrl: httpUrl
      .default('https://app.hubspot.com')
      .describe('HubSpot web app address for record links (https://app-eu1.hubspot.com for EU accounts).'),
    timeoutMs: z.number().int().min(1_000).max(120_000).default(20_000),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(3)
      .describe('Retries after a 429 (all calls) or a 5xx/network failure (idempotent calls only).'),
  })
  .strict();

export type HubSpotConfig = z.output<typeof hubspotConfigSchema>;

export function parseHubSpotConfig(config: unknown): HubSpotConfig {
  const parsed = hubspotConfigSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CrmError(
      'configuration',
      `The HubSpot connection's configuration is invalid${first ? ` (${first.path.join('.') || 'config'}: ${first.message})` : ''}.`,
    );
  }
  return parsed.data;
}
