import type { Octokit } from '@octokit/rest';
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
import type { GithubConfig } from './github.config.js';
import {
  ghComment,
  ghIssue,
  ghMilestone,
  ghRepo,
  read,
  toComment,
  toSummary,
  type GhIssue,
} from './github.shapes.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/;
/** GitHub's search API returns at most the first 1,000 results of a query. */
const SEARCH_CAP = 1000;

interface IssueRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

function page(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  if (!/^\d{1,4}$/.test(cursor) || Number(cursor) < 1)
    throw new TrackerError('validation', 'that cursor does not belong to this list.');
  return Number(cursor);
}

/** Literal search words: each is quoted, so nothing in the text can act as a qualifier (repo:, org:…). */
function words(text: string): string {
  return text
    .split(/\s+/)
    .map((w) => w.replace(/["\\]/g, ''))
    .filter((w) => w.length > 0)
    .slice(0, 20)
    .map((w) => `"${w}"`)
    .join(' ');
}

function hasNext(link: string | undefined): boolean {
  return typeof link === 'string' && /rel="next"/.test(link);
}

/** The GitHub Issues side of the common tracker shape (REST API through Octokit), for one call. */
export class GithubSession implements TrackerSession {
  private login: string | null = null;

  constructor(
    private readonly octokit: Octokit,
    private readonly config: GithubConfig,
  ) {}

  async identity(): Promise<TrackerIdentity> {
    const { data } = await this.octokit.rest.users.getAuthenticated();
    const user = read(
      z.object({ login: z.string(), name: z.string().nullish(), email: z.string().nullish() }),
      data,
      'user',
    );
    this.login = user.login;
    const host = new URL(this.config.apiUrl).host;
    return {
      id: user.login,
      name: user.name || user.login,
      email: user.email ?? null,
      workspace: host === 'api.github.com' ? 'github.com' : host,
    };
  }

  async searchIssues(q: IssueQuery): Promise<Page<IssueSummary>> {
    const parts = ['is:issue'];
    if (q.project) {
      parts.push(`repo:${this.checkRepo(q.project).join('/')}`);
    } else if (this.config.repositories) {
      parts.push(...this.config.repositories.map((r) => `repo:${r}`));
    } else if (this.config.owner) {
      parts.push(`user:${this.config.owner}`);
    }
    if (q.text) parts.push(words(q.text));
    if (q.assignee) {
      const a = q.assignee.trim();
      if (a.toLowerCase() === 'me') parts.push('assignee:@me');
      else if (a.toLowerCase() === 'none') parts.push('no:assignee');
      else parts.push(`assignee:${this.checkLogin(a)}`);
    }
    if (q.state) parts.push(stateQualifier(q.state));
    if (q.label) parts.push(`label:"${q.label.replace(/["\\]/g, '')}"`);
    if (q.closedSince) parts.push('is:closed', `closed:>=${q.closedSince}`);
    if (q.createdSince) parts.push(`created:>=${q.createdSince}`);
    const p = page(q.cursor);
    const { data } = await this.octokit.rest.search.issuesAndPullRequests({
      q: parts.join(' '),
      sort: 'updated',
      order: 'desc',
      per_page: q.limit,
      page: p,
    });
    const result = read(z.object({ total_count: z.number(), items: z.array(ghIssue) }), data, 'search');
    const reachable = Math.min(result.total_count, SEARCH_CAP);
    return {
      items: result.items.map((i) => toSummary(i, null)),
      nextCursor: p * q.limit < reachable && result.items.length > 0 ? String(p + 1) : null,
      total: result.total_count,
    };
  }

  async getIssue(ref: string, options: IssueDetailOptions): Promise<IssueDetail> {
    const r = this.parseRef(ref);
    const issue = await this.fetchIssue(r);
    const summary = toSummary(issue, `${r.owner}/${r.repo}`);
    const description = cutText(issue.body ?? null);
    let comments: IssueComment[] = [];
    let commentsNextCursor: string | null = null;
    if (options.commentsLimit > 0 && (issue.comments ?? 1) > 0) {
      const p = page(options.commentsCursor);
      const { data } = await this.octokit.rest.issues.listComments({
        owner: r.owner,
        repo: r.repo,
        issue_number: r.number,
        per_page: options.commentsLimit,
        page: p,
      });
      const list = read(z.array(ghComment), data, 'comments');
      comments = list.map(toComment);
      const total = issue.comments ?? null;
      commentsNextCursor =
        total !== null && p * options.commentsLimit < total && list.length > 0 ? String(p + 1) : null;
    }
    return {
      ...summary,
      description: description.text,
      descriptionTruncated: description.cut,
      reporter: issue.user ? { id: issue.user.login, name: issue.user.login, email: null } : null,
      comments,
      commentsNextCursor,
    };
  }

  async createIssue(input: CreateIssueInput): Promise<IssueSummary> {
    const target = input.project ?? this.config.repositories?.[0];
    if (!target)
      throw new TrackerError('validation', 'a repository is required (pass `project` as owner/name).');
    const [owner, repo] = this.checkRepo(target);
    const assignees = input.assignee !== undefined ? await this.assignees(input.assignee) : undefined;
    const { data } = await this.octokit.rest.issues.create({
      owner,
      repo,
      title: input.title,
      ...(input.description !== undefined && { body: input.description }),
      ...(assignees && { assignees }),
      ...(input.labels && input.labels.length > 0 && { labels: [...input.labels] }),
    });
    return toSummary(read(ghIssue, data, 'created issue'), `${owner}/${repo}`);
  }

  async updateIssue(ref: string, input: UpdateIssueInput): Promise<IssueSummary> {
    const r = this.parseRef(ref);
    const patch: {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      state_reason?: 'completed' | 'not_planned' | 'reopened';
      assignees?: string[];
      labels?: string[];
    } = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.body = input.description;
    if (input.state !== undefined) Object.assign(patch, stateChange(input.state));
    if (input.assignee !== undefined) patch.assignees = await this.assignees(input.assignee);
    if (input.labels !== undefined || input.addLabels || input.removeLabels) {
      const current =
        input.labels !== undefined ? [...input.labels] : toSummary(await this.fetchIssue(r), null).labels;
      const remove = new Set((input.removeLabels ?? []).map((l) => l.toLowerCase()));
      const next = current.filter((l) => !remove.has(l.toLowerCase()));
      for (const l of input.addLabels ?? [])
        if (!next.some((x) => x.toLowerCase() === l.toLowerCase())) next.push(l);
      patch.labels = next;
    }
    const { data } = await this.octokit.rest.issues.update({
      owner: r.owner,
      repo: r.repo,
      issue_number: r.number,
      ...patch,
    });
    return toSummary(read(ghIssue, data, 'updated issue'), `${r.owner}/${r.repo}`);
  }

  async addComment(ref: string, body: string): Promise<IssueComment> {
    const r = this.parseRef(ref);
    const { data } = await this.octokit.rest.issues.createComment({
      owner: r.owner,
      repo: r.repo,
      issue_number: r.number,
      body,
    });
    return toComment(read(ghComment, data, 'comment'));
  }

  async listProjects(q: ProjectQuery): Promise<Page<TrackerProject>> {
    const p = page(q.cursor);
    if (this.config.repositories) {
      const all = this.config.repositories.filter(
        (r) => !q.query || r.toLowerCase().includes(q.query.toLowerCase()),
      );
      const slice = all.slice((p - 1) * q.limit, p * q.limit);
      return {
        items: slice.map((r) => ({
          id: r,
          key: r,
          name: r,
          description: null,
          url: null,
          details: { access: 'configured for this connection' },
        })),
        nextCursor: p * q.limit < all.length ? String(p + 1) : null,
        total: all.length,
      };
    }
    let repos: unknown;
    let next: boolean;
    let total: number | null = null;
    if (q.query) {
      const scope = this.config.owner ? ` user:${this.config.owner}` : ` user:${await this.me()}`;
      const { data } = await this.octokit.rest.search.repos({
        q: `${words(q.query)} in:name${scope}`,
        per_page: q.limit,
        page: p,
      });
      const found = read(
        z.object({ total_count: z.number(), items: z.array(z.unknown()) }),
        data,
        'repositories',
      );
      repos = found.items;
      total = found.total_count;
      next = p * q.limit < Math.min(found.total_count, SEARCH_CAP);
    } else if (this.config.owner) {
      const response = await this.ownerRepos(this.config.owner, q.limit, p);
      repos = response.data;
      next = hasNext(response.link);
    } else {
      const response = await this.octokit.rest.repos.listForAuthenticatedUser({
        sort: 'updated',
        per_page: q.limit,
        page: p,
      });
      repos = response.data;
      next = hasNext(response.headers.link);
    }
    const list = read(z.array(ghRepo), repos, 'repositories');
    return {
      items: list.map((r) => ({
        id: String(r.id),
        key: r.full_name,
        name: r.full_name,
        description: r.description || null,
        url: r.html_url ?? null,
        details: {
          visibility: r.private ? 'private' : 'public',
          ...(r.archived && { archived: 'yes' }),
          ...(r.has_issues === false && { issues: 'disabled' }),
          ...(typeof r.open_issues_count === 'number' && { openIssuesAndPRs: String(r.open_issues_count) }),
        },
      })),
      nextCursor: next && list.length > 0 ? String(p + 1) : null,
      total,
    };
  }

  async listMilestones(q: {
    project?: string | undefined;
    state: 'open' | 'closed' | 'all';
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ repo: string; page: Page<z.output<typeof ghMilestone>> }> {
    const target = q.project ?? this.config.repositories?.[0];
    if (!target) throw new TrackerError('validation', 'pass `project` as owner/name.');
    const [owner, repo] = this.checkRepo(target);
    const p = page(q.cursor);
    const response = await this.octokit.rest.issues.listMilestones({
      owner,
      repo,
      state: q.state,
      per_page: q.limit,
      page: p,
    });
    const list = read(z.array(ghMilestone), response.data, 'milestones');
    return {
      repo: `${owner}/${repo}`,
      page: {
        items: list,
        nextCursor: hasNext(response.headers.link) && list.length > 0 ? String(p + 1) : null,
        total: null,
      },
    };
  }

  private async ownerRepos(
    owner: string,
    limit: number,
    p: number,
  ): Promise<{ data: unknown; link: string | undefined }> {
    try {
      const r = await this.octokit.rest.repos.listForOrg({
        org: owner,
        sort: 'updated',
        per_page: limit,
        page: p,
      });
      return { data: r.data, link: r.headers.link };
    } catch (error) {
      if ((error as { status?: unknown }).status !== 404) throw error;
      const r = await this.octokit.rest.repos.listForUser({
        username: owner,
        sort: 'updated',
        per_page: limit,
        page: p,
      });
      return { data: r.data, link: r.headers.link };
    }
  }

  private async fetchIssue(r: IssueRef): Promise<GhIssue> {
    const { data } = await this.octokit.rest.issues.get({
      owner: r.owner,
      repo: r.repo,
      issue_number: r.number,
    });
    return read(ghIssue, data, 'issue');
  }

  private async me(): Promise<string> {
    return this.login ?? (await this.identity()).id;
  }

  private async assignees(who: string): Promise<string[]> {
    const w = who.trim();
    if (w.toLowerCase() === 'none') return [];
    if (w.toLowerCase() === 'me') return [await this.me()];
    return [this.checkLogin(w)];
  }

  private checkLogin(value: string): string {
    const login = value.replace(/^@/, '');
    if (!LOGIN.test(login))
      throw new TrackerError(
        'validation',
        `"${value.slice(0, 100)}" is not a GitHub login; GitHub assigns by login (e.g. "octocat").`,
      );
    return login;
  }

  /** owner/name, and only a configured repository when the connection is limited to some. */
  private checkRepo(value: string): [string, string] {
    const m = REPO.exec(value.trim());
    if (!m)
      throw new TrackerError(
        'validation',
        `"${value.slice(0, 100)}" is not a repository; use owner/name, e.g. "octocat/hello-world".`,
      );
    const full = `${m[1]}/${m[2]}`;
    const allowed = this.config.repositories;
    if (allowed && !allowed.some((r) => r.toLowerCase() === full.toLowerCase())) {
      throw new TrackerError('permission', `this connection is limited to ${allowed.join(', ')}.`);
    }
    return [m[1]!, m[2]!];
  }

  /** owner/repo#12, a github.com issue URL, or #12 / 12 in the default repository. */
  private parseRef(ref: string): IssueRef {
    const r = ref.trim();
    const url = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)\/?$/.exec(r);
    const full = /^([^#\s]+\/[^#\s]+)#(\d+)$/.exec(r);
    const bare = /^#?(\d+)$/.exec(r);
    let repo: string | undefined;
    let number: string | undefined;
    if (url) [repo, number] = [url[1], url[2]];
    else if (full) [repo, number] = [full[1], full[2]];
    else if (bare && this.config.repositories?.[0]) [repo, number] = [this.config.repositories[0], bare[1]];
    if (!repo || !number) {
      throw new TrackerError(
        'validation',
        `"${ref.slice(0, 100)}" is not an issue reference; use owner/repo#123.`,
      );
    }
    const [owner, name] = this.checkRepo(repo);
    return { owner, repo: name, number: Number(number) };
  }
}

function stateQualifier(state: string): string {
  const s = state
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
  if (s === 'open') return 'is:open';
  if (s === 'closed') return 'is:closed';
  if (s === 'done' || s === 'completed') return 'is:closed reason:completed';
  if (s === 'not planned' || s === 'canceled' || s === 'cancelled') return 'is:closed reason:"not planned"';
  throw new TrackerError(
    'validation',
    `GitHub issues are "open" or "closed" (or "completed" / "not planned"), not "${state}".`,
  );
}

function stateChange(state: string): {
  state: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened';
} {
  const s = state
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
  if (s === 'open' || s === 'reopen' || s === 'reopened') return { state: 'open' };
  if (s === 'closed' || s === 'done' || s === 'completed')
    return { state: 'closed', state_reason: 'completed' };
  if (s === 'not planned' || s === 'canceled' || s === 'cancelled')
    return { state: 'closed', state_reason: 'not_planned' };
  throw new TrackerError(
    'validation',
    `GitHub issues can be "open", "closed" (completed) or "not planned", not "${state}".`,
  );
}
