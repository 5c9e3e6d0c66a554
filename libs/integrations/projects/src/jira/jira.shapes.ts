import * as z from 'zod';

import {
  cutText,
  type IssueComment,
  type IssueSummary,
  type StateCategory,
  type TrackerUser,
} from '../core/model.js';
import { TrackerError } from '../core/tracker.errors.js';
import { adfToText } from './adf.js';

/** The fields the pack asks Jira for, and checks in its answers. */
export const SUMMARY_FIELDS = [
  'summary',
  'status',
  'assignee',
  'priority',
  'labels',
  'project',
  'created',
  'updated',
  'issuetype',
  'resolution',
];

export const jiraUser = z.object({
  accountId: z.string(),
  displayName: z.string().nullish(),
  emailAddress: z.string().nullish(),
  active: z.boolean().nullish(),
  accountType: z.string().nullish(),
});

export const jiraIssue = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    summary: z.string(),
    status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }).nullish() }),
    assignee: jiraUser.nullish(),
    reporter: jiraUser.nullish(),
    priority: z.object({ name: z.string() }).nullish(),
    labels: z.array(z.string()).nullish(),
    project: z.object({ key: z.string(), name: z.string().nullish() }).nullish(),
    created: z.string(),
    updated: z.string(),
    resolution: z.object({ name: z.string() }).nullish(),
    description: z.unknown().optional(),
  }),
});

export const jiraComment = z.object({
  id: z.string(),
  body: z.unknown(),
  author: z.object({ displayName: z.string().nullish() }).nullish(),
  created: z.string(),
});

export const jiraProject = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  projectTypeKey: z.string().nullish(),
  lead: z.object({ displayName: z.string().nullish() }).nullish(),
  issueTypes: z.array(z.object({ name: z.string(), subtask: z.boolean().nullish() })).nullish(),
});

export const jiraSprint = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  completeDate: z.string().nullish(),
  goal: z.string().nullish(),
  originBoardId: z.number().nullish(),
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

const CANCELED_RESOLUTION = /won'?t|cancel|duplicate|declined|obsolete|not a bug|cannot reproduce/i;

/** Jira status categories are new / indeterminate / done; a "done" with a won't-do resolution is canceled. */
export function categoryOf(key: string | undefined, resolution: string | undefined): StateCategory {
  if (key === 'new') return 'open';
  if (key === 'indeterminate') return 'in_progress';
  if (key === 'done') return resolution && CANCELED_RESOLUTION.test(resolution) ? 'canceled' : 'done';
  return 'unknown';
}

export function toUser(u: z.output<typeof jiraUser> | null | undefined): TrackerUser | null {
  return u ? { id: u.accountId, name: u.displayName ?? u.accountId, email: u.emailAddress ?? null } : null;
}

export function toSummary(i: z.output<typeof jiraIssue>, browseBase: string | null): IssueSummary {
  const f = i.fields;
  return {
    id: i.id,
    key: i.key,
    title: f.summary,
    url: browseBase ? `${browseBase}/browse/${i.key}` : null,
    state: f.status.name,
    stateCategory: categoryOf(f.status.statusCategory?.key, f.resolution?.name),
    assignee: toUser(f.assignee),
    priority: f.priority?.name ?? null,
    labels: f.labels ?? [],
    project: f.project?.key ?? null,
    team: null,
    cycle: null,
    createdAt: f.created,
    updatedAt: f.updated,
  };
}

export function toComment(c: z.output<typeof jiraComment>, issueUrl: string | null): IssueComment {
  const body = cutText(adfToText(c.body) ?? '');
  return {
    id: c.id,
    author: c.author?.displayName ?? null,
    body: body.text ?? '',
    bodyTruncated: body.cut,
    createdAt: c.created,
    url: issueUrl ? `${issueUrl}?focusedCommentId=${c.id}` : null,
  };
}

/** A JQL string literal. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Issue keys (PROJ-12) or numeric ids only: they are put into request paths. */
export function checkIssueRef(ref: string): string {
  const r = ref.trim();
  if (/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(r) || /^\d+$/.test(r)) return r.toUpperCase();
  throw new TrackerError(
    'validation',
    `"${ref.slice(0, 100)}" is not a Jira issue key (like PROJ-123) or id.`,
  );
}
