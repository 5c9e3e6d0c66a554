/**
 * A local Jira Cloud site for the contract suite: the REST v3 and Agile 1.0 endpoints the `jira` pack calls,
 * with Jira's request rules (Basic auth with email + API token; ADF for description and comment bodies;
 * labels without spaces; transitions by id; JQL errors as 400 errorMessages) and response shapes taken from
 * the examples of Atlassian's REST reference.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { Faults, json, listen, type LocalServer } from './support.js';

interface User {
  accountId: string;
  displayName: string;
  emailAddress: string;
  active: boolean;
  accountType: 'atlassian';
}
interface Status {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}
interface Comment {
  id: string;
  body: unknown;
  author: User;
  created: string;
}
interface Issue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  issuetype: string;
  statusId: string;
  assignee: string | null;
  reporter: string;
  priority: string;
  labels: string[];
  created: string;
  updated: string;
  resolution: string | null;
  resolved: string | null;
  comments: Comment[];
}

export interface JiraLocal extends LocalServer {
  readonly email: string;
  readonly token: string;
}

const STATUSES: Status[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];
const TRANSITIONS = [
  { id: '11', name: 'To Do', to: '10000' },
  { id: '21', name: 'In Progress', to: '3' },
  { id: '31', name: 'Done', to: '10001' },
];
const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const CATEGORY_NAMES = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

function isAdf(value: unknown): boolean {
  const v = value as { type?: unknown; version?: unknown; content?: unknown } | null;
  return (
    v !== null && typeof v === 'object' && v.type === 'doc' && v.version === 1 && Array.isArray(v.content)
  );
}

function adfText(value: unknown): string {
  const walk = (n: { text?: string; content?: unknown[] }): string =>
    (n.text ?? '') + (n.content ?? []).map((c) => walk(c as typeof n)).join(' ');
  return value && typeof value === 'object' ? walk(value as { content?: unknown[] }) : '';
}

export async function startJiraServer(
  email = 'jane@example.com',
  token = 'ATATT3xFfGF0-local-token-0123456789',
): Promise<JiraLocal> {
  const users: User[] = [
    {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Jane Doe',
      emailAddress: email,
      active: true,
      accountType: 'atlassian',
    },
    {
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Mia Krystof',
      emailAddress: 'mia@example.com',
      active: true,
      accountType: 'atlassian',
    },
  ];
  const me = users[0]!;
  const projects = [
    {
      id: '10000',
      key: 'PROJ',
      name: 'Example Project',
      description: 'The project of the examples',
      projectTypeKey: 'software',
      issueTypes: ['Task', 'Bug', 'Story'],
    },
    {
      id: '10001',
      key: 'OPS',
      name: 'Operations',
      description: '',
      projectTypeKey: 'business',
      issueTypes: ['Task'],
    },
  ];
  const boards = [{ id: 84, name: 'PROJ board', type: 'scrum', project: 'PROJ' }];
  const sprints = [
    {
      id: 37,
      self: '',
      state: 'closed',
      name: 'Sprint 1',
      startDate: '2015-04-11T15:22:00.000+10:00',
      endDate: '2015-04-20T01:22:00.000+10:00',
      completeDate: '2015-04-20T11:04:00.000+10:00',
      originBoardId: 84,
      goal: 'sprint 1 goal',
    },
    {
      id: 72,
      self: '',
      state: 'active',
      name: 'Sprint 2',
      startDate: '2015-04-21T15:22:00.000+10:00',
      endDate: '2015-05-01T01:22:00.000+10:00',
      originBoardId: 84,
      goal: 'sprint 2 goal',
    },
    { id: 73, self: '', state: 'future', name: 'Sprint 3', originBoardId: 84, goal: '' },
  ];
  const issues: Issue[] = [];
  const counters = new Map<string, number>();
  let nextId = 10000;
  const nowIso = () => new Date().toISOString().replace('Z', '+0000');
  const create = (f: Partial<Issue> & { project: string; summary: string }): Issue => {
    const n = (counters.get(f.project) ?? 0) + 1;
    counters.set(f.project, n);
    const at = nowIso();
    const issue: Issue = {
      id: String(nextId++),
      key: `${f.project}-${n}`,
      description: null,
      issuetype: 'Task',
      statusId: '10000',
      assignee: null,
      reporter: me.accountId,
      priority: 'Medium',
      labels: [],
      created: at,
      updated: at,
      resolution: null,
      resolved: null,
      comments: [],
      ...f,
    };
    issues.push(issue);
    return issue;
  };
  create({
    project: 'PROJ',
    summary: 'Example bug report',
    issuetype: 'Bug',
    priority: 'High',
    labels: ['bugfix'],
    assignee: users[1]!.accountId,
  });

  const faults = new Faults();
  const seen: string[] = [];
  let base = '';
  const userJson = (u: User | undefined) =>
    u
      ? {
          self: `${base}/rest/api/3/user?accountId=${u.accountId}`,
          accountId: u.accountId,
          displayName: u.displayName,
          emailAddress: u.emailAddress,
          active: u.active,
          accountType: u.accountType,
          timeZone: 'Australia/Sydney',
        }
      : null;
  const statusJson = (id: string) => {
    const s = STATUSES.find((x) => x.id === id)!;
    return {
      self: `${base}/rest/api/3/status/${s.id}`,
      id: s.id,
      name: s.name,
      statusCategory: {
        id: { new: 2, indeterminate: 4, done: 3 }[s.category],
        key: s.category,
        name: CATEGORY_NAMES[s.category],
        colorName: 'blue-gray',
      },
    };
  };
  const issueJson = (i: Issue, fields: string[] | null) => {
    const all: Record<string, unknown> = {
      summary: i.summary,
      status: statusJson(i.statusId),
      assignee: userJson(users.find((u) => u.accountId === i.assignee)),
      reporter: userJson(users.find((u) => u.accountId === i.reporter)),
      priority: {
        self: `${base}/rest/api/3/priority/3`,
        id: String(PRIORITIES.indexOf(i.priority) + 1),
        name: i.priority,
      },
      labels: i.labels,
      project: {
        self: `${base}/rest/api/3/project/${i.project}`,
        id: projects.find((p) => p.key === i.project)!.id,
        key: i.project,
        name: projects.find((p) => p.key === i.project)!.name,
      },
      created: i.created,
      updated: i.updated,
      issuetype: { id: '10001', name: i.issuetype, subtask: false },
      resolution: i.resolution ? { id: '10000', name: i.resolution } : null,
      description: i.description,
    };
    const picked = fields ? Object.fromEntries(Object.entries(all).filter(([k]) => fields.includes(k))) : all;
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: i.id,
      self: `${base}/rest/api/3/issue/${i.id}`,
      key: i.key,
      fields: picked,
    };
  };
  const commentJson = (c: Comment, i: Issue) => ({
    self: `${base}/rest/api/3/issue/${i.id}/comment/${c.id}`,
    id: c.id,
    author: userJson(c.author),
    body: c.body,
    updateAuthor: userJson(c.author),
    created: c.created,
    updated: c.created,
    jsdPublic: true,
  });
  const error = (
    res: ServerResponse,
    status: number,
    messages: string[],
    errors: Record<string, string> = {},
  ) => json(res, status, { errorMessages: messages, errors });
  const find = (ref: string) => issues.find((i) => i.key === ref.toUpperCase() || i.id === ref);

  // ---- a JQL subset: clauses joined by AND, ORDER BY ignored ----
  const jqlMatch = (jql: string): ((i: Issue) => boolean) => {
    const where = jql.replace(/\s+ORDER BY[\s\S]*$/i, '').trim();
    if (where === '') return () => true;
    const clauses = where.split(/\s+AND\s+/i);
    const tests = clauses.map((clause): ((i: Issue) => boolean) => {
      const m = /^(\w+)\s*(=|!=|~|>=|is)\s*(.+)$/i.exec(clause.trim());
      if (!m) throw new Error(`Error in the JQL Query: unexpected clause '${clause}'.`);
      const [, rawField, op, rawValue] = m;
      const field = rawField!.toLowerCase();
      const value = rawValue!.trim();
      const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(value)?.[1]?.replace(/\\(.)/g, '$1') ?? value;
      const eq = (a: string | null) =>
        op === '!=' ? a?.toLowerCase() !== literal.toLowerCase() : a?.toLowerCase() === literal.toLowerCase();
      switch (field) {
        case 'text':
          return (i) =>
            `${i.summary} ${adfText(i.description)} ${i.comments.map((c) => adfText(c.body)).join(' ')}`
              .toLowerCase()
              .includes(literal.toLowerCase());
        case 'summary':
          return (i) => i.summary.toLowerCase().includes(literal.toLowerCase());
        case 'project':
          return (i) => eq(i.project);
        case 'status':
          return (i) => eq(STATUSES.find((s) => s.id === i.statusId)!.name);
        case 'statuscategory':
          return (i) => eq(CATEGORY_NAMES[STATUSES.find((s) => s.id === i.statusId)!.category]);
        case 'labels':
          return (i) => i.labels.some((l) => l.toLowerCase() === literal.toLowerCase());
        case 'assignee':
          if (/^is$/i.test(op!) && /^EMPTY$/i.test(value)) return (i) => i.assignee === null;
          if (value === 'currentUser()') return (i) => i.assignee === me.accountId;
          return (i) => eq(i.assignee);
        case 'created':
          return (i) => Date.parse(i.created.replace('+0000', 'Z')) >= Date.parse(literal);
        case 'resolved':
          return (i) =>
            i.resolved !== null && Date.parse(i.resolved.replace('+0000', 'Z')) >= Date.parse(literal);
        case 'type':
        case 'issuetype':
          return (i) => eq(i.issuetype);
        default:
          throw new Error(
            `Error in the JQL Query: Field '${rawField}' does not exist or you do not have permission to view it.`,
          );
      }
    });
    return (i) => tests.every((t) => t(i));
  };

  const validateFields = (
    res: ServerResponse,
    fields: Record<string, unknown>,
    project: string | null,
  ): boolean => {
    const errors: Record<string, string> = {};
    if ('description' in fields && fields.description !== null && !isAdf(fields.description))
      errors.description =
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    if ('summary' in fields && (typeof fields.summary !== 'string' || fields.summary.trim() === ''))
      errors.summary = 'You must specify a summary of the issue.';
    if (
      'labels' in fields &&
      (!Array.isArray(fields.labels) || fields.labels.some((l) => typeof l !== 'string' || /\s/.test(l)))
    )
      errors.labels = 'The label must not contain spaces.';
    if (
      'priority' in fields &&
      !PRIORITIES.includes((fields.priority as { name?: string } | null)?.name ?? '')
    )
      errors.priority = 'Specify the Priority (name) in the string format';
    if (
      'assignee' in fields &&
      fields.assignee !== null &&
      !users.some((u) => u.accountId === (fields.assignee as { accountId?: string }).accountId)
    )
      errors.assignee = 'Specified user does not exist or you do not have required permissions';
    if (project !== null && 'issuetype' in fields) {
      const p = projects.find((x) => x.key === project);
      if (!p?.issueTypes.includes((fields.issuetype as { name?: string }).name ?? ''))
        errors.issuetype = 'Specify a valid issue type';
    }
    if (Object.keys(errors).length > 0) {
      error(res, 400, [], errors);
      return false;
    }
    return true;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const q = url.searchParams;
    seen.push(`${req.method} ${path}`);
    const expected = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res
        .writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'OAuth realm="https%3A%2F%2Fexample.atlassian.net"',
        })
        .end('Client must be authenticated to access this resource.');
      return;
    }
    const fault = faults.take(`${req.method} ${path}`);
    if (fault === 'rate_limit')
      return json(
        res,
        429,
        { errorMessages: ['Rate limit exceeded.'] },
        {
          'retry-after': '1',
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(Date.now() + 1000).toISOString(),
        },
      );
    if (fault === 'rate_limit_long')
      return json(res, 429, { errorMessages: ['Rate limit exceeded.'] }, { 'retry-after': '3600' });
    if (fault === 'unavailable') return json(res, 503, { errorMessages: ['Service unavailable'] });
    if (fault === 'malformed') return json(res, 200, { issues: [{ id: 5 }], values: 'x', accountId: 7 });
    if (fault === 'not_json')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === '/rest/api/3/myself') return json(res, 200, userJson(me));
    if (req.method === 'GET' && path === '/rest/api/3/user/search') {
      const needle = (q.get('query') ?? '').toLowerCase();
      return json(
        res,
        200,
        users
          .filter(
            (u) =>
              u.displayName.toLowerCase().includes(needle) ||
              u.emailAddress.toLowerCase().startsWith(needle) ||
              u.accountId === q.get('query'),
          )
          .map(userJson),
      );
    }
    if (req.method === 'GET' && path === '/rest/api/3/search/jql') {
      let match: (i: Issue) => boolean;
      try {
        match = jqlMatch(q.get('jql') ?? '');
      } catch (e) {
        return error(res, 400, [(e as Error).message]);
      }
      const fields = q.getAll('fields').flatMap((f) => f.split(','));
      const list = issues
        .filter(match)
        .sort((a, b) => b.updated.localeCompare(a.updated) || Number(b.id) - Number(a.id));
      const start = q.get('nextPageToken')
        ? Number(Buffer.from(q.get('nextPageToken')!, 'base64url').toString())
        : 0;
      const max = Math.min(Number(q.get('maxResults') ?? 50), 5000);
      const slice = list.slice(start, start + max);
      const more = start + max < list.length;
      return json(res, 200, {
        issues: slice.map((i) => issueJson(i, fields.length ? fields : null)),
        ...(more && { nextPageToken: Buffer.from(String(start + max)).toString('base64url') }),
        isLast: !more,
      });
    }
    if ((m = /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(path))) {
      const issue = find(decodeURIComponent(m[1]!));
      if (!issue) return error(res, 404, ['Issue does not exist or you do not have permission to see it.']);
      if (req.method === 'GET') {
        const start = Number(q.get('startAt') ?? 0);
        const max = Number(q.get('maxResults') ?? 5000);
        const slice = issue.comments.slice(start, start + max);
        return json(res, 200, {
          startAt: start,
          maxResults: max,
          total: issue.comments.length,
          comments: slice.map((c) => commentJson(c, issue)),
        });
      }
      if (req.method === 'POST') {
        if (!isAdf(body.body)) return error(res, 400, [], { comment: 'Comment body is not valid!' });
        const c: Comment = { id: String(nextId++), body: body.body, author: me, created: nowIso() };
        issue.comments.push(c);
        issue.updated = nowIso();
        return json(res, 201, commentJson(c, issue));
      }
    }
    if ((m = /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/.exec(path))) {
      const issue = find(decodeURIComponent(m[1]!));
      if (!issue) return error(res, 404, ['Issue does not exist or you do not have permission to see it.']);
      if (req.method === 'GET') {
        return json(res, 200, {
          expand: 'transitions',
          transitions: TRANSITIONS.filter((t) => t.to !== issue.statusId).map((t) => ({
            id: t.id,
            name: t.name,
            to: statusJson(t.to),
            hasScreen: false,
            isGlobal: true,
            isInitial: false,
            isConditional: false,
          })),
        });
      }
      const t = TRANSITIONS.find(
        (x) => x.id === (body.transition as { id?: string } | undefined)?.id && x.to !== issue.statusId,
      );
      if (!t)
        return error(res, 400, [
          "Transition id '" +
            String((body.transition as { id?: string } | undefined)?.id) +
            "' is not valid for this issue.",
        ]);
      issue.statusId = t.to;
      const done = STATUSES.find((s) => s.id === t.to)!.category === 'done';
      issue.resolution = done ? 'Done' : null;
      issue.resolved = done ? nowIso() : null;
      issue.updated = nowIso();
      res.writeHead(204).end();
      return;
    }
    if ((m = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(path))) {
      const issue = find(decodeURIComponent(m[1]!));
      if (!issue) return error(res, 404, ['Issue does not exist or you do not have permission to see it.']);
      if (req.method === 'GET') {
        const fields = q.getAll('fields').flatMap((f) => f.split(','));
        return json(res, 200, issueJson(issue, fields.length ? fields : null));
      }
      if (req.method === 'PUT') {
        const fields = (body.fields ?? {}) as Record<string, unknown>;
        if (!validateFields(res, fields, null)) return;
        const update = (body.update ?? {}) as { labels?: { add?: string; remove?: string }[] };
        if (fields.summary !== undefined) issue.summary = fields.summary as string;
        if (fields.description !== undefined) issue.description = fields.description;
        if (fields.priority !== undefined) issue.priority = (fields.priority as { name: string }).name;
        if (fields.assignee !== undefined)
          issue.assignee =
            fields.assignee === null ? null : (fields.assignee as { accountId: string }).accountId;
        if (fields.labels !== undefined) issue.labels = [...(fields.labels as string[])];
        for (const op of update.labels ?? []) {
          if (op.add && /\s/.test(op.add))
            return error(res, 400, [], { labels: 'The label must not contain spaces.' });
          if (op.add && !issue.labels.includes(op.add)) issue.labels.push(op.add);
          if (op.remove) issue.labels = issue.labels.filter((l) => l !== op.remove);
        }
        issue.updated = nowIso();
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'DELETE') {
        issues.splice(issues.indexOf(issue), 1);
        res.writeHead(204).end();
        return;
      }
    }
    if (req.method === 'POST' && path === '/rest/api/3/issue') {
      const fields = (body.fields ?? {}) as Record<string, unknown>;
      const key = (fields.project as { key?: string } | undefined)?.key;
      if (!key || !projects.some((p) => p.key === key))
        return error(res, 400, [], { project: 'Specify a valid project ID or key' });
      if (typeof fields.summary !== 'string')
        return error(res, 400, [], { summary: 'You must specify a summary of the issue.' });
      if (!validateFields(res, fields, key)) return;
      const issue = create({
        project: key,
        summary: fields.summary,
        description: fields.description ?? null,
        issuetype: (fields.issuetype as { name: string }).name,
        priority: (fields.priority as { name: string } | undefined)?.name ?? 'Medium',
        labels: (fields.labels as string[] | undefined) ?? [],
        assignee: (fields.assignee as { accountId: string } | null | undefined)?.accountId ?? null,
      });
      return json(res, 201, { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` });
    }
    if (req.method === 'GET' && path === '/rest/api/3/project/search') {
      const start = Number(q.get('startAt') ?? 0);
      const max = Number(q.get('maxResults') ?? 50);
      const needle = (q.get('query') ?? '').toLowerCase();
      const list = projects.filter(
        (p) => !needle || p.name.toLowerCase().includes(needle) || p.key.toLowerCase().includes(needle),
      );
      const expand = (q.get('expand') ?? '').split(',');
      const slice = list.slice(start, start + max);
      return json(res, 200, {
        self: `${base}${path}`,
        maxResults: max,
        startAt: start,
        total: list.length,
        isLast: start + max >= list.length,
        values: slice.map((p) => ({
          self: `${base}/rest/api/3/project/${p.id}`,
          id: p.id,
          key: p.key,
          name: p.name,
          projectTypeKey: p.projectTypeKey,
          simplified: false,
          style: 'classic',
          isPrivate: false,
          ...(expand.includes('description') && { description: p.description }),
          ...(expand.includes('lead') && { lead: userJson(me) }),
          ...(expand.includes('issueTypes') && {
            issueTypes: p.issueTypes.map((name, n) => ({ id: String(10000 + n), name, subtask: false })),
          }),
        })),
      });
    }
    if (req.method === 'GET' && path === '/rest/agile/1.0/board') {
      const list = boards.filter(
        (b) =>
          (!q.get('projectKeyOrId') || b.project === q.get('projectKeyOrId')) &&
          (!q.get('type') || b.type === q.get('type')),
      );
      return json(res, 200, {
        maxResults: 50,
        startAt: 0,
        total: list.length,
        isLast: true,
        values: list.map((b) => ({
          id: b.id,
          self: `${base}/rest/agile/1.0/board/${b.id}`,
          name: b.name,
          type: b.type,
          location: { projectKey: b.project },
        })),
      });
    }
    if ((m = /^\/rest\/agile\/1\.0\/board\/(\d+)\/sprint$/.exec(path)) && req.method === 'GET') {
      if (!boards.some((b) => b.id === Number(m![1])))
        return error(res, 404, [
          'The requested board cannot be viewed because it either does not exist or you do not have permission to view it.',
        ]);
      const states = (q.get('state') ?? '').split(',').filter(Boolean);
      const list = sprints.filter((s) => states.length === 0 || states.includes(s.state));
      const start = Number(q.get('startAt') ?? 0);
      const max = Number(q.get('maxResults') ?? 50);
      return json(res, 200, {
        maxResults: max,
        startAt: start,
        isLast: start + max >= list.length,
        values: list
          .slice(start, start + max)
          .map((s) => ({ ...s, self: `${base}/rest/agile/1.0/sprint/${s.id}` })),
      });
    }
    return error(res, 404, [`No endpoint ${req.method} ${path} on this local Jira.`]);
  };

  const http = await listen(handler);
  base = http.url;
  return { url: http.url, email, token, faults, seen, close: http.close };
}
