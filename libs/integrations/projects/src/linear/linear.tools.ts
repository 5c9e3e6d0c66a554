import { structuredResult, toolError, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { withTracker, type TrackerDeps, type TrackerVendor } from '../core/runtime.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseArgs } from '../tools/inputs.js';
import { READ } from '../tools/common.tools.js';
import { pageFooter } from '../tools/render.js';
import type { LinearConfig } from './linear.config.js';
import type { LinearSession } from './linear.session.js';

const limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_LIMIT)
  .describe(`1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}.`);
const cursor = z.string().min(1).max(1000).optional().describe('nextCursor of a previous result.');

const teamsInput = z
  .object({
    query: z.string().trim().min(1).max(100).optional().describe('Team key or part of its name.'),
    limit,
    cursor,
  })
  .strict();
const cyclesInput = z
  .object({
    team: z.string().trim().min(1).max(100).optional().describe('Team key or name; all teams when omitted.'),
    when: z
      .enum(['current', 'upcoming', 'past', 'all'])
      .default('current')
      .describe('Which cycles (default current).'),
    limit,
    cursor,
  })
  .strict();

const teamsOutput = z.object({
  teams: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      states: z
        .array(z.object({ name: z.string(), type: z.string() }))
        .describe('Workflow states in board order.'),
      labels: z.array(z.string()),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const cyclesOutput = z.object({
  cycles: z.array(
    z.object({
      id: z.string(),
      number: z.number(),
      name: z.string(),
      team: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      status: z.enum(['current', 'upcoming', 'past']),
      progress: z.number().describe('Share of scope completed, 0–1.'),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** Linear's own concepts beyond the common shape: teams (with their workflow states and labels) and cycles. */
export function linearTools(
  vendor: TrackerVendor<LinearConfig>,
  deps: TrackerDeps,
): ToolDefinition<LinearConfig>[] {
  return [
    {
      name: 'linear_list_teams',
      title: 'List Linear teams',
      description:
        'Lists Linear teams with their key (the prefix of issue identifiers, passed as `team`), their workflow states in board order and their labels. Use it to learn valid state and label names before creating or moving issues. Example: {"query": "ENG"}.',
      inputSchema: teamsInput,
      outputSchema: teamsOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(teamsInput, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, 'linear_list_teams', async (session) => {
          const page = await (session as LinearSession).listTeams(input.value);
          const teams = page.items.map((t) => ({
            id: t.id,
            key: t.key,
            name: t.name,
            description: t.description ?? null,
            states: [...t.states.nodes]
              .sort((a, b) => a.position - b.position)
              .map((s) => ({ name: s.name, type: s.type })),
            labels: t.labels.nodes.map((l) => l.name),
          }));
          const text =
            teams.length === 0
              ? 'No teams found.'
              : [
                  `${teams.length} teams:`,
                  ...teams.map(
                    (t) =>
                      `- ${t.key} — ${t.name}: states ${t.states.map((s) => s.name).join(' → ')}; labels ${t.labels.join(', ') || 'none'}`,
                  ),
                  pageFooter(page, teams.length),
                ].join('\n');
          return structuredResult({ teams, nextCursor: page.nextCursor }, text);
        });
      },
    },
    {
      name: 'linear_list_cycles',
      title: 'List Linear cycles',
      description:
        'Lists Linear cycles (time-boxed iterations) — the current one by default, or upcoming, past or all — with dates and progress, per team. Use it for "what is in this cycle" (then linear_search_issues) or sprint planning questions. Example: {"team": "ENG", "when": "current"}.',
      inputSchema: cyclesInput,
      outputSchema: cyclesOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(cyclesInput, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, 'linear_list_cycles', async (session) => {
          const page = await (session as LinearSession).listCycles(input.value);
          const cycles = page.items.map((c) => ({
            id: c.id,
            number: c.number,
            name: c.name ?? `Cycle ${c.number}`,
            team: c.team.key,
            startsAt: c.startsAt,
            endsAt: c.endsAt,
            status: c.isActive
              ? ('current' as const)
              : c.isFuture
                ? ('upcoming' as const)
                : ('past' as const),
            progress: c.progress,
          }));
          const text =
            cycles.length === 0
              ? `No ${input.value.when === 'all' ? '' : `${input.value.when} `}cycles found.`
              : [
                  `${cycles.length} cycles:`,
                  ...cycles.map(
                    (c) =>
                      `- ${c.team} ${c.name} (${c.status}) ${c.startsAt.slice(0, 10)} → ${c.endsAt.slice(0, 10)}, ${Math.round(c.progress * 100)}% done`,
                  ),
                  pageFooter(page, cycles.length),
                ].join('\n');
          return structuredResult({ cycles, nextCursor: page.nextCursor }, text);
        });
      },
    },
  ];
}
