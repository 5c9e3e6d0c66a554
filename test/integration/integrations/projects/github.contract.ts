/**
 * The GitHub Issues contract: every tool, prompt and failure mode of the `github-issues` pack, run against
 * the local API (github.test.ts) and, with GITHUB_TOKEN and GITHUB_REPOSITORY set, against GitHub
 * (test/live/github.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PackSurface } from '@switchboard/integration-kit';
import type { GithubConfig } from '@switchboard/projects';

import {
  callContext,
  callTool,
  eventually,
  getPrompt,
  runId,
  type ContractTarget,
  type ToolCall,
} from './support.js';

export interface GithubContractOptions {
  /** owner/name the token may write issues in; the connection is limited to it. */
  readonly repository: string;
  /** A label that exists in that repository. */
  readonly label?: string;
  readonly local?: boolean;
}

const keys = (call: ToolCall) => (call.data.issues as { key: string }[]).map((i) => i.key);

export function githubContract(
  makeTarget: () => Promise<ContractTarget<GithubConfig>>,
  options: GithubContractOptions,
): void {
  describe('github-issues pack contract', () => {
    let target: ContractTarget<GithubConfig>;
    let surface: PackSurface<GithubConfig>;
    const ctx = () => callContext(target.config, target.secrets, 'Web GitHub');
    const tag = `sbct${runId()}`;
    const created: string[] = [];
    const repo = options.repository;
    let first = '';
    let login = '';

    beforeAll(async () => {
      target = await makeTarget();
      surface = await target.pack.surface(ctx());
    });

    afterAll(async () => {
      if (target) {
        await target.cleanup(created);
        await target.close?.();
      }
    });

    it('exposes the common tools (without priority), milestones, and three prompts', () => {
      expect(surface.tools.map((t) => t.name)).toEqual([
        'github_search_issues',
        'github_get_issue',
        'github_create_issue',
        'github_update_issue',
        'github_comment_on_issue',
        'github_list_projects',
        'github_my_open_issues',
        'github_list_milestones',
      ]);
      const create = surface.tools.find((t) => t.name === 'github_create_issue')!;
      const schema = create.inputSchema['~standard'].jsonSchema.input({ target: 'draft-07' }) as {
        properties: Record<string, unknown>;
      };
      expect(Object.keys(schema.properties)).not.toContain('priority');
      expect(surface.prompts?.map((p) => p.name)).toEqual([
        'github_bug_report_from_conversation',
        'github_release_notes',
        'github_triage_new_issues',
      ]);
    });

    it('test() reads the authenticated user; a bad token is a reconnect, not echoed', async () => {
      const ok = await target.pack.test!(ctx());
      expect(ok.ok).toBe(true);
      login = String(ok.details?.account ?? '');
      expect(ok.message).toMatch(/^Signed in to GitHub \(.+\) as /);
      const bad = await target.pack.test!(callContext(target.config, target.badSecrets, 'Web GitHub'));
      expect(bad.ok).toBe(false);
      expect(bad.message).toContain('must reconnect it');
      expect(bad.message).not.toContain(target.badSecrets.token);
    });

    it('lists the repositories the connection is limited to, and milestones', async () => {
      const repos = await callTool(surface, 'github_list_projects', {}, ctx());
      expect((repos.data.projects as { key: string }[]).map((p) => p.key)).toEqual([repo]);
      const ms = await callTool(surface, 'github_list_milestones', { project: repo, state: 'all' }, ctx());
      expect(ms.result.isError).toBeFalsy();
      expect(ms.data.repository).toBe(repo);
    });

    it('creates, reads, comments on, updates, closes and finds an issue', async () => {
      const made = await callTool(
        surface,
        'github_create_issue',
        {
          title: `${tag} README link is broken`,
          description: 'The *Install* link 404s.',
          project: repo,
          assignee: 'me',
          ...(options.label && { labels: [options.label] }),
        },
        ctx(),
      );
      expect(made.result.isError).toBeFalsy();
      const issue = made.data.issue as {
        key: string;
        assignee: { id: string } | null;
        stateCategory: string;
        priority: unknown;
      };
      first = issue.key;
      created.push(first);
      expect(first).toMatch(new RegExp(`^${repo}#\\d+$`));
      expect(issue.assignee?.id).toBeTruthy();
      expect(issue.priority).toBeNull();

      expect(
        (
          await callTool(
            surface,
            'github_comment_on_issue',
            { issue: first, body: `Confirmed (${tag}).` },
            ctx(),
          )
        ).result.isError,
      ).toBeFalsy();
      const read = await callTool(surface, 'github_get_issue', { issue: first }, ctx());
      const detail = read.data.issue as { description: string; comments: { body: string }[] };
      expect(detail.description).toContain('Install');
      expect(detail.comments.map((c) => c.body)).toEqual([`Confirmed (${tag}).`]);

      const titled = await callTool(
        surface,
        'github_update_issue',
        { issue: first, title: `${tag} README install link is broken`, assignee: 'none' },
        ctx(),
      );
      expect((titled.data.issue as { assignee: unknown; title: string }).assignee).toBeNull();

      const found = await eventually(
        () => callTool(surface, 'github_search_issues', { text: tag, state: 'open', project: repo }, ctx()),
        (c) => keys(c).includes(first),
      );
      expect(keys(found)).toContain(first);

      const closed = await callTool(
        surface,
        'github_update_issue',
        { issue: first, state: 'not planned' },
        ctx(),
      );
      expect((closed.data.issue as { stateCategory: string; state: string }).stateCategory).toBe('canceled');
      const reopened = await callTool(
        surface,
        'github_update_issue',
        { issue: first, state: 'open', assignee: 'me' },
        ctx(),
      );
      expect((reopened.data.issue as { stateCategory: string }).stateCategory).toBe('open');
      const mine = await eventually(
        () => callTool(surface, 'github_my_open_issues', { project: repo, limit: 50 }, ctx()),
        (c) => keys(c).includes(first),
      );
      expect(keys(mine)).toContain(first);
      expect(login).not.toBe('');
    });

    it('adds and removes labels while keeping the others', async () => {
      const added = await callTool(
        surface,
        'github_update_issue',
        { issue: first, add_labels: [`${tag}-a`, `${tag}-b`] },
        ctx(),
      );
      expect((added.data.issue as { labels: string[] }).labels).toEqual(
        expect.arrayContaining([`${tag}-a`, `${tag}-b`]),
      );
      const removed = await callTool(
        surface,
        'github_update_issue',
        { issue: first, remove_labels: [`${tag}-a`] },
        ctx(),
      );
      const labels = (removed.data.issue as { labels: string[] }).labels;
      expect(labels).toContain(`${tag}-b`);
      expect(labels).not.toContain(`${tag}-a`);
    });

    it('paginates search results', async () => {
      const second = await callTool(
        surface,
        'github_create_issue',
        { title: `${tag} second`, project: repo },
        ctx(),
      );
      created.push((second.data.issue as { key: string }).key);
      const p1 = await eventually(
        () => callTool(surface, 'github_search_issues', { text: tag, project: repo, limit: 1 }, ctx()),
        (c) => c.data.total === 2,
      );
      expect(p1.data.nextCursor).toBe('2');
      const p2 = await callTool(
        surface,
        'github_search_issues',
        { text: tag, project: repo, limit: 1, cursor: '2' },
        ctx(),
      );
      expect(new Set([...keys(p1), ...keys(p2)]).size).toBe(2);
    });

    it('keeps the connection to its repositories, and explains bad references and states', async () => {
      const other = await callTool(surface, 'github_get_issue', { issue: 'torvalds/linux#1' }, ctx());
      expect(other.text).toMatch(/connection is limited to/);
      const escape = await callTool(
        surface,
        'github_search_issues',
        { text: 'repo:torvalds/linux x' },
        ctx(),
      );
      expect(escape.result.isError).toBeFalsy();
      expect(keys(escape).every((k) => k.startsWith(`${repo}#`))).toBe(true);
      const bad = await callTool(surface, 'github_get_issue', { issue: 'not an issue' }, ctx());
      expect(bad.text).toContain('is not an issue reference');
      const state = await callTool(
        surface,
        'github_update_issue',
        { issue: first, state: 'In Review' },
        ctx(),
      );
      expect(state.text).toMatch(/can be "open", "closed"/);
      const missing = await callTool(surface, 'github_get_issue', { issue: `${repo}#99999999` }, ctx());
      expect(missing.text).toMatch(/^Not found in GitHub/);
    });

    it('reports a refused token on a tool call as a reconnect, never echoing it', async () => {
      const denied = await callTool(
        surface,
        'github_search_issues',
        { text: 'x' },
        callContext(target.config, target.badSecrets, 'Web GitHub'),
      );
      expect(denied.text).toContain('A tenant admin must reconnect it');
      expect(denied.text).not.toContain(target.badSecrets.token);
    });

    it('ships prompts that read issues, and completes repositories', async () => {
      const triage = await getPrompt(surface, 'github_triage_new_issues', { project: repo }, ctx());
      expect(triage.text).toContain('github_update_issue');
      expect(triage.text).not.toContain('a priority,');
      const notes = await getPrompt(
        surface,
        'github_release_notes',
        { project: repo, since: '2000-01-01' },
        ctx(),
      );
      expect(notes.text).toContain('Draft release notes');
      const arg = surface
        .prompts!.find((p) => p.name === 'github_release_notes')!
        .arguments.find((a) => a.name === 'project')!;
      expect(await arg.complete!(repo.split('/')[1]!.slice(0, 3))).toEqual([repo]);
    });

    if (!options.local) return;
    describe('failure injection (local server)', () => {
      const local = () => {
        if (!target.local) throw new Error('the target has no failure injection');
        return target.local;
      };

      it('waits for x-ratelimit-reset after a primary rate limit and retries', async () => {
        local().faults.add({ kind: 'rate_limit', match: /^GET \/search\/issues$/, times: 1 });
        const before = local().seen.length;
        const ok = await callTool(surface, 'github_search_issues', { text: tag, project: repo }, ctx());
        expect(ok.result.isError).toBeFalsy();
        expect(local().seen.slice(before)).toEqual(['GET /search/issues', 'GET /search/issues']);
      });

      it('gives up on a long secondary limit with its Retry-After', async () => {
        local().faults.add({ kind: 'rate_limit_long', match: /^POST .*\/comments$/, times: 1 });
        const limited = await callTool(
          surface,
          'github_comment_on_issue',
          { issue: first, body: 'x' },
          ctx(),
        );
        expect(limited.text).toMatch(
          /GitHub is rate limiting the "Web GitHub" connection; try again in about 3600 s/,
        );
      });

      it('retries a GET after a 502 but not a POST', async () => {
        local().faults.add({ kind: 'unavailable', match: /^GET \/user$/, times: 1 });
        expect((await target.pack.test!(ctx())).ok).toBe(true);
        local().faults.add({ kind: 'unavailable', match: /^POST .*\/comments$/, times: 1 });
        const before = local().seen.length;
        const failed = await callTool(
          surface,
          'github_comment_on_issue',
          { issue: first, body: 'once' },
          ctx(),
        );
        expect(failed.text).toMatch(/did not answer properly \(HTTP 502\)/);
        expect(local().seen.slice(before)).toHaveLength(1);
      });

      it('reports malformed answers as unreadable', async () => {
        local().faults.add({ kind: 'malformed', match: /^GET \/search\/issues$/, times: 1 });
        const bad = await callTool(surface, 'github_search_issues', { text: tag, project: repo }, ctx());
        expect(bad.text).toMatch(/could not read \(search: items\.0\./);
      });
    });
  });
}
