import * as z from 'zod';

import { cutText, type IssueComment, type IssueSummary, type StateCategory } from '../core/model.js';
import { TrackerError } from '../core/tracker.errors.js';

const ghUser = z.object({
  login: z.string(),
  id: z.number().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

export const ghIssue = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string().nullish(),
  state: z.string(),
  state_reason: z.string().nullish(),
  user: ghUser.nullish(),
  assignee: ghUser.nullish(),
  assignees: z.array(ghUser).nullish(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string().nullish() })])).nullish(),
  milestone: z.object({ title: z.string() }).nullish(),
  comments: z.number().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  repository_url: z.string().nullish(),
  pull_request: z.unknown().optional(),
});

export const ghComment = z.object({
  id: z.number(),
  body: z.string().nullish(),
  user: ghUser.nullish(),
  created_at: z.string(),
  html_url: z.string().nullish(),
});

export const ghRepo = z.object({
  id: z.number(),
  full_name: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  html_url: z.string().nullish(),
  private: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  open_issues_count: z.number().nullish(),
  has_issues: z.boolean().nullish(),
});

export const ghMilestone = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  description: z.string().nullish(),
  due_on: z.string().nullish(),
  open_issues: z.number(),
  closed_issues: z.number(),
  html_url: z.string().nullish(),
});

export function read<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrackerError(
      'malformed',
      `${what}: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'unexpected shape'}`,
    );
  }
  return parsed.data;
}

export type GhIssue = z.output<typeof ghIssue>;

export function categoryOf(state: string, reason: string | null | undefined): StateCategory {
  if (state === 'open') return 'open';
  if (state === 'closed') return reason === 'not_planned' || reason === 'duplicate' ? 'canceled' : 'done';
  return 'unknown';
}

/** "https://api.github.com/repos/acme/web" → "acme/web". */
export function repoOf(issue: GhIssue, fallback: string | null): string | null {
  const m = issue.repository_url ? /\/repos\/([^/]+\/[^/]+)$/.exec(issue.repository_url) : null;
  return m?.[1] ?? fallback;
}

export function toSummary(i: GhIssue, repo: string | null): IssueSummary {
  const assignee = i.assignee ?? i.assignees?.[0] ?? null;
  const r = repoOf(i, repo);
  return {
    id: String(i.id),
    key: r ? `${r}#${i.number}` : `#${i.number}`,
    title: i.title,
    url: i.html_url ?? null,
    state: i.state_reason && i.state === 'closed' ? `closed (${i.state_reason.replace('_', ' ')})` : i.state,
    stateCategory: categoryOf(i.state, i.state_reason),
    assignee: assignee ? { id: assignee.login, name: assignee.login, email: null } : null,
    priority: null,
    labels: (i.labels ?? [])
      .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
      .filter((l) => l.length > 0),
    project: r,
    team: null,
    cycle: i.milestone?.title ?? null,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

export function toComment(c: z.output<typeof ghComment>): IssueComment {
  const body = cutText(c.body ?? '');
  return {
    id: String(c.id),
    author: c.user?.login ?? null,
    body: body.text ?? '',
    bodyTruncated: body.cut,
    createdAt: c.created_at,
    url: c.html_url ?? null,
  };
}
