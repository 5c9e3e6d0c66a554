import { structuredResult, toolError, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { withTracker, type TrackerDeps, type TrackerVendor } from '../core/runtime.js';
import { issuePageOutput, READ } from '../tools/common.tools.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseArgs } from '../tools/inputs.js';
import { issuesPayload, pageFooter, renderIssuePage } from '../tools/render.js';
import type { JiraConfig } from './jira.config.js';
import type { JiraSession } from './jira.session.js';

const limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_LIMIT)
  .describe(`1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}.`);
const cursor = z.string().min(1).max(1000).optional().describe('nextCursor of a previous result.');

const jqlInput = z
  .object({
    jql: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .describe(
        'A JQL query, e.g. project = PROJ AND sprint in openSprints() AND type = Bug ORDER BY priority DESC.',
      ),
    limit,
    cursor,
  })
  .strict();

const sprintsInput = z
  .object({
    project: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .optional()
      .describe('Project key; its first scrum board is used.'),
    board: z.number().int().positive().optional().describe('A board id, instead of project.'),
    state: z
      .enum(['active', 'future', 'closed', 'all'])
      .default('active')
      .describe('Which sprints (default active).'),
    limit,
    cursor,
  })
  .strict();

const sprintsOutput = z.object({
  board: z.object({ id: z.number(), name: z.string() }).nullable(),
  sprints: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      state: z.string(),
      startDate: z.string().nullable(),
      endDate: z.string().nullable(),
      goal: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** Jira's extras: JQL for power users, and sprints from the Agile API. */
export function jiraTools(
  vendor: TrackerVendor<JiraConfig>,
  deps: TrackerDeps,
): ToolDefinition<JiraConfig>[] {
  return [
    {
      name: 'jira_search_jql',
      title: 'Search Jira with JQL',
      description:
        'Runs a JQL query as written, for searches jira_search_issues cannot express (sprints, components, fix versions, custom fields, date math). Returns the same issue list shape, paginated. Only when the user asks for JQL or needs such a filter; otherwise prefer jira_search_issues. Example: {"jql": "project = PROJ AND sprint in openSprints() AND statusCategory != Done ORDER BY rank"}.',
      inputSchema: jqlInput,
      outputSchema: issuePageOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(jqlInput, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, 'jira_search_jql', async (session) => {
          const page = await (session as JiraSession).jql(
            input.value.jql,
            input.value.limit,
            input.value.cursor,
          );
          return structuredResult(issuesPayload(page), renderIssuePage(page, 'issues'));
        });
      },
    },
    {
      name: 'jira_list_sprints',
      title: 'List Jira sprints',
      description:
        'Lists the sprints of a project\'s scrum board (active by default; or future, closed, all) with dates and goals. Use it for "what is the current sprint" or planning questions; find the sprint\'s issues with jira_search_jql (sprint = <id>). Example: {"project": "PROJ", "state": "active"}.',
      inputSchema: sprintsInput,
      outputSchema: sprintsOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(sprintsInput, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, 'jira_list_sprints', async (session) => {
          const { board, otherBoards, page } = await (session as JiraSession).listSprints(input.value);
          const sprints = page.items.map((s) => ({
            id: s.id,
            name: s.name,
            state: s.state,
            startDate: s.startDate ?? null,
            endDate: s.endDate ?? null,
            goal: s.goal || null,
          }));
          const text = !board
            ? 'That project has no scrum board, so it has no sprints.'
            : sprints.length === 0
              ? `No ${input.value.state === 'all' ? '' : `${input.value.state} `}sprints on ${board.name}.`
              : [
                  `${sprints.length} sprints on ${board.name}:`,
                  ...sprints.map(
                    (s) =>
                      `- ${s.name} (id ${s.id}, ${s.state}) ${s.startDate?.slice(0, 10) ?? '?'} → ${s.endDate?.slice(0, 10) ?? '?'}${s.goal ? ` — goal: ${s.goal}` : ''}`,
                  ),
                  pageFooter(page, sprints.length),
                ].join('\n');
          const boards =
            otherBoards.length > 0
              ? `\nOther scrum boards of the project: ${otherBoards.join(', ')} (pass \`board\`).`
              : '';
          return structuredResult({ board, sprints, nextCursor: page.nextCursor }, text + boards);
        });
      },
    },
  ];
}
