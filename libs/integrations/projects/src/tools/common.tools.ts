import type { ToolAnnotations } from '@modelcontextprotocol/server';
import { structuredResult, toolError, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { commentSchema, issueDetailSchema, issueSummarySchema, projectSchema } from '../core/model.js';
import type { IssueQuery } from '../core/tracker.js';
import { withTracker, type TrackerDeps, type TrackerVendor } from '../core/runtime.js';
import {
  commentInput,
  createIssueInput,
  getIssueInput,
  listProjectsInput,
  myIssuesInput,
  parseArgs,
  searchInput,
  updateIssueInput,
} from './inputs.js';
import { issueLine, issuesPayload, renderIssueDetail, renderIssuePage, renderProjects } from './render.js';

export const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

export function writeAnnotations(idempotent: boolean): ToolAnnotations {
  return { readOnlyHint: false, destructiveHint: false, idempotentHint: idempotent, openWorldHint: true };
}

export const issuePageOutput = z.object({
  issues: z.array(issueSummarySchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null when this is the last.'),
  total: z.number().int().nullable().describe('Total matches, when the tracker reports it.'),
});

const projectPageOutput = z.object({
  projects: z.array(projectSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().nullable(),
});

const issueOutput = z.object({ issue: issueSummarySchema });
const commentOutput = z.object({ issue: z.string(), comment: commentSchema });

/** The tools every tracker has, in one shape; names carry the vendor prefix (`linear_search_issues`). */
export function commonTools<Config>(
  vendor: TrackerVendor<Config>,
  deps: TrackerDeps,
): ToolDefinition<Config>[] {
  const p = vendor.profile;
  const n = (suffix: string) => `${p.prefix}_${suffix}`;
  const search = searchInput(p);
  const get = getIssueInput(p);
  const create = createIssueInput(p);
  const update = updateIssueInput(p);
  const comment = commentInput(p);
  const projects = listProjectsInput(p);
  const mine = myIssuesInput(p);
  const projectNoun = p.prefix === 'github' ? 'repositories' : 'projects';

  return [
    {
      name: n('search_issues'),
      title: `Search ${p.name} issues`,
      description: `Finds ${p.name} issues by text and filters (assignee, state, label, project${p.hasTeams ? ', team' : ''}), most recently updated first. Use it to answer "what is open about X", "which bugs has Ada got", or to find an issue's key before reading or changing it. Returns up to 50 issues per page with key, title, state, assignee, priority, labels and project; pass nextCursor back as \`cursor\` for more. Example: {"text": "login timeout", "state": "open", "label": "bug"}.`,
      inputSchema: search,
      outputSchema: issuePageOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(search, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('search_issues'), async (session) => {
          const page = await session.searchIssues(input.value as IssueQuery);
          return structuredResult(issuesPayload(page), renderIssuePage(page, 'issues'));
        });
      },
    },
    {
      name: n('get_issue'),
      title: `Get a ${p.name} issue`,
      description: `Reads one ${p.name} issue in full: description, state, assignee, priority, labels, reporter and its comments (oldest first, 20 by default; descriptions and comments over 4,000 characters are cut and marked). Use it before summarising, triaging or changing an issue. Example: {"issue": "${p.issueKeyExample}"}.`,
      inputSchema: get,
      outputSchema: z.object({ issue: issueDetailSchema }),
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(get, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('get_issue'), async (session) => {
          const issue = await session.getIssue(input.value.issue, {
            commentsLimit: input.value.comments_limit,
            commentsCursor: input.value.comments_cursor,
          });
          return structuredResult({ issue: { ...issue } }, renderIssueDetail(issue));
        });
      },
    },
    {
      name: n('create_issue'),
      title: `Create a ${p.name} issue`,
      description: `Creates a ${p.name} issue and returns its key and URL. Names are resolved for you (assignee by email/name${p.hasTeams ? ', team by key' : ''}, labels and priority by name); an unknown name is an error listing the valid ones. Confirm the title and ${p.hasTeams ? 'team' : 'project'} with the user first if unsure. Example: {"title": "Checkout fails on Safari 17", "description": "Steps: …", ${p.hasTeams ? '"team": "ENG"' : `"project": "${p.projectExample}"`}, "labels": ["bug"]}.`,
      inputSchema: create,
      outputSchema: issueOutput,
      annotations: writeAnnotations(false),
      permission: 'write',
      handler: async (args, ctx) => {
        const input = parseArgs(create, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('create_issue'), async (session) => {
          const v = input.value as z.output<typeof create> & {
            team?: string;
            issue_type?: string;
            priority?: string;
          };
          const issue = await session.createIssue({
            title: v.title,
            description: v.description,
            project: v.project,
            team: v.team,
            assignee: v.assignee,
            priority: v.priority,
            labels: v.labels,
            issueType: v.issue_type,
          });
          return structuredResult(
            { issue: { ...issue } },
            `Created ${issue.key}: ${issue.title}${issue.url ? ` — ${issue.url}` : ''}\n${issueLine(issue)}`,
          );
        });
      },
    },
    {
      name: n('update_issue'),
      title: `Update a ${p.name} issue`,
      description: `Changes a ${p.name} issue: title, description, state${p.priorityHelp !== null ? ', priority' : ''}, assignee and labels (replace all, or add/remove some). Only the fields you pass change. Moving state uses the tracker's workflow; an invalid state is an error listing the allowed ones. Returns the issue as it is afterwards. Example: {"issue": "${p.issueKeyExample}", "state": "${p.prefix === 'github' ? 'closed' : 'In Progress'}", "assignee": "me", "add_labels": ["needs-review"]}.`,
      inputSchema: update,
      outputSchema: issueOutput,
      annotations: writeAnnotations(true),
      permission: 'write',
      handler: async (args, ctx) => {
        const input = parseArgs(update, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('update_issue'), async (session) => {
          const v = input.value as z.output<typeof update> & { priority?: string };
          const issue = await session.updateIssue(v.issue, {
            title: v.title,
            description: v.description,
            state: v.state,
            assignee: v.assignee,
            priority: v.priority,
            labels: v.labels,
            addLabels: v.add_labels,
            removeLabels: v.remove_labels,
          });
          return structuredResult({ issue: { ...issue } }, `Updated ${issue.key}.\n${issueLine(issue)}`);
        });
      },
    },
    {
      name: n('comment_on_issue'),
      title: `Comment on a ${p.name} issue`,
      description: `Adds a comment to a ${p.name} issue as the connection's account, and returns the comment with its link. Use it to post findings, status updates or questions on the issue. Example: {"issue": "${p.issueKeyExample}", "body": "Reproduced on 2.4.1; the stack trace points at the session cache."}.`,
      inputSchema: comment,
      outputSchema: commentOutput,
      annotations: writeAnnotations(false),
      permission: 'write',
      handler: async (args, ctx) => {
        const input = parseArgs(comment, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('comment_on_issue'), async (session) => {
          const c = await session.addComment(input.value.issue, input.value.body);
          return structuredResult(
            { issue: input.value.issue, comment: { ...c } },
            `Commented on ${input.value.issue}${c.url ? ` — ${c.url}` : ''}.`,
          );
        });
      },
    },
    {
      name: n('list_projects'),
      title: `List ${p.name} ${projectNoun}`,
      description: `Lists the ${p.name} ${projectNoun} the connection can see, with the key to pass as \`project\` elsewhere${p.hasIssueTypes ? " and each project's issue types" : ''}. Use it when the user names a ${projectNoun === 'repositories' ? 'repository' : 'project'} loosely or you need a valid key. Paginated (nextCursor). Example: {"query": "${p.projectExample}"}.`,
      inputSchema: projects,
      outputSchema: projectPageOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(projects, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('list_projects'), async (session) => {
          const page = await session.listProjects(input.value);
          return structuredResult(
            {
              projects: page.items.map((x) => ({ ...x, details: { ...x.details } })),
              nextCursor: page.nextCursor,
              total: page.total,
            },
            renderProjects(page, projectNoun),
          );
        });
      },
    },
    {
      name: n('my_open_issues'),
      title: `My open ${p.name} issues`,
      description: `Lists open (not done or canceled) ${p.name} issues assigned to the connection's own account, or to the user you name — "what's on my plate", "what is Ada working on". Most recently updated first, paginated. Example: {} or {"user": "ada@example.com"}.`,
      inputSchema: mine,
      outputSchema: issuePageOutput,
      annotations: READ,
      permission: 'read',
      handler: async (args, ctx) => {
        const input = parseArgs(mine, args);
        if (!input.ok) return toolError(input.message);
        return withTracker(vendor, deps, ctx, n('my_open_issues'), async (session) => {
          const page = await session.searchIssues({
            assignee: input.value.user ?? 'me',
            state: 'open',
            project: input.value.project,
            limit: input.value.limit,
            cursor: input.value.cursor,
          });
          const whose = input.value.user
            ? `open issues assigned to ${input.value.user}`
            : 'open issues assigned to you';
          return structuredResult(issuesPayload(page), renderIssuePage(page, whose));
        });
      },
    },
  ];
}
