import type { LinearDocument } from '@linear/sdk';
import * as z from 'zod';

import type { IssueComment, IssueDetail, IssueSummary, Page, TrackerProject } from '../core/model.js';
import { TrackerError } from '../core/tracker.errors.js';
import type {
  CreateIssueInput,
  IssueDetailOptions,
  IssueQuery,
  ProjectQuery,
  TrackerIdentity,
  TrackerSession,
  UpdateIssueInput,
} from '../core/tracker.js';
import type { LinearConfig } from './linear.config.js';
import * as doc from './linear.documents.js';
import type { LinearGraphQL } from './linear.graphql.js';
import {
  connection,
  LINEAR_PRIORITIES,
  linearComment,
  linearCycle,
  linearIssue,
  linearIssueDetail,
  linearProject,
  linearTeam,
  read,
  toComment,
  toDetail,
  toSummary,
} from './linear.shapes.js';

const CLOSED_TYPES = ['completed', 'canceled'];
const idNode = z.object({ id: z.string() });
const teamRef = z.object({ id: z.string(), key: z.string(), name: z.string() });
const stateNode = z.object({ id: z.string(), name: z.string(), type: z.string(), position: z.number() });
const userNode = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullish(),
  email: z.string().nullish(),
  active: z.boolean().nullish(),
});

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.slice(0, 30).join(', ');
}

function isEmail(value: string): boolean {
  return /^[^@\s]+@[^@\s]+$/.test(value);
}

export type LinearTeam = z.output<typeof linearTeam>;
export type LinearCycle = z.output<typeof linearCycle>;

/** The Linear side of the common tracker shape, for one call. */
export class LinearSession implements TrackerSession {
  constructor(
    readonly gql: LinearGraphQL,
    private readonly config: LinearConfig,
  ) {}

  async identity(): Promise<TrackerIdentity> {
    const data = await this.gql.request<{ viewer: unknown; organization: unknown }>(doc.VIEWER);
    const viewer = read(userNode, data.viewer, 'viewer');
    const org = read(
      z.object({ name: z.string(), urlKey: z.string().nullish() }),
      data.organization,
      'organization',
    );
    return {
      id: viewer.id,
      name: viewer.displayName || viewer.name,
      email: viewer.email ?? null,
      workspace: org.name,
    };
  }

  async searchIssues(q: IssueQuery): Promise<Page<IssueSummary>> {
    const and: LinearDocument.IssueFilter[] = [];
    if (q.text) and.push({ searchableContent: { contains: q.text } });
    if (q.assignee) and.push({ assignee: assigneeFilter(q.assignee) });
    if (q.state) and.push({ state: stateFilter(q.state) });
    if (q.label) and.push({ labels: { some: { name: { eqIgnoreCase: q.label } } } });
    if (q.project)
      and.push({ project: { or: [{ name: { eqIgnoreCase: q.project } }, { slugId: { eq: q.project } }] } });
    if (q.team)
      and.push({ team: { or: [{ key: { eqIgnoreCase: q.team } }, { name: { eqIgnoreCase: q.team } }] } });
    if (q.closedSince) {
      and.push({ or: [{ completedAt: { gte: q.closedSince } }, { canceledAt: { gte: q.closedSince } }] });
    }
    if (q.createdSince) and.push({ createdAt: { gte: q.createdSince } });
    const filter: LinearDocument.IssueFilter = and.length === 1 ? and[0]! : { and };
    const data = await this.gql.request<{ issues: unknown }>(doc.ISSUES, {
      ...(and.length > 0 && { filter }),
      first: q.limit,
      ...(q.cursor && { after: q.cursor }),
    });
    const page = read(connection(linearIssue), data.issues, 'issues');
    return {
      items: page.nodes.map(toSummary),
      nextCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      total: null,
    };
  }

  async getIssue(ref: string, options: IssueDetailOptions): Promise<IssueDetail> {
    const data = await this.gql.request<{ issue: unknown }>(doc.ISSUE_DETAIL, {
      id: ref,
      withComments: options.commentsLimit > 0,
      commentsFirst: Math.max(1, options.commentsLimit),
      ...(options.commentsCursor && { commentsAfter: options.commentsCursor }),
    });
    if (data.issue === null) throw new TrackerError('not_found', `no issue "${ref}".`);
    return toDetail(read(linearIssueDetail, data.issue, 'issue'));
  }

  async createIssue(input: CreateIssueInput): Promise<IssueSummary> {
    const teamName = input.team ?? this.config.defaultTeam;
    if (!teamName) {
      throw new TrackerError(
        'validation',
        'a team is required (pass `team`, e.g. "ENG"; linear_list_teams lists them).',
      );
    }
    const team = await this.team(teamName);
    const payload: LinearDocument.IssueCreateInput = { teamId: team.id, title: input.title };
    if (input.description !== undefined) payload.description = input.description;
    if (input.assignee !== undefined) {
      const id = await this.userId(input.assignee);
      if (id !== null) payload.assigneeId = id;
    }
    if (input.priority !== undefined) payload.priority = priorityOf(input.priority);
    if (input.labels && input.labels.length > 0)
      payload.labelIds = await this.labelIds(input.labels, team.id);
    if (input.project !== undefined) payload.projectId = await this.projectId(input.project);
    const data = await this.gql.request<{ issueCreate: unknown }>(doc.ISSUE_CREATE, { input: payload });
    const result = read(
      z.object({ success: z.boolean(), issue: linearIssue.nullish() }),
      data.issueCreate,
      'issueCreate',
    );
    if (!result.success || !result.issue)
      throw new TrackerError('validation', 'Linear did not create the issue.');
    return toSummary(result.issue);
  }

  async updateIssue(ref: string, input: UpdateIssueInput): Promise<IssueSummary> {
    const context = await this.gql.request<{ issue: unknown }>(doc.ISSUE_CONTEXT, { id: ref });
    if (context.issue === null) throw new TrackerError('not_found', `no issue "${ref}".`);
    const issue = read(
      z.object({
        id: z.string(),
        identifier: z.string(),
        team: z.object({ id: z.string(), key: z.string() }),
        labels: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }),
      }),
      context.issue,
      'issue',
    );
    const patch: LinearDocument.IssueUpdateInput = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.description = input.description;
    if (input.priority !== undefined) patch.priority = priorityOf(input.priority);
    if (input.assignee !== undefined) patch.assigneeId = await this.userId(input.assignee);
    if (input.state !== undefined) patch.stateId = await this.stateId(input.state, issue.team);
    if (input.labels !== undefined) patch.labelIds = await this.labelIds(input.labels, issue.team.id);
    if (input.addLabels && input.addLabels.length > 0) {
      patch.addedLabelIds = await this.labelIds(input.addLabels, issue.team.id);
    }
    if (input.removeLabels && input.removeLabels.length > 0) {
      const current = new Map(issue.labels.nodes.map((l) => [l.name.toLowerCase(), l.id]));
      const missing = input.removeLabels.filter((n) => !current.has(n.toLowerCase()));
      if (missing.length > 0) {
        throw new TrackerError(
          'validation',
          `${issue.identifier} does not have the label(s) ${list(missing)}; its labels are: ${list(issue.labels.nodes.map((l) => l.name))}.`,
        );
      }
      patch.removedLabelIds = input.removeLabels.map((n) => current.get(n.toLowerCase())!);
    }
    const data = await this.gql.request<{ issueUpdate: unknown }>(doc.ISSUE_UPDATE, {
      id: issue.id,
      input: patch,
    });
    const result = read(
      z.object({ success: z.boolean(), issue: linearIssue.nullish() }),
      data.issueUpdate,
      'issueUpdate',
    );
    if (!result.success || !result.issue)
      throw new TrackerError('validation', 'Linear did not apply the update.');
    return toSummary(result.issue);
  }

  async addComment(ref: string, body: string): Promise<IssueComment> {
    const context = await this.gql.request<{ issue: unknown }>(doc.ISSUE_CONTEXT, { id: ref });
    if (context.issue === null) throw new TrackerError('not_found', `no issue "${ref}".`);
    const issue = read(idNode, context.issue, 'issue');
    const input: LinearDocument.CommentCreateInput = { issueId: issue.id, body };
    const data = await this.gql.request<{ commentCreate: unknown }>(doc.COMMENT_CREATE, { input });
    const result = read(
      z.object({ success: z.boolean(), comment: linearComment.nullish() }),
      data.commentCreate,
      'commentCreate',
    );
    if (!result.success || !result.comment)
      throw new TrackerError('validation', 'Linear did not add the comment.');
    return toComment(result.comment);
  }

  async listProjects(q: ProjectQuery): Promise<Page<TrackerProject>> {
    const filter: LinearDocument.ProjectFilter | undefined = q.query
      ? { name: { containsIgnoreCase: q.query } }
      : undefined;
    const data = await this.gql.request<{ projects: unknown }>(doc.PROJECTS, {
      ...(filter && { filter }),
      first: q.limit,
      ...(q.cursor && { after: q.cursor }),
    });
    const page = read(connection(linearProject), data.projects, 'projects');
    return {
      items: page.nodes.map((p) => ({
        id: p.id,
        key: p.name,
        name: p.name,
        description: p.description || null,
        url: p.url ?? null,
        details: {
          ...(p.state && { state: p.state }),
          ...(p.lead && { lead: p.lead.name }),
          ...(p.targetDate && { target: p.targetDate }),
          ...(p.teams.nodes.length > 0 && { teams: p.teams.nodes.map((t) => t.key).join(', ') }),
        },
      })),
      nextCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      total: null,
    };
  }

  async suggest(kind: 'project' | 'team'): Promise<string[]> {
    if (kind === 'project') return (await this.listProjects({ limit: 50 })).items.map((p) => p.name);
    return (await this.listTeams({ limit: 50 })).items.map((t) => t.key);
  }

  async listTeams(q: {
    query?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<LinearTeam>> {
    const filter: LinearDocument.TeamFilter | undefined = q.query
      ? { or: [{ key: { eqIgnoreCase: q.query } }, { name: { containsIgnoreCase: q.query } }] }
      : undefined;
    const data = await this.gql.request<{ teams: unknown }>(doc.TEAMS, {
      ...(filter && { filter }),
      first: q.limit,
      ...(q.cursor && { after: q.cursor }),
    });
    const page = read(connection(linearTeam), data.teams, 'teams');
    return {
      items: page.nodes,
      nextCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      total: null,
    };
  }

  async listCycles(q: {
    team?: string | undefined;
    when: 'current' | 'upcoming' | 'past' | 'all';
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<LinearCycle>> {
    const and: LinearDocument.CycleFilter[] = [];
    if (q.team)
      and.push({ team: { or: [{ key: { eqIgnoreCase: q.team } }, { name: { eqIgnoreCase: q.team } }] } });
    if (q.when === 'current') and.push({ isActive: { eq: true } });
    if (q.when === 'upcoming') and.push({ isFuture: { eq: true } });
    if (q.when === 'past') and.push({ isPast: { eq: true } });
    const data = await this.gql.request<{ cycles: unknown }>(doc.CYCLES, {
      ...(and.length > 0 && { filter: and.length === 1 ? and[0] : { and } }),
      first: q.limit,
      ...(q.cursor && { after: q.cursor }),
    });
    const page = read(connection(linearCycle), data.cycles, 'cycles');
    return {
      items: page.nodes,
      nextCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      total: null,
    };
  }

  private async team(name: string): Promise<z.output<typeof teamRef>> {
    const data = await this.gql.request<{ teams: unknown }>(doc.TEAM_IDS, {
      filter: {
        or: [{ key: { eqIgnoreCase: name } }, { name: { eqIgnoreCase: name } }, { id: { eq: name } }],
      },
      first: 2,
    });
    const teams = read(z.object({ nodes: z.array(teamRef) }), data.teams, 'teams').nodes;
    const team = teams[0];
    if (!team) {
      const all = await this.gql.request<{ teams: unknown }>(doc.TEAM_IDS, { first: 50 });
      const keys = read(z.object({ nodes: z.array(teamRef) }), all.teams, 'teams').nodes.map((t) => t.key);
      throw new TrackerError('validation', `no team "${name}"; teams are: ${list(keys)}.`);
    }
    return team;
  }

  /** "me", "none" (null: unassign), an email, or a (display) name matching exactly one active user. */
  private async userId(who: string): Promise<string | null> {
    const w = who.trim();
    if (w.toLowerCase() === 'none') return null;
    if (w.toLowerCase() === 'me') return (await this.identity()).id;
    const filter: LinearDocument.UserFilter = isEmail(w)
      ? { email: { eqIgnoreCase: w } }
      : {
          or: [
            { name: { eqIgnoreCase: w } },
            { displayName: { eqIgnoreCase: w } },
            { name: { containsIgnoreCase: w } },
          ],
        };
    const data = await this.gql.request<{ users: unknown }>(doc.USERS, { filter });
    const users = read(z.object({ nodes: z.array(userNode) }), data.users, 'users').nodes.filter(
      (u) => u.active !== false,
    );
    const exact = users.filter(
      (u) =>
        u.email?.toLowerCase() === w.toLowerCase() ||
        u.name.toLowerCase() === w.toLowerCase() ||
        u.displayName?.toLowerCase() === w.toLowerCase(),
    );
    const pick = exact.length === 1 ? exact : users;
    if (pick.length === 1) return pick[0]!.id;
    if (pick.length === 0) throw new TrackerError('validation', `no active Linear user matches "${w}".`);
    throw new TrackerError(
      'validation',
      `"${w}" matches several users (${list(pick.map((u) => `${u.name}${u.email ? ` <${u.email}>` : ''}`))}); use an email.`,
    );
  }

  private async stateId(state: string, team: { id: string; key: string }): Promise<string> {
    const data = await this.gql.request<{ workflowStates: unknown }>(doc.WORKFLOW_STATES, {
      filter: { team: { id: { eq: team.id } } },
    });
    const states = read(
      z.object({ nodes: z.array(stateNode) }),
      data.workflowStates,
      'workflowStates',
    ).nodes.sort((a, b) => a.position - b.position);
    const wanted = state.trim().toLowerCase();
    const byName = states.find((s) => s.name.toLowerCase() === wanted);
    if (byName) return byName.id;
    // Common words map onto the state types every team has.
    const typeFor: Record<string, string> = {
      done: 'completed',
      closed: 'completed',
      completed: 'completed',
      canceled: 'canceled',
      cancelled: 'canceled',
      started: 'started',
      backlog: 'backlog',
      todo: 'unstarted',
      open: 'unstarted',
    };
    const type = typeFor[wanted];
    const byType = type ? states.find((s) => s.type === type) : undefined;
    if (byType) return byType.id;
    throw new TrackerError(
      'validation',
      `team ${team.key} has no state "${state}"; its states are: ${list(states.map((s) => s.name))}.`,
    );
  }

  private async labelIds(names: readonly string[], teamId: string): Promise<string[]> {
    if (names.length === 0) return [];
    const data = await this.gql.request<{ issueLabels: unknown }>(doc.LABELS, {
      filter: { or: names.map((n) => ({ name: { eqIgnoreCase: n } })) },
    });
    const labels = read(
      z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string(), team: idNode.nullish() })) }),
      data.issueLabels,
      'issueLabels',
    ).nodes.filter((l) => !l.team || l.team.id === teamId);
    const ids: string[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const matches = labels.filter((l) => l.name.toLowerCase() === name.toLowerCase());
      // A team's own label wins over a workspace label of the same name.
      const label = matches.find((l) => l.team?.id === teamId) ?? matches[0];
      if (label) ids.push(label.id);
      else missing.push(name);
    }
    if (missing.length > 0) {
      const all = await this.gql.request<{ issueLabels: unknown }>(doc.LABELS, {
        filter: { or: [{ team: { id: { eq: teamId } } }, { team: { null: true } }] },
      });
      const known = read(
        z.object({ nodes: z.array(z.object({ name: z.string() })) }),
        all.issueLabels,
        'issueLabels',
      ).nodes.map((l) => l.name);
      throw new TrackerError(
        'validation',
        `unknown label(s) ${list(missing)}; labels available here: ${list(known)}.`,
      );
    }
    return ids;
  }

  private async projectId(name: string): Promise<string> {
    const data = await this.gql.request<{ projects: unknown }>(doc.PROJECTS, {
      filter: { or: [{ name: { eqIgnoreCase: name } }, { slugId: { eq: name } }] },
      first: 2,
    });
    const found = read(connection(linearProject), data.projects, 'projects').nodes[0];
    if (!found)
      throw new TrackerError('validation', `no project "${name}" (linear_list_projects lists them).`);
    return found.id;
  }
}

function assigneeFilter(who: string): LinearDocument.NullableUserFilter {
  const w = who.trim();
  if (w.toLowerCase() === 'me') return { isMe: { eq: true } };
  if (w.toLowerCase() === 'none') return { null: true };
  if (isEmail(w)) return { email: { eqIgnoreCase: w } };
  return { or: [{ name: { containsIgnoreCase: w } }, { displayName: { containsIgnoreCase: w } }] };
}

function stateFilter(state: string): LinearDocument.WorkflowStateFilter {
  const s = state.trim().toLowerCase();
  if (s === 'open') return { type: { nin: CLOSED_TYPES } };
  if (s === 'closed') return { type: { in: CLOSED_TYPES } };
  return { name: { eqIgnoreCase: state.trim() } };
}

function priorityOf(value: string): number {
  const v = value.trim().toLowerCase();
  if (/^[0-4]$/.test(v)) return Number(v);
  const p = LINEAR_PRIORITIES[v];
  if (p === undefined) {
    throw new TrackerError(
      'validation',
      `unknown priority "${value}"; use urgent, high, medium, low or none.`,
    );
  }
  return p;
}
