import { structuredResult, toolError, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { withTracker, type TrackerDeps, type TrackerVendor } from '../core/runtime.js';
import { READ } from '../tools/common.tools.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseArgs } from '../tools/inputs.js';
import { pageFooter } from '../tools/render.js';
import type { GithubConfig } from './github.config.js';
import type { GithubSession } from './github.session.js';

const milestonesInput = z
  .object({
    project: z
      .string()
      .trim()
      .min(3)
      .max(141)
      .optional()
      .describe('Repository as owner/name (the default repository when omitted).'),
    state: z.enum(['open', 'closed', 'all']).default('open').describe('Which milestones (default open).'),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    cursor: z.string().min(1).max(20).optional().describe('nextCursor of a previous result.'),
  })
  .strict();

const milestonesOutput = z.object({
  repository: z.string(),
  milestones: z.array(
    z.object({
      number: z.number(),
      title: z.string(),
      state: z.string(),
      dueOn: z.string().nullable(),
      openIssues: z.number(),
      closedIssues: z.number(),
      url: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** GitHub's iteration concept: milestones. */
export function githubTools(
  vendor: TrackerVendor<GithubConfig>,
  deps: TrackerDeps,
): ToolDefinition<GithubConfig>[] {
  return [
    {
      name: 'github_list_milestones',
      title: 'List GitHub milestones',
      description:
        'Lists a repository\'s milestones (open by default) with due dates and open/closed issue counts — GitHub\'s stand-in for sprints and releases. Use it for "what is left for the 2.0 milestone" (then github_search_issues). Example: {"project": "acme/web", "state": "open"}.',
      inputSchema: milestonesInput,
      outputSchema: milestonesOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(milestonesInput, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, 'github_list_milestones', async (session) => {
          const { repo, page } = await (session as GithubSession).listMilestones(input.value);
          const milestones = page.items.map((m) => ({
            number: m.number,
            title: m.title,
            state: m.state,
            dueOn: m.due_on ?? null,
            openIssues: m.open_issues,
            closedIssues: m.closed_issues,
            url: m.html_url ?? null,
          }));
          const text =
            milestones.length === 0
              ? `No ${input.value.state === 'all' ? '' : `${input.value.state} `}milestones in ${repo}.`
              : [
                  `${milestones.length} milestones in ${repo}:`,
                  ...milestones.map(
                    (m) =>
                      `- ${m.title} (${m.state}${m.dueOn ? `, due ${m.dueOn.slice(0, 10)}` : ''}): ${m.openIssues} open, ${m.closedIssues} closed`,
                  ),
                  pageFooter(page, milestones.length),
                ].join('\n');
          return structuredResult({ repository: repo, milestones, nextCursor: page.nextCursor }, text);
        });
      },
    },
  ];
}
