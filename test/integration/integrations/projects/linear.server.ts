/**
 * A local Linear GraphQL endpoint for the contract suite: it validates every document and its variables
 * against the schema subset in linear.schema.ts (as api.linear.app does: unknown fields or wrong types are
 * GraphQL errors), authenticates like Linear (personal API key bare in Authorization, OAuth token as Bearer),
 * and answers from an in-memory workspace seeded with the examples of Linear's API documentation
 * (teams, workflow states, labels, a project, a cycle, issues).
 */
import { randomUUID } from 'node:crypto';

import { buildSchema, execute, GraphQLError, parse, validate, type ExecutionResult } from 'graphql';

import { LINEAR_SUBSET_SDL } from './linear.schema.js';
import { Faults, json, listen, type LocalServer } from './support.js';

type Dict = Record<string, unknown>;

interface User {
  id: string;
  name: string;
  displayName: string;
  email: string;
  active: boolean;
}
interface Team {
  id: string;
  key: string;
  name: string;
  description: string | null;
}
interface State {
  id: string;
  name: string;
  type: string;
  position: number;
  teamId: string;
}
interface Label {
  id: string;
  name: string;
  teamId: string | null;
}
interface Project {
  id: string;
  name: string;
  slugId: string;
  description: string;
  state: string;
  teamIds: string[];
  leadId: string | null;
}
interface Cycle {
  id: string;
  number: number;
  name: string | null;
  startsAt: string;
  endsAt: string;
  teamId: string;
  progress: number;
}
interface CommentRow {
  id: string;
  issueId: string;
  body: string;
  userId: string;
  createdAt: string;
}
interface IssueRow {
  id: string;
  number: number;
  teamId: string;
  title: string;
  description: string | null;
  priority: number;
  stateId: string;
  assigneeId: string | null;
  creatorId: string;
  labelIds: string[];
  projectId: string | null;
  cycleId: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  canceledAt: string | null;
  archived: boolean;
}

const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];
const schema = buildSchema(LINEAR_SUBSET_SDL);

export interface LinearLocal extends LocalServer {
  readonly apiKey: string;
  readonly graphqlUrl: string;
  /** Adds N issues to the ENG team (for pagination beyond what a test creates). */
  seedIssues(count: number, title: string): void;
}

export async function startLinearServer(
  apiKey = `lin_api_${randomUUID().replace(/-/g, '')}`,
): Promise<LinearLocal> {
  const now = Date.now();
  const iso = (offsetDays: number) => new Date(now + offsetDays * 86_400_000).toISOString();
  const viewer: User = {
    id: 'd1b2c3e4-0001-4a5b-8c9d-000000000001',
    name: 'Jane Doe',
    displayName: 'jane',
    email: 'jane@example.com',
    active: true,
  };
  const users: User[] = [
    viewer,
    {
      id: 'd1b2c3e4-0002-4a5b-8c9d-000000000002',
      name: 'Ada Lovelace',
      displayName: 'ada',
      email: 'ada@example.com',
      active: true,
    },
    {
      id: 'd1b2c3e4-0003-4a5b-8c9d-000000000003',
      name: 'Ada Byron',
      displayName: 'abyron',
      email: 'byron@example.com',
      active: true,
    },
  ];
  const teams: Team[] = [
    { id: 'team-eng', key: 'ENG', name: 'Engineering', description: 'Product engineering' },
    { id: 'team-des', key: 'DES', name: 'Design', description: null },
  ];
  const states: State[] = [];
  for (const t of teams) {
    [
      ['Triage', 'triage'],
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
    ].forEach(([name, type], i) =>
      states.push({ id: `${t.id}-state-${i}`, name: name!, type: type!, position: i, teamId: t.id }),
    );
  }
  const labels: Label[] = [
    { id: 'label-bug', name: 'Bug', teamId: null },
    { id: 'label-feature', name: 'Feature', teamId: null },
    { id: 'label-eng-perf', name: 'Performance', teamId: 'team-eng' },
  ];
  const projects: Project[] = [
    {
      id: 'project-mobile',
      name: 'Mobile App',
      slugId: 'a1b2c3d4e5f6',
      description: 'The iOS and Android apps',
      state: 'started',
      teamIds: ['team-eng', 'team-des'],
      leadId: viewer.id,
    },
    {
      id: 'project-api',
      name: 'Public API',
      slugId: 'b2c3d4e5f6a7',
      description: '',
      state: 'planned',
      teamIds: ['team-eng'],
      leadId: null,
    },
  ];
  const cycles: Cycle[] = [
    {
      id: 'cycle-eng-41',
      number: 41,
      name: null,
      startsAt: iso(-20),
      endsAt: iso(-6),
      teamId: 'team-eng',
      progress: 1,
    },
    {
      id: 'cycle-eng-42',
      number: 42,
      name: 'Cycle 42',
      startsAt: iso(-6),
      endsAt: iso(8),
      teamId: 'team-eng',
      progress: 0.35,
    },
    {
      id: 'cycle-eng-43',
      number: 43,
      name: null,
      startsAt: iso(8),
      endsAt: iso(22),
      teamId: 'team-eng',
      progress: 0,
    },
  ];
  const issues: IssueRow[] = [];
  const comments: CommentRow[] = [];
  const counters = new Map<string, number>();
  let sync = 1000;

  const addIssue = (fields: Partial<IssueRow> & { teamId: string; title: string }): IssueRow => {
    const number = (counters.get(fields.teamId) ?? 0) + 1;
    counters.set(fields.teamId, number);
    const todo = states.find((s) => s.teamId === fields.teamId && s.type === 'unstarted')!;
    const at = new Date().toISOString();
    const row: IssueRow = {
      id: randomUUID(),
      number,
      description: null,
      priority: 0,
      stateId: todo.id,
      assigneeId: null,
      creatorId: viewer.id,
      labelIds: [],
      projectId: null,
      cycleId: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      canceledAt: null,
      archived: false,
      ...fields,
    };
    issues.push(row);
    return row;
  };
  addIssue({
    teamId: 'team-eng',
    title: 'Crash when opening settings on Android 14',
    description: 'Steps: open Settings.\n\nThe app closes.',
    priority: 1,
    labelIds: ['label-bug'],
    projectId: 'project-mobile',
    cycleId: 'cycle-eng-42',
    assigneeId: users[1]!.id,
  });
  const done = addIssue({
    teamId: 'team-eng',
    title: 'Dark mode for the dashboard',
    priority: 3,
    labelIds: ['label-feature'],
    projectId: 'project-mobile',
  });
  done.stateId = states.find((s) => s.teamId === 'team-eng' && s.type === 'completed')!.id;
  done.completedAt = iso(-2);

  const teamOf = (id: string) => teams.find((t) => t.id === id)!;
  const identifier = (i: IssueRow) => `${teamOf(i.teamId).key}-${i.number}`;
  const baseUrl = { value: '' };

  // ---- filters (the comparator semantics of Linear's filtering docs) ----
  const str = (value: string | null | undefined, c: Dict | undefined): boolean => {
    if (!c) return true;
    const v = value ?? '';
    const l = v.toLowerCase();
    return Object.entries(c).every(([op, arg]) => {
      const a = arg as string & string[];
      switch (op) {
        case 'eq':
          return v === a;
        case 'neq':
          return v !== a;
        case 'eqIgnoreCase':
          return l === a.toLowerCase();
        case 'neqIgnoreCase':
          return l !== a.toLowerCase();
        case 'in':
          return a.includes(v);
        case 'nin':
          return !a.includes(v);
        case 'contains':
          return v.includes(a);
        case 'notContains':
          return !v.includes(a);
        case 'containsIgnoreCase':
          return l.includes(a.toLowerCase());
        case 'startsWith':
          return v.startsWith(a);
        case 'endsWith':
          return v.endsWith(a);
        default:
          throw new GraphQLError(`comparator ${op} is not supported by the local server`);
      }
    });
  };
  const bool = (value: boolean, c: Dict | undefined) =>
    !c || Object.entries(c).every(([op, a]) => (op === 'eq' ? value === a : value !== a));
  const date = (value: string | null, c: Dict | undefined): boolean => {
    if (!c) return true;
    return Object.entries(c).every(([op, a]) => {
      if (op === 'null') return (value === null) === a;
      if (value === null) return false;
      const v = Date.parse(value);
      const x = Date.parse(a as string);
      return op === 'gte'
        ? v >= x
        : op === 'gt'
          ? v > x
          : op === 'lte'
            ? v <= x
            : op === 'lt'
              ? v < x
              : v === x;
    });
  };
  const logic = <T>(f: Dict, item: T, self: (f: Dict, item: T) => boolean): boolean =>
    (!f.and || (f.and as Dict[]).every((x) => self(x, item))) &&
    (!f.or || (f.or as Dict[]).some((x) => self(x, item)));
  const userMatch = (f: Dict, u: User | null): boolean => {
    if (f.null !== undefined) return (u === null) === f.null;
    if (!logic(f, u, userMatch)) return false;
    if (u === null) return !f.id && !f.name && !f.displayName && !f.email && !f.isMe;
    return (
      str(u.id, f.id as Dict) &&
      str(u.name, f.name as Dict) &&
      str(u.displayName, f.displayName as Dict) &&
      str(u.email, f.email as Dict) &&
      bool(u.id === viewer.id, f.isMe as Dict) &&
      bool(u.active, f.active as Dict)
    );
  };
  const teamMatch = (f: Dict, t: Team | null): boolean => {
    if (f.null !== undefined) return (t === null) === f.null;
    if (!logic(f, t, teamMatch)) return false;
    if (t === null) return !f.id && !f.key && !f.name;
    return str(t.id, f.id as Dict) && str(t.key, f.key as Dict) && str(t.name, f.name as Dict);
  };
  const stateMatch = (f: Dict, s: State): boolean =>
    logic(f, s, stateMatch) &&
    str(s.id, f.id as Dict) &&
    str(s.name, f.name as Dict) &&
    str(s.type, f.type as Dict) &&
    (!f.team || teamMatch(f.team as Dict, teamOf(s.teamId)));
  const labelMatch = (f: Dict, l: Label): boolean =>
    logic(f, l, labelMatch) &&
    str(l.id, f.id as Dict) &&
    str(l.name, f.name as Dict) &&
    (!f.team || teamMatch(f.team as Dict, l.teamId ? teamOf(l.teamId) : null));
  const projectMatch = (f: Dict, p: Project | null): boolean => {
    if (f.null !== undefined) return (p === null) === f.null;
    if (!logic(f, p, projectMatch)) return false;
    if (p === null) return !f.name && !f.slugId;
    return str(p.name, f.name as Dict) && str(p.slugId, f.slugId as Dict) && str(p.state, f.state as Dict);
  };
  const cycleMatch = (f: Dict, c: Cycle): boolean => {
    const active = Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt);
    return (
      logic(f, c, cycleMatch) &&
      str(c.id, f.id as Dict) &&
      bool(active, f.isActive as Dict) &&
      bool(Date.parse(c.startsAt) > now, f.isFuture as Dict) &&
      bool(Date.parse(c.endsAt) <= now, f.isPast as Dict) &&
      (!f.team || teamMatch(f.team as Dict, teamOf(c.teamId)))
    );
  };
  const issueMatch = (f: Dict, i: IssueRow): boolean => {
    if (!logic(f, i, issueMatch)) return false;
    const content = f.searchableContent as Dict | undefined;
    const text = `${i.title}\n${i.description ?? ''}\n${comments
      .filter((c) => c.issueId === i.id)
      .map((c) => c.body)
      .join('\n')}`.toLowerCase();
    if (content?.contains && !text.includes(String(content.contains).toLowerCase())) return false;
    if (content?.notContains && text.includes(String(content.notContains).toLowerCase())) return false;
    const lbl = f.labels as Dict | undefined;
    const issueLabels = labels.filter((l) => i.labelIds.includes(l.id));
    if (lbl?.some && !issueLabels.some((l) => labelMatch(lbl.some as Dict, l))) return false;
    if (lbl?.every && !issueLabels.every((l) => labelMatch(lbl.every as Dict, l))) return false;
    return (
      str(i.id, f.id as Dict) &&
      str(i.title, f.title as Dict) &&
      (!f.assignee || userMatch(f.assignee as Dict, users.find((u) => u.id === i.assigneeId) ?? null)) &&
      (!f.creator || userMatch(f.creator as Dict, users.find((u) => u.id === i.creatorId) ?? null)) &&
      (!f.state ||
        stateMatch(
          f.state as Dict,
          states.find((s) => s.id === i.stateId)!,
        )) &&
      (!f.project || projectMatch(f.project as Dict, projects.find((p) => p.id === i.projectId) ?? null)) &&
      (!f.team || teamMatch(f.team as Dict, teamOf(i.teamId))) &&
      date(i.createdAt, f.createdAt as Dict) &&
      date(i.updatedAt, f.updatedAt as Dict) &&
      date(i.completedAt, f.completedAt as Dict) &&
      date(i.canceledAt, f.canceledAt as Dict)
    );
  };

  /** Relay-style connection with id cursors and Linear's default page size of 50. */
  function page<T extends { id: string }, V>(items: T[], args: Dict, view: (t: T) => V) {
    const first = (args.first as number | undefined) ?? 50;
    if (first < 0)
      throw new GraphQLError('first must be positive', {
        extensions: { type: 'invalid input', code: 'INPUT_ERROR' },
      });
    let start = 0;
    if (args.after) {
      const at = items.findIndex((x) => x.id === args.after);
      if (at === -1)
        throw new GraphQLError('Invalid cursor', {
          extensions: {
            type: 'invalid input',
            code: 'INPUT_ERROR',
            userPresentableMessage: 'The pagination cursor is invalid.',
          },
        });
      start = at + 1;
    }
    const slice = items.slice(start, start + first);
    return {
      nodes: slice.map(view),
      pageInfo: {
        hasNextPage: start + first < items.length,
        hasPreviousPage: start > 0,
        startCursor: slice[0]?.id ?? null,
        endCursor: slice.at(-1)?.id ?? null,
      },
    };
  }
  const notFound = (what: string) =>
    new GraphQLError(`Entity not found: ${what}`, {
      extensions: {
        type: 'invalid input',
        code: 'INPUT_ERROR',
        userError: true,
        userPresentableMessage: `Could not find referenced ${what}.`,
      },
    });

  const userView = (u: User) => ({ ...u });
  const teamView = (t: Team) => ({
    ...t,
    states: (args: Dict) =>
      page(
        states.filter((s) => s.teamId === t.id && (!args.filter || stateMatch(args.filter as Dict, s))),
        args,
        stateView,
      ),
    labels: (args: Dict) =>
      page(
        labels.filter(
          (l) =>
            (l.teamId === t.id || l.teamId === null) && (!args.filter || labelMatch(args.filter as Dict, l)),
        ),
        args,
        labelView,
      ),
  });
  const stateView = (s: State) => ({ ...s, team: () => teamView(teamOf(s.teamId)) });
  const labelView = (l: Label) => ({
    id: l.id,
    name: l.name,
    team: () => (l.teamId ? teamView(teamOf(l.teamId)) : null),
  });
  const projectView = (p: Project) => ({
    ...p,
    url: `https://linear.app/example/project/${p.slugId}`,
    targetDate: null,
    lead: () => (p.leadId ? userView(users.find((u) => u.id === p.leadId)!) : null),
    teams: (args: Dict) =>
      page(
        teams.filter((t) => p.teamIds.includes(t.id)),
        args,
        teamView,
      ),
  });
  const cycleView = (c: Cycle) => ({
    ...c,
    isActive: Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt),
    isFuture: Date.parse(c.startsAt) > now,
    isPast: Date.parse(c.endsAt) <= now,
    team: () => teamView(teamOf(c.teamId)),
  });
  const commentView = (c: CommentRow) => ({
    id: c.id,
    body: c.body,
    createdAt: c.createdAt,
    url: `https://linear.app/example/issue/${identifier(issues.find((i) => i.id === c.issueId)!)}#comment-${c.id.slice(0, 8)}`,
    user: () => userView(users.find((u) => u.id === c.userId)!),
  });
  const issueView = (i: IssueRow) => ({
    id: i.id,
    identifier: identifier(i),
    title: i.title,
    description: i.description,
    url: `https://linear.app/example/issue/${identifier(i)}`,
    priority: i.priority,
    priorityLabel: PRIORITY_LABELS[i.priority],
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    completedAt: i.completedAt,
    canceledAt: i.canceledAt,
    state: () => stateView(states.find((s) => s.id === i.stateId)!),
    assignee: () => {
      const u = users.find((x) => x.id === i.assigneeId);
      return u ? userView(u) : null;
    },
    creator: () => userView(users.find((x) => x.id === i.creatorId)!),
    labels: (args: Dict) =>
      page(
        labels.filter((l) => i.labelIds.includes(l.id)),
        args,
        labelView,
      ),
    project: () => {
      const p = projects.find((x) => x.id === i.projectId);
      return p ? projectView(p) : null;
    },
    team: () => teamView(teamOf(i.teamId)),
    cycle: () => {
      const c = cycles.find((x) => x.id === i.cycleId);
      return c ? cycleView(c) : null;
    },
    comments: (args: Dict) =>
      page(
        comments.filter((c) => c.issueId === i.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        args,
        commentView,
      ),
  });
  const findIssue = (ref: string): IssueRow => {
    const found = issues.find(
      (i) => !i.archived && (i.id === ref || identifier(i).toLowerCase() === ref.toLowerCase()),
    );
    if (!found) throw notFound('Issue');
    return found;
  };
  const applyLabels = (current: string[], input: Dict): string[] => {
    let next = input.labelIds ? [...(input.labelIds as string[])] : [...current];
    for (const id of (input.addedLabelIds as string[] | undefined) ?? [])
      if (!next.includes(id)) next.push(id);
    next = next.filter((id) => !((input.removedLabelIds as string[] | undefined) ?? []).includes(id));
    for (const id of next) if (!labels.some((l) => l.id === id)) throw notFound('IssueLabel');
    return next;
  };
  const setState = (row: IssueRow, stateId: string) => {
    const s = states.find((x) => x.id === stateId && x.teamId === row.teamId);
    if (!s)
      throw new GraphQLError('Argument Validation Error', {
        extensions: {
          type: 'invalid input',
          code: 'INVALID_INPUT',
          userPresentableMessage: "The workflow state does not belong to the issue's team.",
        },
      });
    row.stateId = s.id;
    row.completedAt = s.type === 'completed' ? new Date().toISOString() : null;
    row.canceledAt = s.type === 'canceled' ? new Date().toISOString() : null;
  };

  const root = {
    viewer: () => userView(viewer),
    organization: () => ({ id: 'org-1', name: 'Example Inc', urlKey: 'example' }),
    issue: ({ id }: { id: string }) => issueView(findIssue(id)),
    issues: (args: Dict) => {
      const list = issues
        .filter((i) => !i.archived && (!args.filter || issueMatch(args.filter as Dict, i)))
        .sort(
          (a, b) =>
            (args.orderBy === 'createdAt'
              ? b.createdAt.localeCompare(a.createdAt)
              : b.updatedAt.localeCompare(a.updatedAt)) || b.number - a.number,
        );
      return page(list, args, issueView);
    },
    teams: (args: Dict) =>
      page(
        teams.filter((t) => !args.filter || teamMatch(args.filter as Dict, t)),
        args,
        teamView,
      ),
    workflowStates: (args: Dict) =>
      page(
        states.filter((s) => !args.filter || stateMatch(args.filter as Dict, s)),
        args,
        stateView,
      ),
    issueLabels: (args: Dict) =>
      page(
        labels.filter((l) => !args.filter || labelMatch(args.filter as Dict, l)),
        args,
        labelView,
      ),
    users: (args: Dict) =>
      page(
        users.filter((u) => !args.filter || userMatch(args.filter as Dict, u)),
        args,
        userView,
      ),
    projects: (args: Dict) =>
      page(
        projects.filter((p) => !args.filter || projectMatch(args.filter as Dict, p)),
        args,
        projectView,
      ),
    cycles: (args: Dict) =>
      page(
        cycles.filter((c) => !args.filter || cycleMatch(args.filter as Dict, c)),
        args,
        cycleView,
      ),
    issueCreate: ({ input }: { input: Dict }) => {
      const team = teams.find((t) => t.id === input.teamId);
      if (!team) throw notFound('Team');
      if (!input.title)
        throw new GraphQLError('Argument Validation Error', {
          extensions: {
            type: 'invalid input',
            code: 'INVALID_INPUT',
            userPresentableMessage: 'title must be a string',
          },
        });
      if (input.assigneeId && !users.some((u) => u.id === input.assigneeId)) throw notFound('User');
      if (input.projectId && !projects.some((p) => p.id === input.projectId)) throw notFound('Project');
      const row = addIssue({
        teamId: team.id,
        title: input.title as string,
        description: (input.description as string | undefined) ?? null,
        priority: (input.priority as number | undefined) ?? 0,
        assigneeId: (input.assigneeId as string | undefined) ?? null,
        projectId: (input.projectId as string | undefined) ?? null,
        labelIds: applyLabels([], input),
      });
      if (input.stateId) setState(row, input.stateId as string);
      return { success: true, lastSyncId: ++sync, issue: issueView(row) };
    },
    issueUpdate: ({ id, input }: { id: string; input: Dict }) => {
      const row = findIssue(id);
      if (input.title !== undefined) row.title = input.title as string;
      if (input.description !== undefined) row.description = input.description as string;
      if (input.priority !== undefined) row.priority = input.priority as number;
      if (input.assigneeId !== undefined) {
        if (input.assigneeId !== null && !users.some((u) => u.id === input.assigneeId))
          throw notFound('User');
        row.assigneeId = input.assigneeId as string | null;
      }
      if (input.stateId !== undefined) setState(row, input.stateId as string);
      row.labelIds = applyLabels(row.labelIds, input);
      row.updatedAt = new Date(Math.max(Date.now(), Date.parse(row.updatedAt) + 1)).toISOString();
      return { success: true, lastSyncId: ++sync, issue: issueView(row) };
    },
    commentCreate: ({ input }: { input: Dict }) => {
      const row = findIssue(input.issueId as string);
      if (!input.body)
        throw new GraphQLError('Argument Validation Error', {
          extensions: {
            type: 'invalid input',
            code: 'INVALID_INPUT',
            userPresentableMessage: 'body should not be empty',
          },
        });
      const c: CommentRow = {
        id: randomUUID(),
        issueId: row.id,
        body: input.body as string,
        userId: viewer.id,
        createdAt: new Date().toISOString(),
      };
      comments.push(c);
      return { success: true, lastSyncId: ++sync, comment: commentView(c) };
    },
    issueArchive: ({ id }: { id: string }) => {
      findIssue(id).archived = true;
      return { success: true, lastSyncId: ++sync };
    },
  };

  const faults = new Faults();
  const seen: string[] = [];
  const rateHeaders = (remaining: number, resetMs: number) => ({
    'x-ratelimit-requests-limit': '1500',
    'x-ratelimit-requests-remaining': String(remaining),
    'x-ratelimit-requests-reset': String(resetMs),
    'x-ratelimit-complexity-limit': '250000',
    'x-ratelimit-complexity-remaining': '249000',
    'x-ratelimit-complexity-reset': String(resetMs),
  });

  const http = await listen(async (req, res, raw) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return json(res, 404, { error: 'not found' });
    const auth = req.headers.authorization ?? '';
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return json(res, 400, {
        errors: [
          {
            message: 'POST body sent invalid JSON.',
            extensions: { type: 'graphql error', code: 'BAD_REQUEST' },
          },
        ],
      });
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const op = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    seen.push(`POST /graphql ${op}`);
    if (auth !== apiKey && auth !== `Bearer ${apiKey}`) {
      return json(res, 400, {
        errors: [
          {
            message: 'Authentication required, not authenticated',
            extensions: {
              type: 'authentication error',
              code: 'AUTHENTICATION_ERROR',
              statusCode: 401,
              userError: true,
              userPresentableMessage: 'You need to authenticate to access this operation.',
            },
          },
        ],
      });
    }
    const fault = faults.take(op);
    if (fault === 'rate_limit' || fault === 'rate_limit_long') {
      const reset = Date.now() + (fault === 'rate_limit' ? 300 : 3_600_000);
      return json(
        res,
        400,
        {
          errors: [
            {
              message: 'Rate limit exceeded',
              extensions: {
                type: 'ratelimited',
                code: 'RATELIMITED',
                statusCode: 429,
                userError: true,
                userPresentableMessage: 'Rate limit exceeded, please try again later.',
              },
            },
          ],
        },
        rateHeaders(0, reset),
      );
    }
    if (fault === 'unavailable')
      return json(res, 503, {
        errors: [{ message: 'Service unavailable', extensions: { type: 'internal error' } }],
      });
    if (fault === 'malformed')
      return json(res, 200, { data: { issues: { nodes: 'not-a-list' }, viewer: 42, issue: { id: 7 } } });
    if (fault === 'not_json')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    let document;
    try {
      document = parse(query);
    } catch (error) {
      return json(res, 400, {
        errors: [
          {
            message: (error as Error).message,
            extensions: { type: 'graphql error', code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      });
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      return json(res, 400, {
        errors: invalid.map((e) => ({
          message: e.message,
          extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED' },
        })),
      });
    }
    const result: ExecutionResult = await execute({
      schema,
      document,
      rootValue: root,
      variableValues: (body.variables ?? {}) as Dict,
    });
    const status = result.errors?.some((e) => /Variable "\$/.test(e.message)) ? 400 : 200;
    return json(
      res,
      status,
      { ...result, ...(result.errors && { errors: result.errors.map((e) => e.toJSON()) }) },
      rateHeaders(1499, Date.now() + 3_600_000),
    );
  });
  baseUrl.value = http.url;

  return {
    url: http.url,
    graphqlUrl: `${http.url}/graphql`,
    apiKey,
    faults,
    seen,
    seedIssues(count, title) {
      for (let n = 0; n < count; n++) addIssue({ teamId: 'team-eng', title: `${title} ${n + 1}` });
    },
    close: http.close,
  };
}
