/**
 * A local GitHub REST API (the Issues, Search, Repositories and Milestones endpoints the `github-issues`
 * pack calls) with GitHub's rules: token auth, 422 "Validation Failed" bodies, search qualifiers, page-based
 * pagination with Link headers, x-ratelimit-* headers, and payloads shaped like the examples of GitHub's
 * REST reference.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { Faults, json, listen, type LocalServer } from './support.js';

interface Repo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  labels: string[];
  collaborators: string[];
}
interface Comment {
  id: number;
  body: string;
  user: string;
  created_at: string;
}
interface Issue {
  id: number;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  user: string;
  assignees: string[];
  labels: string[];
  milestone: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  comments: Comment[];
}

export interface GithubLocal extends LocalServer {
  readonly token: string;
  readonly apiUrl: string;
}

export async function startGithubServer(
  token = 'ghp_localTokenForContractTests0123456789',
): Promise<GithubLocal> {
  const me = { login: 'octocat', id: 1, name: 'The Octocat', email: 'octocat@github.com' };
  const people = ['octocat', 'hubot', 'monalisa'];
  const repos: Repo[] = [
    {
      id: 1296269,
      owner: 'octocat',
      name: 'hello-world',
      private: false,
      description: 'My first repository on GitHub!',
      labels: ['bug', 'enhancement', 'documentation'],
      collaborators: ['octocat', 'hubot'],
    },
    {
      id: 1296270,
      owner: 'octocat',
      name: 'spoon-knife',
      private: true,
      description: 'This repo is for demonstration purposes only.',
      labels: ['bug'],
      collaborators: ['octocat'],
    },
  ];
  const milestones = [
    {
      number: 1,
      title: 'v1.0',
      state: 'open',
      description: 'Tracking milestone for version 1.0',
      due_on: '2030-10-09T23:39:01Z',
      open_issues: 4,
      closed_issues: 8,
      repo: 'octocat/hello-world',
    },
    {
      number: 2,
      title: 'v0.9',
      state: 'closed',
      description: null,
      due_on: null,
      open_issues: 0,
      closed_issues: 12,
      repo: 'octocat/hello-world',
    },
  ];
  const issues: Issue[] = [];
  let nextId = 1347;
  const at = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const add = (f: Partial<Issue> & { repo: string; title: string }): Issue => {
    const number = issues.filter((i) => i.repo === f.repo).length + 1;
    const now = at();
    const issue: Issue = {
      id: nextId++,
      number,
      body: null,
      state: 'open',
      state_reason: null,
      user: me.login,
      assignees: [],
      labels: [],
      milestone: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
      comments: [],
      ...f,
    };
    issues.push(issue);
    return issue;
  };
  add({
    repo: 'octocat/hello-world',
    title: 'Found a bug',
    body: "I'm having a problem with this.",
    labels: ['bug'],
    assignees: ['hubot'],
    milestone: 'v1.0',
  });

  const faults = new Faults();
  const seen: string[] = [];
  let base = '';
  const userJson = (login: string) => ({
    login,
    id: people.indexOf(login) + 1,
    node_id: 'MDQ6VXNlcjE=',
    avatar_url: 'https://github.com/images/error/octocat_happy.gif',
    url: `${base}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: 'User',
    site_admin: false,
  });
  const issueJson = (i: Issue) => ({
    id: i.id,
    node_id: 'MDU6SXNzdWUx',
    url: `${base}/repos/${i.repo}/issues/${i.number}`,
    repository_url: `${base}/repos/${i.repo}`,
    html_url: `https://github.com/${i.repo}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.state_reason,
    title: i.title,
    body: i.body,
    user: userJson(i.user),
    labels: i.labels.map((name, n) => ({ id: 208045946 + n, name, color: 'f29513', default: true })),
    assignee: i.assignees[0] ? userJson(i.assignees[0]) : null,
    assignees: i.assignees.map(userJson),
    milestone: i.milestone
      ? {
          title: i.milestone,
          number: milestones.find((m) => m.title === i.milestone)?.number ?? 1,
          state: 'open',
        }
      : null,
    locked: false,
    comments: i.comments.length,
    closed_at: i.closed_at,
    created_at: i.created_at,
    updated_at: i.updated_at,
    author_association: 'OWNER',
  });
  const commentJson = (c: Comment, i: Issue) => ({
    id: c.id,
    node_id: 'MDEyOklzc3VlQ29tbWVudDE=',
    url: `${base}/repos/${i.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${i.repo}/issues/${i.number}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.created_at,
    updated_at: c.created_at,
    author_association: 'COLLABORATOR',
  });
  const repoJson = (r: Repo) => ({
    id: r.id,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: userJson(r.owner),
    private: r.private,
    html_url: `https://github.com/${r.owner}/${r.name}`,
    description: r.description,
    archived: false,
    has_issues: true,
    open_issues_count: issues.filter((i) => i.repo === `${r.owner}/${r.name}` && i.state === 'open').length,
    updated_at: '2011-01-26T19:14:43Z',
  });
  const rate = (remaining: number, reset: number) => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-resource': 'core',
  });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    json(res, status, body, { ...rate(4999, Math.floor(Date.now() / 1000) + 3600), ...headers });
  const invalid = (
    res: ServerResponse,
    errors: { resource: string; field: string; code: string; message?: string }[],
  ) =>
    send(res, 422, {
      message: 'Validation Failed',
      errors,
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
      status: '422',
    });
  const notFound = (res: ServerResponse) =>
    send(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
  const paged = <T>(res: ServerResponse, url: URL, list: T[], view: (t: T) => unknown) => {
    const per = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = list.slice((page - 1) * per, page * per);
    const links: string[] = [];
    if (page * per < list.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      links.push(`<${next.href}>; rel="next"`);
    }
    return send(res, 200, slice.map(view), links.length ? { link: links.join(', ') } : {});
  };
  const repoOf = (owner: string, name: string) =>
    repos.find(
      (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
    );

  /** The issue-search qualifiers the pack sends; anything else is GitHub's 422. */
  const searchMatch = (q: string): ((i: Issue) => boolean) | string => {
    const tokens = q.match(/"[^"]*"|\S+:"[^"]*"|\S+/g) ?? [];
    const tests: ((i: Issue) => boolean)[] = [];
    const repoScope: string[] = [];
    for (const token of tokens) {
      const [k, ...rest] = token.startsWith('"') ? ['', token] : token.split(':');
      const v = rest.join(':').replace(/^"|"$/g, '');
      switch (k) {
        case '':
          tests.push((i) =>
            `${i.title} ${i.body ?? ''} ${i.comments.map((c) => c.body).join(' ')}`
              .toLowerCase()
              .includes(v.toLowerCase()),
          );
          break;
        case 'is':
          if (v === 'issue') break;
          if (v === 'open' || v === 'closed') {
            tests.push((i) => i.state === v);
            break;
          }
          return `is:${v}`;
        case 'repo':
          repoScope.push(v.toLowerCase());
          break;
        case 'user':
        case 'org':
          tests.push((i) => i.repo.toLowerCase().startsWith(`${v.toLowerCase()}/`));
          break;
        case 'assignee':
          tests.push((i) => i.assignees.includes(v === '@me' ? me.login : v));
          break;
        case 'no':
          if (v !== 'assignee') return `no:${v}`;
          tests.push((i) => i.assignees.length === 0);
          break;
        case 'label':
          tests.push((i) => i.labels.some((l) => l.toLowerCase() === v.toLowerCase()));
          break;
        case 'reason':
          tests.push((i) => i.state_reason === (v === 'not planned' ? 'not_planned' : v));
          break;
        case 'closed':
          tests.push((i) => i.closed_at !== null && i.closed_at >= v.replace('>=', ''));
          break;
        case 'created':
          tests.push((i) => i.created_at >= v.replace('>=', ''));
          break;
        default:
          return `${k}:${v}`;
      }
    }
    if (repoScope.length > 0) tests.push((i) => repoScope.includes(i.repo.toLowerCase()));
    return (i) => tests.every((t) => t(i));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    seen.push(`${req.method} ${path}`);
    if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const fault = faults.take(`${req.method} ${path}`);
    if (fault === 'rate_limit')
      return json(
        res,
        403,
        {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        rate(0, Math.floor(Date.now() / 1000) + 1),
      );
    if (fault === 'rate_limit_long')
      return json(
        res,
        429,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': '3600' },
      );
    if (fault === 'unavailable') return json(res, 502, { message: 'Server Error' });
    if (fault === 'malformed') return send(res, 200, { total_count: 1, items: [{ id: 'x' }], login: 5 });
    if (fault === 'not_json')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>unicorn</html>');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;

    if (req.method === 'GET' && path === '/user')
      return send(res, 200, { ...userJson(me.login), name: me.name, email: me.email });
    if (req.method === 'GET' && path === '/search/issues') {
      const match = searchMatch(url.searchParams.get('q') ?? '');
      if (typeof match === 'string')
        return invalid(res, [
          {
            resource: 'Search',
            field: 'q',
            code: 'invalid',
            message: `The qualifier ${match} is not supported.`,
          },
        ]);
      const list = issues
        .filter(match)
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);
      const per = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      return send(res, 200, {
        total_count: list.length,
        incomplete_results: false,
        items: list.slice((page - 1) * per, page * per).map(issueJson),
      });
    }
    if (req.method === 'GET' && path === '/search/repositories') {
      const q = url.searchParams.get('q') ?? '';
      const words = (q.match(/"([^"]*)"/g) ?? []).map((w) => w.slice(1, -1).toLowerCase());
      const owner = /user:(\S+)/.exec(q)?.[1];
      const list = repos.filter(
        (r) => (!owner || r.owner === owner) && words.every((w) => r.name.toLowerCase().includes(w)),
      );
      return send(res, 200, {
        total_count: list.length,
        incomplete_results: false,
        items: list.map(repoJson),
      });
    }
    if (
      req.method === 'GET' &&
      (path === '/user/repos' || (m = /^\/(?:orgs|users)\/([^/]+)\/repos$/.exec(path)))
    ) {
      const owner = path === '/user/repos' ? null : m![1];
      if (owner && path.startsWith('/orgs/') && owner === me.login) return notFound(res);
      return paged(
        res,
        url,
        repos.filter((r) => !owner || r.owner === owner),
        repoJson,
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(path))) {
      const repo = repoOf(m[1]!, m[2]!);
      if (!repo) return notFound(res);
      const full = `${repo.owner}/${repo.name}`;
      const rest = m[3]!;
      if (rest === 'milestones' && req.method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        return paged(
          res,
          url,
          milestones.filter((x) => x.repo === full && (state === 'all' || x.state === state)),
          (x) => ({ ...x, html_url: `https://github.com/${full}/milestones/${x.title}`, repo: undefined }),
        );
      }
      if (rest === 'issues' && req.method === 'POST') {
        if (typeof body.title !== 'string' || body.title === '')
          return invalid(res, [{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
        const assignees = (body.assignees as string[] | undefined) ?? [];
        const bad = assignees.find((a) => !repo.collaborators.includes(a));
        if (bad)
          return invalid(res, [
            {
              resource: 'Issue',
              field: 'assignees',
              code: 'invalid',
              message: `Could not resolve to a User with the login of '${bad}'.`,
            },
          ]);
        const labels = (body.labels as string[] | undefined) ?? [];
        for (const l of labels) if (!repo.labels.includes(l)) repo.labels.push(l);
        return send(
          res,
          201,
          issueJson(
            add({
              repo: full,
              title: body.title,
              body: (body.body as string | undefined) ?? null,
              assignees,
              labels,
            }),
          ),
        );
      }
      const im = /^issues\/(\d+)(\/comments)?$/.exec(rest);
      if (im) {
        const issue = issues.find((i) => i.repo === full && i.number === Number(im[1]));
        if (!issue) return notFound(res);
        if (im[2] && req.method === 'GET')
          return paged(res, url, issue.comments, (c) => commentJson(c, issue));
        if (im[2] && req.method === 'POST') {
          if (typeof body.body !== 'string' || body.body === '')
            return invalid(res, [{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
          const c: Comment = { id: nextId++, body: body.body, user: me.login, created_at: at() };
          issue.comments.push(c);
          return send(res, 201, commentJson(c, issue));
        }
        if (req.method === 'GET') return send(res, 200, issueJson(issue));
        if (req.method === 'PATCH') {
          if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed')
            return invalid(res, [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
          if (
            body.state_reason !== undefined &&
            !['completed', 'not_planned', 'reopened', null].includes(body.state_reason as string)
          )
            return invalid(res, [{ resource: 'Issue', field: 'state_reason', code: 'invalid' }]);
          const assignees = body.assignees as string[] | undefined;
          const bad = assignees?.find((a) => !repo.collaborators.includes(a));
          if (bad)
            return invalid(res, [
              {
                resource: 'Issue',
                field: 'assignees',
                code: 'invalid',
                message: `Could not resolve to a User with the login of '${bad}'.`,
              },
            ]);
          if (typeof body.title === 'string') issue.title = body.title;
          if (typeof body.body === 'string') issue.body = body.body;
          if (assignees) issue.assignees = assignees;
          if (Array.isArray(body.labels)) issue.labels = body.labels as string[];
          if (body.state === 'closed') {
            issue.state = 'closed';
            issue.state_reason = (body.state_reason as string | undefined) ?? 'completed';
            issue.closed_at = at();
          } else if (body.state === 'open') {
            issue.state = 'open';
            issue.state_reason = issue.closed_at ? 'reopened' : null;
            issue.closed_at = null;
          }
          issue.updated_at = new Date(Math.max(Date.now(), Date.parse(issue.updated_at) + 1000))
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z');
          return send(res, 200, issueJson(issue));
        }
      }
    }
    return notFound(res);
  };

  const http = await listen(handler);
  base = http.url;
  return { url: http.url, apiUrl: http.url, token, faults, seen, close: http.close };
}
