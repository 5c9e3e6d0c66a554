/**
 * The Linear contract: every tool, prompt and failure mode of the `linear` pack, written once and run
 * against the local server (linear.test.ts) and, with LINEAR_API_KEY set, against Linear itself
 * (test/live/linear.test.ts). Cases that need failure injection run only where the target has it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PackSurface } from '@switchboard/integration-kit';
import type { LinearConfig } from '@switchboard/projects';

import { callContext, callTool, getPrompt, runId, type ContractTarget } from './support.js';

export interface LinearContractOptions {
  /** Team key to create issues in; the first team the key can see when omitted. */
  readonly team?: string;
  /** The target is a local server with failure injection: register those cases too. */
  readonly local?: boolean;
}

export function linearContract(
  makeTarget: () => Promise<ContractTarget<LinearConfig>>,
  options: LinearContractOptions = {},
): void {
  describe('linear pack contract', () => {
    let target: ContractTarget<LinearConfig>;
    let surface: PackSurface<LinearConfig>;
    const ctx = () => callContext(target.config, target.secrets, 'Product Linear');
    const tag = `sbct${runId()}`;
    const created: string[] = [];
    let team = options.team ?? '';
    let first = '';
    let second = '';

    beforeAll(async () => {
      target = await makeTarget();
      surface = await target.pack.surface(ctx());
      if (!team) {
        const teams = await callTool(surface, 'linear_list_teams', { limit: 5 }, ctx());
        team = ((teams.data.teams as { key: string }[])[0] ?? { key: '' }).key;
      }
    });

    afterAll(async () => {
      if (target) {
        await target.cleanup(created);
        await target.close?.();
      }
    });

    it('exposes the common tools, the Linear extras and three prompts, with schemas and permissions', () => {
      expect(surface.tools.map((t) => t.name)).toEqual([
        'linear_search_issues',
        'linear_get_issue',
        'linear_create_issue',
        'linear_update_issue',
        'linear_comment_on_issue',
        'linear_list_projects',
        'linear_my_open_issues',
        'linear_list_teams',
        'linear_list_cycles',
      ]);
      for (const tool of surface.tools) {
        expect(tool.description.length).toBeGreaterThan(80);
        expect(tool.outputSchema).toBeDefined();
        const write = /create|update|comment/.test(tool.name);
        expect(tool.permission).toBe(write ? 'write' : 'read');
        expect(tool.annotations.readOnlyHint).toBe(!write);
        expect(tool.annotations.openWorldHint).toBe(true);
      }
      expect(surface.prompts?.map((p) => p.name)).toEqual([
        'linear_bug_report_from_conversation',
        'linear_release_notes',
        'linear_triage_new_issues',
      ]);
    });

    it("test() signs in as the key's user, and reports a refused key as a reconnect, without the key", async () => {
      const ok = await target.pack.test!(ctx());
      expect(ok.ok).toBe(true);
      expect(ok.message).toMatch(/^Signed in to Linear \(.+\) as .+/);
      const bad = await target.pack.test!(callContext(target.config, target.badSecrets, 'Product Linear'));
      expect(bad.ok).toBe(false);
      expect(bad.message).toContain('must reconnect it');
      expect(bad.message).not.toContain(Object.values(target.badSecrets)[0]);
    });

    it('lists teams with states and labels, projects and cycles', async () => {
      const teams = await callTool(surface, 'linear_list_teams', {}, ctx());
      expect(teams.result.isError).toBeFalsy();
      const mine = (teams.data.teams as { key: string; states: { type: string }[] }[]).find(
        (t) => t.key === team,
      );
      expect(mine?.states.map((s) => s.type)).toEqual(
        expect.arrayContaining(['unstarted', 'started', 'completed']),
      );
      const projects = await callTool(surface, 'linear_list_projects', { limit: 5 }, ctx());
      expect(projects.result.isError).toBeFalsy();
      expect(Array.isArray(projects.data.projects)).toBe(true);
      const cycles = await callTool(surface, 'linear_list_cycles', { when: 'all', limit: 5 }, ctx());
      expect(cycles.result.isError).toBeFalsy();
      expect(Array.isArray(cycles.data.cycles)).toBe(true);
    });

    it('creates, reads, comments on, updates and finds an issue', async () => {
      const made = await callTool(
        surface,
        'linear_create_issue',
        {
          title: `${tag} checkout fails on Safari`,
          description: 'Steps:\n1. Add to cart\n2. Pay\n\nExpected: receipt.',
          team,
          priority: 'high',
        },
        ctx(),
      );
      expect(made.result.isError).toBeFalsy();
      const issue = made.data.issue as { key: string; priority: string; stateCategory: string; url: string };
      first = issue.key;
      created.push(first);
      expect(issue.key).toMatch(new RegExp(`^${team}-\\d+$`));
      expect(issue.priority).toBe('High');
      expect(made.text).toContain(`Created ${first}`);

      const commented = await callTool(
        surface,
        'linear_comment_on_issue',
        { issue: first, body: `Reproduced (${tag}).` },
        ctx(),
      );
      expect(commented.result.isError).toBeFalsy();

      const read = await callTool(surface, 'linear_get_issue', { issue: first }, ctx());
      const detail = read.data.issue as {
        title: string;
        description: string;
        comments: { body: string }[];
        reporter: unknown;
      };
      expect(detail.title).toBe(`${tag} checkout fails on Safari`);
      expect(detail.description).toContain('Add to cart');
      expect(detail.comments.map((c) => c.body)).toContain(`Reproduced (${tag}).`);
      expect(read.text).toContain('Comments (1');

      const updated = await callTool(
        surface,
        'linear_update_issue',
        {
          issue: first,
          state: 'started',
          assignee: 'me',
          priority: 'low',
          title: `${tag} checkout fails on Safari 17`,
        },
        ctx(),
      );
      expect(updated.result.isError).toBeFalsy();
      const after = updated.data.issue as {
        stateCategory: string;
        assignee: { id: string } | null;
        priority: string;
        title: string;
      };
      expect(after.stateCategory).toBe('in_progress');
      expect(after.assignee).not.toBeNull();
      expect(after.priority).toBe('Low');
      expect(after.title).toContain('Safari 17');

      const found = await callTool(
        surface,
        'linear_search_issues',
        { text: tag, state: 'open', assignee: 'me' },
        ctx(),
      );
      expect((found.data.issues as { key: string }[]).map((i) => i.key)).toContain(first);
      const mine = await callTool(surface, 'linear_my_open_issues', { limit: 50 }, ctx());
      expect(mine.result.isError).toBeFalsy();
      expect(mine.text).toContain('assigned to you');
    });

    it('adds and removes labels by name, and rejects an unknown one with the valid names', async () => {
      const teams = await callTool(surface, 'linear_list_teams', { query: team }, ctx());
      const label = ((teams.data.teams as { key: string; labels: string[] }[]).find((t) => t.key === team)
        ?.labels ?? [])[0];
      expect(label).toBeDefined();
      const added = await callTool(
        surface,
        'linear_update_issue',
        { issue: first, add_labels: [label!] },
        ctx(),
      );
      expect((added.data.issue as { labels: string[] }).labels).toContain(label);
      const removed = await callTool(
        surface,
        'linear_update_issue',
        { issue: first, remove_labels: [label!] },
        ctx(),
      );
      expect((removed.data.issue as { labels: string[] }).labels).not.toContain(label);
      const unknown = await callTool(
        surface,
        'linear_update_issue',
        { issue: first, add_labels: [`nope-${tag}`] },
        ctx(),
      );
      expect(unknown.result.isError).toBe(true);
      expect(unknown.text).toMatch(/unknown label.*labels available here: /);
    });

    it('paginates with cursors', async () => {
      const made = await callTool(
        surface,
        'linear_create_issue',
        { title: `${tag} second issue`, team },
        ctx(),
      );
      second = (made.data.issue as { key: string }).key;
      created.push(second);
      const p1 = await callTool(surface, 'linear_search_issues', { text: tag, limit: 1 }, ctx());
      expect((p1.data.issues as unknown[]).length).toBe(1);
      expect(p1.data.nextCursor).toEqual(expect.any(String));
      expect(p1.text).toContain('more available');
      const p2 = await callTool(
        surface,
        'linear_search_issues',
        { text: tag, limit: 1, cursor: p1.data.nextCursor },
        ctx(),
      );
      const keys = [...(p1.data.issues as { key: string }[]), ...(p2.data.issues as { key: string }[])].map(
        (i) => i.key,
      );
      expect(new Set(keys)).toEqual(new Set([first, second]));
    });

    it('explains invalid states, teams, users and missing issues', async () => {
      const state = await callTool(
        surface,
        'linear_update_issue',
        { issue: first, state: 'Waiting for Godot' },
        ctx(),
      );
      expect(state.result.isError).toBe(true);
      expect(state.text).toMatch(/has no state "Waiting for Godot"; its states are: .*Todo/);
      const teamErr = await callTool(surface, 'linear_create_issue', { title: 'x', team: `ZZ${tag}` }, ctx());
      expect(teamErr.text).toMatch(/no team "ZZ.*"; teams are: /);
      const missing = await callTool(surface, 'linear_get_issue', { issue: `${team}-999999` }, ctx());
      expect(missing.result.isError).toBe(true);
      expect(missing.text).toMatch(/^Not found in Linear/);
      const args = await callTool(surface, 'linear_update_issue', { issue: first }, ctx());
      expect(args.text).toContain('give at least one field');
    });

    it('reports refused credentials on a tool call as a reconnect, never echoing the key', async () => {
      const denied = await callTool(
        surface,
        'linear_search_issues',
        { text: 'x' },
        callContext(target.config, target.badSecrets, 'Product Linear'),
      );
      expect(denied.result.isError).toBe(true);
      expect(denied.text).toContain('"Product Linear" connection');
      expect(denied.text).toContain('A tenant admin must reconnect it');
      expect(denied.text).not.toContain(Object.values(target.badSecrets)[0]);
    });

    it('ships prompts that read the tracker, and completes team names', async () => {
      const bug = await getPrompt(surface, 'linear_bug_report_from_conversation', { team }, ctx());
      expect(bug.text).toContain('linear_search_issues');
      expect(bug.text).toContain(`team "${team}"`);
      const notes = await getPrompt(surface, 'linear_release_notes', { team, since: '2000-01-01' }, ctx());
      expect(notes.text).toMatch(/Draft release notes/);
      const triage = await getPrompt(surface, 'linear_triage_new_issues', { team }, ctx());
      expect(triage.text).toContain('open, unassigned');
      const arg = surface
        .prompts!.find((p) => p.name === 'linear_triage_new_issues')!
        .arguments.find((a) => a.name === 'team')!;
      expect(await arg.complete!(team.slice(0, 1))).toContain(team);
    });

    // A real vendor cannot be made to fail on cue; these cases exist only where the target can.
    if (!options.local) return;
    describe('failure injection (local server)', () => {
      const local = () => {
        if (!target.local) throw new Error('the target has no failure injection');
        return target.local;
      };

      it('waits out a RATELIMITED answer and retries, within bounds', async () => {
        local().faults.add({ kind: 'rate_limit', match: /^Issues$/, times: 1 });
        const before = local().seen.length;
        const ok = await callTool(surface, 'linear_search_issues', { text: tag }, ctx());
        expect(ok.result.isError).toBeFalsy();
        expect(local().seen.slice(before)).toEqual(['POST /graphql Issues', 'POST /graphql Issues']);
      });

      it('gives up on a long rate-limit window with the wait, and fails fast until it passes', async () => {
        const c = ctx();
        local().faults.add({ kind: 'rate_limit_long', match: /^Issues$/, times: 1 });
        const limited = await callTool(surface, 'linear_search_issues', { text: tag }, c);
        expect(limited.result.isError).toBe(true);
        expect(limited.text).toMatch(
          /Linear is rate limiting the "Product Linear" connection; try again in about \d+ s/,
        );
        const before = local().seen.length;
        const again = await callTool(surface, 'linear_search_issues', { text: tag }, c);
        expect(again.text).toMatch(/rate limiting/);
        expect(local().seen.length).toBe(before);
      });

      it('retries a query after a 503 but never a mutation', async () => {
        local().faults.add({ kind: 'unavailable', match: /^Issues$/, times: 1 });
        const q = await callTool(surface, 'linear_search_issues', { text: tag }, ctx());
        expect(q.result.isError).toBeFalsy();
        local().faults.add({ kind: 'unavailable', match: /^CommentCreate$/, times: 1 });
        const before = local().seen.length;
        const m = await callTool(surface, 'linear_comment_on_issue', { issue: first, body: 'once' }, ctx());
        expect(m.result.isError).toBe(true);
        expect(m.text).toMatch(/did not answer properly/);
        expect(
          local()
            .seen.slice(before)
            .filter((s) => s.endsWith('CommentCreate')),
        ).toHaveLength(1);
      });

      it('reports malformed and non-JSON answers as unreadable', async () => {
        local().faults.add({ kind: 'malformed', match: /^Issues$/, times: 1 });
        const bad = await callTool(surface, 'linear_search_issues', { text: tag }, ctx());
        expect(bad.result.isError).toBe(true);
        expect(bad.text).toMatch(/sent a response Switchboard could not read \(issues: nodes/);
        local().faults.add({ kind: 'not_json', match: /^IssueDetail$/, times: 1 });
        const html = await callTool(surface, 'linear_get_issue', { issue: first }, ctx());
        expect(html.text).toMatch(/could not read \(a response that is not JSON\)/);
      });
    });
  });
}
