import type { ToolPack } from '@switchboard/integration-kit';

import { createTrackerPack } from '../core/tracker-pack.js';
import type { TrackerDeps } from '../core/runtime.js';
import {
  LINEAR_ACCESS_TOKEN_SECRET,
  LINEAR_API_KEY_SECRET,
  linearConfigSchema,
  type LinearConfig,
} from './linear.config.js';
import { linearTools } from './linear.tools.js';
import { linearVendor } from './linear.vendor.js';

export const LINEAR_PACK_ID = 'linear';

export function createLinearPack(deps: TrackerDeps): ToolPack<LinearConfig> {
  return createTrackerPack(
    {
      id: LINEAR_PACK_ID,
      title: 'Linear',
      description:
        'Linear issues through its GraphQL API: search, read with comments, create, update, comment, projects, teams, cycles and "my open issues", plus bug-report, release-notes and triage prompts.',
      configSchema: linearConfigSchema,
      secrets: [
        { name: LINEAR_API_KEY_SECRET, description: 'Personal API key (auth "api_key").', required: false },
        {
          name: LINEAR_ACCESS_TOKEN_SECRET,
          description: 'OAuth access token (auth "oauth").',
          required: false,
        },
      ],
      vendor: linearVendor,
      extraTools: linearTools,
    },
    deps,
  );
}
