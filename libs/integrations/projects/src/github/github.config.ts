import * as z from 'zod';

import { baseUrl, configProblem, timeoutMs } from '../core/config-fields.js';
import { TrackerError } from '../core/tracker.errors.js';

export const GITHUB_TOKEN_SECRET = 'token';
export const GITHUB_DEFAULT_API_URL = 'https://api.github.com';

const login = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'a GitHub user or organization name');
export const repoName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'owner/name, e.g. acme/web');

export const githubConfigSchema = z
  .object({
    apiUrl: baseUrl(GITHUB_DEFAULT_API_URL).describe(
      'REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.',
    ),
    owner: login.optional().describe('Organization or user whose repositories searches and listings cover.'),
    repositories: z
      .array(repoName)
      .min(1)
      .max(100)
      .optional()
      .describe(
        'When set, the connection is limited to these repositories; the first is the default for new issues.',
      ),
    timeoutMs,
  })
  .strict();

export type GithubConfig = z.output<typeof githubConfigSchema>;

export function parseGithubConfig(raw: unknown): GithubConfig {
  const parsed = githubConfigSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new TrackerError('configuration', `its configuration is invalid (${configProblem(parsed.error)}).`);
  return parsed.data;
}
