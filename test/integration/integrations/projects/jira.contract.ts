/**
 * The Jira Cloud contract: every tool, prompt and failure mode of the `jira` pack, run against the local
 * site (jira.test.ts) and, with JIRA_* set, against a real site (test/live/jira.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PackSurface } from '@switchboard/integration-kit';
import type { JiraConfig } from '@switchboard/projects';

import { callContext, callTool, getPrompt, runId, type ContractTarget } from './support.js';

export interface JiraContractOptions {
  /** Project key to create issues in. */
  readonly project: string;
  /** Issue type that project accepts. */
  readonly issueType?: string;
  readonly local?: boolean;
}

export function jiraContract(
  makeTarget: () => Promise<ContractTarget<JiraConfig>>,
  options: JiraContractOptions,
): void {
  describe('jira pack contract', () => {
    let target: ContractTarget<JiraConfig>;
    let surface: PackSurface<JiraConfig>;
    const ctx = () => callContext(target.config, target.secrets, 'Support Jira');
    const tag = `sbct${runId()}`;
    const created: string[] = [];
    const project = options.project;
    let first = '';

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

    it('exposes the common tools, JQL and sprints, and three prompts', () => {
      expect(surface.tools.map((t) => t.name)).toEqual([
        'jira_search_issues',
        'jira_get_issue',
        'jira_create_issue',
        'jira_update_issue',
        'jira_comment_on_issue',
        'jira_list_projects',
        'jira_my_open_issues',
        'jira_search_jql',
        'jira_list_sprints',
      ]);
      for (const tool of surface.tools) {
        const write = /create|update|comment/.test(tool.name);
        expect(tool.permission).toBe(write ? 'write' : 'read');
        expect(tool.outputSchema).toBeDefined();
      }
      expect(surface.prompts?.map((p) => p.name)).toEqual([
        'jira_bug_report_from_conversation',
        'jira_release_notes',
        'jira_triage_new_issues',
      ]);
    });

    it('test() reads /myself, and a refused token is a reconnect without the token', async () => {
      const ok = await target.pack.test!(ctx());
      expect(ok).toMatchObject({ ok: true });
      expect(ok.message).toMatch(/^Signed in to Jira \(.+\) as /);
      const bad = await target.pack.test!(callContext(target.config, target.badSecrets, 'Support Jira'));
      expect(bad.ok).toBe(false);
      expect(bad.message).toContain('must reconnect it');
      expect(bad.message).not.toContain(target.badSecrets.api_token);
    });

    it('lists projects with issue types, and sprints of the scrum board', async () => {
      const projects = await callTool(surface, 'jira_list_projects', { query: project }, ctx());
      expect(projects.result.isError).toBeFalsy();
      const mine = (projects.data.projects as { key: string; details: Record<string, string> }[]).find(
        (p) => p.key === project,
      );
      expect(mine?.details.issueTypes).toEqual(expect.any(String));
      const sprints = await callTool(surface, 'jira_list_sprints', { project, state: 'all' }, ctx());
      expect(sprints.result.isError).toBeFalsy();
      expect(Array.isArray(sprints.data.sprints)).toBe(true);
    });

    it('creates, reads, comments on, updates, transitions and finds an issue', async () => {
      const made = await callTool(
        surface,
        'jira_create_issue',
        {
          title: `${tag} Export to CSV times out`,
          description: 'Steps:\n1. Open reports\n2. Export\n\n```\nHTTP 504\n```',
          project,
          ...(options.issueType && { issue_type: options.issueType }),
          labels: ['needs triage'],
          priority: 'High',
        },
        ctx(),
      );
      expect(made.result.isError).toBeFalsy();
      const issue = made.data.issue as {
        key: string;
        labels: string[];
        priority: string;
        stateCategory: string;
      };
      first = issue.key;
      created.push(first);
      expect(first).toMatch(new RegExp(`^${project}-\\d+$`));
      expect(issue.labels).toEqual(['needs-triage']);
      expect(issue.priority).toBe('High');
      expect(issue.stateCategory).toBe('open');

      const c = await callTool(
        surface,
        'jira_comment_on_issue',
        { issue: first, body: `Seen again (${tag}).` },
        ctx(),
      );
      expect(c.result.isError).toBeFalsy();
      const read = await callTool(surface, 'jira_get_issue', { issue: first }, ctx());
      const detail = read.data.issue as { description: string; comments: { body: string }[] };
      expect(detail.description).toContain('Open reports');
      expect(detail.description).toContain('HTTP 504');
      expect(detail.comments.map((x) => x.body)).toContain(`Seen again (${tag}).`);

      const moved = await callTool(
        surface,
        'jira_update_issue',
        {
          issue: first,
          state: 'In Progress',
          assignee: 'me',
          add_labels: ['customer'],
          remove_labels: ['needs triage'],
        },
        ctx(),
      );
      expect(moved.result.isError).toBeFalsy();
      const after = moved.data.issue as { stateCategory: string; assignee: unknown; labels: string[] };
      expect(after.stateCategory).toBe('in_progress');
      expect(after.assignee).not.toBeNull();
      expect(after.labels).toEqual(['customer']);

      const found = await callTool(
        surface,
        'jira_search_issues',
        { text: tag, project, state: 'open', assignee: 'me' },
        ctx(),
      );
      expect((found.data.issues as { key: string }[]).map((i) => i.key)).toContain(first);
      const jql = await callTool(
        surface,
        'jira_search_jql',
        { jql: `project = ${project} AND text ~ "${tag}" ORDER BY created DESC` },
        ctx(),
      );
      expect((jql.data.issues as { key: string }[]).map((i) => i.key)).toContain(first);
      const mine = await callTool(surface, 'jira_my_open_issues', { project }, ctx());
      expect((mine.data.issues as { key: string }[]).map((i) => i.key)).toContain(first);
    });

    it('paginates search results with nextPageToken', async () => {
      const second = await callTool(
        surface,
        'jira_create_issue',
        { title: `${tag} second`, project, ...(options.issueType && { issue_type: options.issueType }) },
        ctx(),
      );
      created.push((second.data.issue as { key: string }).key);
      const p1 = await callTool(
        surface,
        'jira_search_jql',
        { jql: `project = ${project} AND text ~ "${tag}"`, limit: 1 },
        ctx(),
      );
      expect((p1.data.issues as unknown[]).length).toBe(1);
      expect(p1.data.nextCursor).toEqual(expect.any(String));
      const p2 = await callTool(
        surface,
        'jira_search_jql',
        { jql: `project = ${project} AND text ~ "${tag}"`, limit: 1, cursor: p1.data.nextCursor },
        ctx(),
      );
      const keys = [p1, p2].flatMap((p) => (p.data.issues as { key: string }[]).map((i) => i.key));
      expect(new Set(keys).size).toBe(2);
    });

    it('explains invalid transitions, bad keys, missing issues and rejected fields', async () => {
      const bad = await callTool(
        surface,
        'jira_update_issue',
        { issue: first, state: 'Waiting for Godot' },
        ctx(),
      );
      expect(bad.result.isError).toBe(true);
      expect(bad.text).toMatch(/cannot move to "Waiting for Godot".*it can move to: /);
      const key = await callTool(surface, 'jira_get_issue', { issue: '../../rest/api/3/myself' }, ctx());
      expect(key.text).toContain('is not a Jira issue key');
      const missing = await callTool(surface, 'jira_get_issue', { issue: `${project}-999999` }, ctx());
      expect(missing.text).toMatch(/^Not found in Jira/);
      const prio = await callTool(
        surface,
        'jira_update_issue',
        { issue: first, priority: 'Apocalyptic' },
        ctx(),
      );
      expect(prio.text).toMatch(/^Jira rejected the request: .*priority/i);
      const jql = await callTool(surface, 'jira_search_jql', { jql: 'nosuchfield = 1' }, ctx());
      expect(jql.text).toMatch(/^Jira rejected the request: .*nosuchfield/i);
    });

    it('closes an issue through the workflow', async () => {
      const done = await callTool(surface, 'jira_update_issue', { issue: first, state: 'closed' }, ctx());
      expect((done.data.issue as { stateCategory: string }).stateCategory).toBe('done');
    });

    it('reports refused credentials on a tool call as a reconnect, never echoing them', async () => {
      const denied = await callTool(
        surface,
        'jira_list_projects',
        {},
        callContext(target.config, target.badSecrets, 'Support Jira'),
      );
      expect(denied.result.isError).toBe(true);
      expect(denied.text).toContain('A tenant admin must reconnect it');
      expect(denied.text).not.toContain(target.badSecrets.api_token);
    });

    it('ships prompts that read closed and new issues, and completes project keys', async () => {
      const notes = await getPrompt(
        surface,
        'jira_release_notes',
        { project, since: '2000-01-01', version: '2.4' },
        ctx(),
      );
      expect(notes.text).toContain(first);
      const triage = await getPrompt(surface, 'jira_triage_new_issues', { project }, ctx());
      expect(triage.text).toContain('jira_update_issue');
      const bug = await getPrompt(
        surface,
        'jira_bug_report_from_conversation',
        { project, summary: 'login loops' },
        ctx(),
      );
      expect(bug.text).toContain('login loops');
      const arg = surface
        .prompts!.find((p) => p.name === 'jira_release_notes')!
        .arguments.find((a) => a.name === 'project')!;
      expect(await arg.complete!(project.slice(0, 2))).toContain(project);
    });

    if (!options.local) return;
    describe('failure injection (local server)', () => {
      const local = () => {
        if (!target.local) throw new Error('the target has no failure injection');
        return target.local;
      };

      it('honours Retry-After on 429 and retries', async () => {
        local().faults.add({ kind: 'rate_limit', match: /search\/jql$/, times: 1 });
        const before = local().seen.length;
        const ok = await callTool(surface, 'jira_search_issues', { project }, ctx());
        expect(ok.result.isError).toBeFalsy();
        expect(local().seen.slice(before)).toEqual([
          'GET /rest/api/3/search/jql',
          'GET /rest/api/3/search/jql',
        ]);
      });

      it('retries a rate-limited POST (it was not processed) but not a 503 on POST', async () => {
        local().faults.add({ kind: 'rate_limit', match: /^POST .*\/comment$/, times: 1 });
        const ok = await callTool(
          surface,
          'jira_comment_on_issue',
          { issue: first, body: 'after a 429' },
          ctx(),
        );
        expect(ok.result.isError).toBeFalsy();
        local().faults.add({ kind: 'unavailable', match: /^POST .*\/comment$/, times: 1 });
        const failed = await callTool(
          surface,
          'jira_comment_on_issue',
          { issue: first, body: 'after a 503' },
          ctx(),
        );
        expect(failed.text).toMatch(/did not answer properly \(HTTP 503\)/);
      });

      it('gives up on a long Retry-After with the wait', async () => {
        local().faults.add({ kind: 'rate_limit_long', match: /myself$/, times: 1 });
        const limited = await target.pack.test!(ctx());
        expect(limited.ok).toBe(false);
        expect(limited.message).toMatch(/rate limiting .*try again in about 3600 s/);
      });

      it('reports malformed answers as unreadable', async () => {
        local().faults.add({ kind: 'malformed', match: /search\/jql$/, times: 1 });
        const bad = await callTool(surface, 'jira_search_issues', { project }, ctx());
        expect(bad.text).toMatch(/could not read \(search issue: /);
        local().faults.add({ kind: 'not_json', match: /search\/jql$/, times: 1 });
        const html = await callTool(surface, 'jira_my_open_issues', { project }, ctx());
        expect(html.text).toMatch(
          /could not read \(a response to GET \/rest\/api\/3\/search\/jql that is not JSON\)/,
        );
      });
    });
  });
}
