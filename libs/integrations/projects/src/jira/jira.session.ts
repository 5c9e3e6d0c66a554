import type { Client } from 'jira.js/core';
import * as z from 'zod';

import {
  cutText,
  type IssueComment,
  type IssueDetail,
  type IssueSummary,
  type Page,
  type TrackerProject,
} from '../core/model.js';
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
import { adfToText, textToAdf } from './adf.js';
import type { JiraApi } from './jira.api.js';
import type { JiraConfig } from './jira.config.js';
import {
  checkIssueRef,
  jiraComment,
  jiraIssue,
  jiraProject,
  jiraSprint,
  jiraUser,
  jqlString,
  read,
  SUMMARY_FIELDS,
  toComment,
  toSummary,
  toUser,
} from './jira.shapes.js';

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.slice(0, 30).join(', ');
}

function startAt(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,7}$/.test(cursor))
    throw new TrackerError('validation', 'that cursor does not belong to this list.');
  return Number(cursor);
}

export type JiraSprint = z.output<typeof jiraSprint>;

/** The Jira Cloud side of the common tracker shape (REST v3 and the Agile API), for one call. */
export class JiraSession implements TrackerSession {
  private readonly browseBase: string | null;
  private me: TrackerIdentity | null = null;

  constructor(
    private readonly api: JiraApi,
    private readonly client: Client,
    private readonly config: JiraConfig,
  ) {
    const site = config.siteUrl.replace(/\/+$/, '');
    // Behind the OAuth gateway there is no site to link to.
    this.browseBase = /\/\/api\.atlassian\.com\//.test(`${site}/`) ? null : site;
  }

  async identity(): Promise<TrackerIdentity> {
    if (this.me) return this.me;
    const user = read(jiraUser, await this.api.cloud.getCurrentUser(this.client), 'myself');
    this.me = {
      id: user.accountId,
      name: user.displayName ?? user.accountId,
      email: user.emailAddress ?? null,
      workspace: new URL(this.config.siteUrl).host,
    };
    return this.me;
  }

  async searchIssues(q: IssueQuery): Promise<Page<IssueSummary>> {
    const clauses: string[] = [];
    if (q.text) clauses.push(`text ~ ${jqlString(q.text)}`);
    if (q.assignee) clauses.push(await this.assigneeClause(q.assignee));
    if (q.state) {
      const s = q.state.trim().toLowerCase();
      clauses.push(
        s === 'open'
          ? 'statusCategory != Done'
          : s === 'closed'
            ? 'statusCategory = Done'
            : `status = ${jqlString(q.state)}`,
      );
    }
    if (q.label) clauses.push(`labels = ${jqlString(q.label)}`);
    if (q.project) clauses.push(`project = ${jqlString(q.project)}`);
    if (q.closedSince) clauses.push(`statusCategory = Done AND resolved >= ${jqlString(q.closedSince)}`);
    if (q.createdSince) clauses.push(`created >= ${jqlString(q.createdSince)}`);
    return this.jql(`${clauses.join(' AND ')} ORDER BY updated DESC`.trim(), q.limit, q.cursor);
  }

  /** A JQL search as given (the power-user passthrough), paginated with Jira's nextPageToken. */
  async jql(jql: string, limit: number, cursor: string | undefined): Promise<Page<IssueSummary>> {
    const result = read(
      z.object({
        issues: z.array(z.unknown()),
        nextPageToken: z.string().nullish(),
        isLast: z.boolean().nullish(),
      }),
      await this.api.cloud.searchAndReconsileIssuesUsingJql(this.client, {
        jql,
        maxResults: limit,
        fields: SUMMARY_FIELDS,
        ...(cursor && { nextPageToken: cursor }),
      }),
      'search',
    );
    return {
      items: result.issues.map((i) => toSummary(read(jiraIssue, i, 'search issue'), this.browseBase)),
      // nextPageToken is null on the last page; isLast is not always sent.
      nextCursor: result.nextPageToken && result.isLast !== true ? result.nextPageToken : null,
      total: null,
    };
  }

  async getIssue(ref: string, options: IssueDetailOptions): Promise<IssueDetail> {
    const key = checkIssueRef(ref);
    const issue = read(
      jiraIssue,
      await this.api.cloud.getIssue(this.client, {
        issueIdOrKey: key,
        fields: [...SUMMARY_FIELDS, 'description', 'reporter'],
      }),
      'issue',
    );
    const summary = toSummary(issue, this.browseBase);
    const description = cutText(adfToText(issue.fields.description));
    let comments: IssueComment[] = [];
    let commentsNextCursor: string | null = null;
    if (options.commentsLimit > 0) {
      const from = startAt(options.commentsCursor);
      const page = read(
        z.object({
          comments: z.array(jiraComment),
          total: z.number().nullish(),
          startAt: z.number().nullish(),
        }),
        await this.api.cloud.getComments(this.client, {
          issueIdOrKey: key,
          startAt: from,
          maxResults: options.commentsLimit,
          orderBy: 'created',
        }),
        'comments',
      );
      comments = page.comments.map((c) => toComment(c, summary.url));
      const next = from + page.comments.length;
      commentsNextCursor =
        page.total != null && next < page.total && page.comments.length > 0 ? String(next) : null;
    }
    return {
      ...summary,
      description: description.text,
      descriptionTruncated: description.cut,
      reporter: toUser(issue.fields.reporter),
      comments,
      commentsNextCursor,
    };
  }

  async createIssue(input: CreateIssueInput): Promise<IssueSummary> {
    const project = input.project ?? this.config.defaultProject;
    if (!project)
      throw new TrackerError(
        'validation',
        'a project is required (pass `project`, e.g. "PROJ"; jira_list_projects lists them).',
      );
    const fields: Record<string, unknown> = {
      project: { key: project.toUpperCase() },
      summary: input.title,
      issuetype: { name: input.issueType ?? this.config.defaultIssueType },
    };
    if (input.description !== undefined) fields.description = textToAdf(input.description);
    if (input.priority !== undefined) fields.priority = { name: input.priority };
    if (input.labels && input.labels.length > 0) fields.labels = input.labels.map(labelOf);
    if (input.assignee !== undefined) fields.assignee = await this.assigneeField(input.assignee);
    const created = read(
      z.object({ id: z.string(), key: z.string() }),
      await this.api.cloud.createIssue(this.client, { fields }),
      'created issue',
    );
    return this.summary(created.key);
  }

  async updateIssue(ref: string, input: UpdateIssueInput): Promise<IssueSummary> {
    const key = checkIssueRef(ref);
    const fields: Record<string, unknown> = {};
    const update: Record<string, unknown[]> = {};
    if (input.title !== undefined) fields.summary = input.title;
    if (input.description !== undefined) fields.description = textToAdf(input.description);
    if (input.priority !== undefined) fields.priority = { name: input.priority };
    if (input.assignee !== undefined) fields.assignee = await this.assigneeField(input.assignee);
    if (input.labels !== undefined) fields.labels = input.labels.map(labelOf);
    const changes = [
      ...(input.addLabels ?? []).map((l) => ({ add: labelOf(l) })),
      ...(input.removeLabels ?? []).map((l) => ({ remove: labelOf(l) })),
    ];
    if (changes.length > 0) update.labels = changes;
    if (Object.keys(fields).length > 0 || Object.keys(update).length > 0) {
      await this.api.cloud.editIssue(this.client, {
        issueIdOrKey: key,
        fields,
        ...(Object.keys(update).length > 0 && { update }),
      });
    }
    if (input.state !== undefined) await this.transition(key, input.state);
    return this.summary(key);
  }

  async addComment(ref: string, body: string): Promise<IssueComment> {
    const key = checkIssueRef(ref);
    const created = read(
      jiraComment,
      await this.api.cloud.addComment(this.client, { issueIdOrKey: key, body: textToAdf(body) }),
      'comment',
    );
    return toComment(created, this.browseBase ? `${this.browseBase}/browse/${key}` : null);
  }

  async listProjects(q: ProjectQuery): Promise<Page<TrackerProject>> {
    const from = startAt(q.cursor);
    const page = read(
      z.object({ values: z.array(jiraProject), total: z.number().nullish(), isLast: z.boolean().nullish() }),
      await this.api.cloud.searchProjects(this.client, {
        startAt: from,
        maxResults: q.limit,
        expand: 'description,lead,issueTypes',
        ...(q.query && { query: q.query }),
      }),
      'projects',
    );
    return {
      items: page.values.map((p) => ({
        id: p.id,
        key: p.key,
        name: p.name,
        description: p.description || null,
        url: this.browseBase ? `${this.browseBase}/browse/${p.key}` : null,
        details: {
          ...(p.projectTypeKey && { type: p.projectTypeKey }),
          ...(p.lead?.displayName && { lead: p.lead.displayName }),
          ...(p.issueTypes &&
            p.issueTypes.length > 0 && {
              issueTypes: p.issueTypes
                .filter((t) => !t.subtask)
                .map((t) => t.name)
                .join(', '),
            }),
        },
      })),
      nextCursor: page.isLast === false ? String(from + page.values.length) : null,
      total: page.total ?? null,
    };
  }

  async suggest(): Promise<string[]> {
    return (await this.listProjects({ limit: 50 })).items.map((p) => p.key ?? p.name);
  }

  /** Sprints of the project's first scrum board (or of the board given). */
  async listSprints(q: {
    project?: string | undefined;
    board?: number | undefined;
    state: 'active' | 'future' | 'closed' | 'all';
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ board: { id: number; name: string } | null; otherBoards: string[]; page: Page<JiraSprint> }> {
    let board: { id: number; name: string };
    const otherBoards: string[] = [];
    if (q.board !== undefined) {
      board = { id: q.board, name: `board ${q.board}` };
    } else {
      const project = q.project ?? this.config.defaultProject;
      if (!project)
        throw new TrackerError('validation', 'pass `project` (a project key) or `board` (a board id).');
      const boards = read(
        z.object({
          values: z.array(z.object({ id: z.number(), name: z.string(), type: z.string().nullish() })),
        }),
        await this.api.agile.getAllBoards(this.client, {
          projectKeyOrId: project.toUpperCase(),
          type: 'scrum',
          maxResults: 50,
        }),
        'boards',
      ).values;
      if (boards.length === 0)
        return { board: null, otherBoards, page: { items: [], nextCursor: null, total: 0 } };
      board = { id: boards[0]!.id, name: boards[0]!.name };
      otherBoards.push(...boards.slice(1).map((b) => `${b.name} (${b.id})`));
    }
    const from = startAt(q.cursor);
    const page = read(
      z.object({ values: z.array(jiraSprint), isLast: z.boolean().nullish(), total: z.number().nullish() }),
      await this.api.agile.getAllSprints(this.client, {
        boardId: board.id,
        startAt: from,
        maxResults: q.limit,
        ...(q.state !== 'all' && { state: q.state }),
      }),
      'sprints',
    );
    return {
      board,
      otherBoards,
      page: {
        items: page.values,
        nextCursor: page.isLast === false ? String(from + page.values.length) : null,
        total: page.total ?? null,
      },
    };
  }

  private async summary(key: string): Promise<IssueSummary> {
    return toSummary(
      read(
        jiraIssue,
        await this.api.cloud.getIssue(this.client, { issueIdOrKey: key, fields: SUMMARY_FIELDS }),
        'issue',
      ),
      this.browseBase,
    );
  }

  private async assigneeClause(who: string): Promise<string> {
    const w = who.trim().toLowerCase();
    if (w === 'me') return 'assignee = currentUser()';
    if (w === 'none') return 'assignee is EMPTY';
    return `assignee = ${jqlString(await this.accountId(who))}`;
  }

  private async assigneeField(who: string): Promise<{ accountId: string } | null> {
    const w = who.trim().toLowerCase();
    if (w === 'none') return null;
    if (w === 'me') return { accountId: (await this.identity()).id };
    return { accountId: await this.accountId(who) };
  }

  /** An email, a name or an accountId, matching exactly one active person. */
  private async accountId(who: string): Promise<string> {
    const w = who.trim();
    const users = read(
      z.array(jiraUser),
      await this.api.cloud.findUsers(this.client, { query: w, maxResults: 10 }),
      'users',
    ).filter((u) => u.active !== false && (u.accountType ?? 'atlassian') === 'atlassian');
    const lower = w.toLowerCase();
    const exact = users.filter(
      (u) =>
        u.accountId === w ||
        u.emailAddress?.toLowerCase() === lower ||
        u.displayName?.toLowerCase() === lower,
    );
    const pick = exact.length >= 1 ? exact : users;
    if (pick.length === 1) return pick[0]!.accountId;
    if (pick.length === 0) throw new TrackerError('validation', `no active Jira user matches "${w}".`);
    throw new TrackerError(
      'validation',
      `"${w}" matches several users (${list(pick.map((u) => u.displayName ?? u.accountId))}); use an email.`,
    );
  }

  private async transition(key: string, state: string): Promise<void> {
    const available = read(
      z.object({
        transitions: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            to: z
              .object({ name: z.string(), statusCategory: z.object({ key: z.string() }).nullish() })
              .nullish(),
          }),
        ),
      }),
      await this.api.cloud.getTransitions(this.client, { issueIdOrKey: key }),
      'transitions',
    ).transitions;
    const wanted = state.trim().toLowerCase();
    const category = wanted === 'closed' || wanted === 'done' ? 'done' : wanted === 'open' ? 'new' : null;
    const match =
      available.find((t) => t.to?.name.toLowerCase() === wanted) ??
      available.find((t) => t.name.toLowerCase() === wanted) ??
      (category ? available.find((t) => t.to?.statusCategory?.key === category) : undefined);
    if (!match) {
      throw new TrackerError(
        'validation',
        `${key} cannot move to "${state}" from its current status; it can move to: ${list(available.map((t) => t.to?.name ?? t.name))}.`,
      );
    }
    await this.api.cloud.doTransition(this.client, { issueIdOrKey: key, transition: { id: match.id } });
  }
}

/** Jira labels cannot contain spaces. */
function labelOf(name: string): string {
  return name.trim().replace(/\s+/g, '-');
}
