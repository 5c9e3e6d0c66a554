import type { ToolPack } from '@switchboard/integration-kit';

import type { TrackerDeps } from '../core/runtime.js';
import { createTrackerPack } from '../core/tracker-pack.js';
import { GITHUB_TOKEN_SECRET, githubConfigSchema, type GithubConfig } from './github.config.js';
import { githubTools } from './github.tools.js';
import { githubVendor } from './github.vendor.js';

export const GITHUB_PACK_ID = 'github-issues';

export function createGithubPack(deps: TrackerDeps): ToolPack<GithubConfig> {
  return createTrackerPack(
    {
      id: GITHUB_PACK_ID,
      title: 'GitHub Issues',
      description:
        'GitHub (or GitHub Enterprise Server) issues through the REST API: search, read with comments, create, update, close, comment, repositories, milestones and "my open issues", plus bug-report, release-notes and triage prompts.',
      configSchema: githubConfigSchema,
      secrets: [
        {
          name: GITHUB_TOKEN_SECRET,
          description:
            'A fine-grained or classic personal access token (or GitHub App installation token) with Issues read/write.',
          required: true,
        },
      ],
      vendor: githubVendor,
      extraTools: githubTools,
    },
    deps,
  );
}
