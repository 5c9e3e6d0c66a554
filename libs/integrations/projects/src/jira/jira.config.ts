import * as z from 'zod';

import { baseUrl, configProblem, timeoutMs } from '../core/config-fields.js';
import { TrackerError } from '../core/tracker.errors.js';

export const JIRA_EMAIL_SECRET = 'email';
export const JIRA_API_TOKEN_SECRET = 'api_token';
export const JIRA_ACCESS_TOKEN_SECRET = 'access_token';

export const jiraConfigSchema = z
  .object({
    siteUrl: baseUrl().describe(
      'The Jira Cloud site, e.g. https://acme.atlassian.net (for OAuth apps: https://api.atlassian.com/ex/jira/<cloudId>).',
    ),
    auth: z
      .enum(['basic', 'oauth'])
      .default('basic')
      .describe(
        'basic: account email + API token (secrets "email", "api_token"); oauth: a bearer access token (secret "access_token").',
      ),
    defaultProject: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'a Jira project key such as PROJ')
      .optional()
      .describe('Project key used when creating an issue or listing sprints without a project.'),
    defaultIssueType: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .default('Task')
      .describe('Issue type of new issues when none is given.'),
    timeoutMs,
  })
  .strict();

export type JiraConfig = z.output<typeof jiraConfigSchema>;

export function parseJiraConfig(raw: unknown): JiraConfig {
  const parsed = jiraConfigSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new TrackerError('configuration', `its configuration is invalid (${configProblem(parsed.error)}).`);
  return parsed.data;
}
