import type { ToolPack } from '@switchboard/integration-kit';

import type { TrackerDeps } from '../core/runtime.js';
import { createTrackerPack } from '../core/tracker-pack.js';
import {
  JIRA_ACCESS_TOKEN_SECRET,
  JIRA_API_TOKEN_SECRET,
  JIRA_EMAIL_SECRET,
  jiraConfigSchema,
  type JiraConfig,
} from './jira.config.js';
import { jiraTools } from './jira.tools.js';
import { jiraVendor } from './jira.vendor.js';

export const JIRA_PACK_ID = 'jira';

export function createJiraPack(deps: TrackerDeps): ToolPack<JiraConfig> {
  return createTrackerPack(
    {
      id: JIRA_PACK_ID,
      title: 'Jira Cloud',
      description:
        'Jira Cloud issues through REST v3 and the Agile API: search (and JQL), read with comments, create, update and transition, comment, projects, sprints and "my open issues", plus bug-report, release-notes and triage prompts.',
      configSchema: jiraConfigSchema,
      secrets: [
        { name: JIRA_EMAIL_SECRET, description: 'Atlassian account email (auth "basic").', required: false },
        { name: JIRA_API_TOKEN_SECRET, description: 'Atlassian API token (auth "basic").', required: false },
        {
          name: JIRA_ACCESS_TOKEN_SECRET,
          description: 'OAuth 2.0 access token (auth "oauth").',
          required: false,
        },
      ],
      vendor: jiraVendor,
      extraTools: jiraTools,
    },
    deps,
  );
}
