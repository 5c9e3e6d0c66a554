import * as z from 'zod';

import {
  cutText,
  type IssueComment,
  type IssueDetail,
  type IssueSummary,
  type StateCategory,
} from '../core/model.js';
import { TrackerError } from '../core/tracker.errors.js';

/** What the pack reads back from Linear, checked so a malformed answer is reported rather than misread. */
const person = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullish(),
  email: z.string().nullish(),
});

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

export const linearIssue = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string().nullish(),
  priority: z.number().nullish(),
  priorityLabel: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: z.object({ name: z.string(), type: z.string() }),
  assignee: person.nullish(),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() })) }),
  project: z.object({ name: z.string() }).nullish(),
  team: z.object({ key: z.string() }).nullish(),
  cycle: z.object({ number: z.number(), name: z.string().nullish() }).nullish(),
});

export const linearIssueDetail = linearIssue.extend({
  description: z.string().nullish(),
  creator: person.nullish(),
  comments: z
    .object({
      nodes: z.array(
        z.object({
          id: z.string(),
          body: z.string(),
          createdAt: z.string(),
          url: z.string().nullish(),
          user: z.object({ name: z.string(), displayName: z.string().nullish() }).nullish(),
        }),
      ),
      pageInfo,
    })
    .optional(),
});

export const connection = <T extends z.ZodType>(node: T) => z.object({ nodes: z.array(node), pageInfo });

export const linearTeam = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  states: z.object({
    nodes: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), position: z.number() })),
  }),
  labels: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }),
});

export const linearProject = z.object({
  id: z.string(),
  name: z.string(),
  slugId: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  state: z.string().nullish(),
  targetDate: z.string().nullish(),
  lead: z.object({ name: z.string() }).nullish(),
  teams: z.object({ nodes: z.array(z.object({ key: z.string() })) }),
});

export const linearCycle = z.object({
  id: z.string(),
  number: z.number(),
  name: z.string().nullish(),
  startsAt: z.string(),
  endsAt: z.string(),
  isActive: z.boolean(),
  isFuture: z.boolean(),
  isPast: z.boolean(),
  progress: z.number(),
  team: z.object({ key: z.string() }),
});

export const linearComment = z.object({
  id: z.string(),
  body: z.string(),
  createdAt: z.string(),
  url: z.string().nullish(),
  user: z.object({ name: z.string(), displayName: z.string().nullish() }).nullish(),
});

/** Parses a piece of a Linear answer; a mismatch is a malformed response, named by where it was. */
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

/** Linear's workflow state types: triage, backlog, unstarted, started, completed, canceled. */
export function categoryOf(type: string): StateCategory {
  switch (type) {
    case 'triage':
    case 'backlog':
    case 'unstarted':
      return 'open';
    case 'started':
      return 'in_progress';
    case 'completed':
      return 'done';
    case 'canceled':
      return 'canceled';
    default:
      return 'unknown';
  }
}

export function toSummary(i: z.output<typeof linearIssue>): IssueSummary {
  return {
    id: i.id,
    key: i.identifier,
    title: i.title,
    url: i.url ?? null,
    state: i.state.name,
    stateCategory: categoryOf(i.state.type),
    assignee: i.assignee
      ? {
          id: i.assignee.id,
          name: i.assignee.displayName || i.assignee.name,
          email: i.assignee.email ?? null,
        }
      : null,
    priority: i.priority ? (i.priorityLabel ?? String(i.priority)) : null,
    labels: i.labels.nodes.map((l) => l.name),
    project: i.project?.name ?? null,
    team: i.team?.key ?? null,
    cycle: i.cycle ? (i.cycle.name ?? `Cycle ${i.cycle.number}`) : null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export function toComment(c: z.output<typeof linearComment>): IssueComment {
  const body = cutText(c.body);
  return {
    id: c.id,
    author: c.user ? c.user.displayName || c.user.name : null,
    body: body.text ?? '',
    bodyTruncated: body.cut,
    createdAt: c.createdAt,
    url: c.url ?? null,
  };
}

export function toDetail(i: z.output<typeof linearIssueDetail>): IssueDetail {
  const description = cutText(i.description);
  const comments = [...(i.comments?.nodes ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return {
    ...toSummary(i),
    description: description.text,
    descriptionTruncated: description.cut,
    reporter: i.creator
      ? { id: i.creator.id, name: i.creator.displayName || i.creator.name, email: i.creator.email ?? null }
      : null,
    comments: comments.map(toComment),
    commentsNextCursor: i.comments?.pageInfo.hasNextPage ? (i.comments.pageInfo.endCursor ?? null) : null,
  };
}

/** Linear priorities: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
export const LINEAR_PRIORITIES: Record<string, number> = {
  none: 0,
  'no priority': 0,
  urgent: 1,
  high: 2,
  medium: 3,
  normal: 3,
  low: 4,
};
