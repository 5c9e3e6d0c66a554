import * as z from 'zod';

import { baseUrl, configProblem, timeoutMs } from '../core/config-fields.js';
import { TrackerError } from '../core/tracker.errors.js';

export const LINEAR_API_KEY_SECRET = 'api_key';
export const LINEAR_ACCESS_TOKEN_SECRET = 'access_token';
export const LINEAR_DEFAULT_API_URL = 'https://api.linear.app/graphql';

export const linearConfigSchema = z
  .object({
    apiUrl: baseUrl(LINEAR_DEFAULT_API_URL).describe("Linear's GraphQL endpoint."),
    auth: z
      .enum(['api_key', 'oauth'])
      .default('api_key')
      .describe(
        'api_key: a personal API key (secret "api_key"); oauth: an OAuth access token (secret "access_token").',
      ),
    defaultTeam: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Team key used when creating an issue without a team, e.g. "ENG".'),
    timeoutMs,
  })
  .strict();

export type LinearConfig = z.output<typeof linearConfigSchema>;

export function parseLinearConfig(raw: unknown): LinearConfig {
  const parsed = linearConfigSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new TrackerError('configuration', `its configuration is invalid (${configProblem(parsed.error)}).`);
  return parsed.data;
}
