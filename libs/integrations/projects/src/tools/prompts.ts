import type { GetPromptResult } from '@modelcontextprotocol/server';
import type { CallContext, ConnectionContext, PromptDefinition } from '@switchboard/integration-kit';

import type { IssueSummary } from '../core/model.js';
import { findTrackerError, sessionContext, type TrackerDeps, type TrackerVendor } from '../core/runtime.js';
import { describeTrackerError, scrubSecrets, TrackerError } from '../core/tracker.errors.js';
import type { IssueQuery, TrackerSession } from '../core/tracker.js';
import { issueLine } from './render.js';

const DAY_MS = 86_400_000;
/** Issues embedded in one prompt at most (two pages). */
const MAX_PROMPT_ISSUES = 100;
const COMPLETION_TTL_MS = 60_000;

function isoDate(value: string | undefined, fallbackDaysAgo: number): string {
  if (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  return new Date(Date.now() - fallbackDaysAgo * DAY_MS).toISOString().slice(0, 10);
}

function userMessage(text: string): GetPromptResult['messages'][number] {
  return { role: 'user', content: { type: 'text', text } };
}

/** Reads up to MAX_PROMPT_ISSUES issues, following cursors. */
async function collect(
  session: TrackerSession,
  query: Omit<IssueQuery, 'limit' | 'cursor'>,
): Promise<{ issues: IssueSummary[]; more: boolean }> {
  const issues: IssueSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await session.searchIssues({ ...query, limit: 50, cursor });
    issues.push(...page.items);
    if (page.nextCursor === null) return { issues, more: false };
    if (issues.length >= MAX_PROMPT_ISSUES) return { issues: issues.slice(0, MAX_PROMPT_ISSUES), more: true };
    cursor = page.nextCursor;
  }
}

/**
 * Completion for project (or team) arguments: names the connection can see, cached briefly per connection so
 * typing does not turn into a request per keystroke. Failures complete to nothing.
 */
function completer<Config>(
  vendor: TrackerVendor<Config>,
  deps: TrackerDeps,
  ctx: ConnectionContext,
  kind: 'project' | 'team',
): (value: string) => Promise<string[]> {
  let cache: { at: number; names: string[] } | null = null;
  return async (value) => {
    try {
      if (!cache || Date.now() - cache.at > COMPLETION_TTL_MS) {
        const config = vendor.parseConfig(ctx.config);
        const { session } = await vendor.open(deps, sessionContext(ctx, config, AbortSignal.timeout(10_000)));
        const names = session.suggest
          ? await session.suggest(kind)
          : (await session.listProjects({ limit: 50 })).items.map((p) => p.key ?? p.name);
        cache = { at: Date.now(), names };
      }
      const needle = value.toLowerCase();
      return cache.names.filter((n) => n.toLowerCase().includes(needle)).slice(0, 50);
    } catch {
      return [];
    }
  };
}

/**
 * Runs a prompt's reads; a tracker failure becomes part of the prompt's text (the user still gets a useful
 * message) rather than an opaque protocol error.
 */
async function withSession<Config>(
  vendor: TrackerVendor<Config>,
  deps: TrackerDeps,
  ctx: CallContext<Config>,
  fn: (session: TrackerSession) => Promise<string>,
): Promise<string> {
  let secrets: readonly string[] = [];
  try {
    const config = vendor.parseConfig(ctx.config);
    const opened = await vendor.open(deps, sessionContext(ctx, config, ctx.signal));
    secrets = opened.secretValues;
    return await fn(opened.session);
  } catch (error) {
    const mapped = findTrackerError(error) ?? vendor.mapError(error);
    if (mapped === null) throw error;
    const safe = new TrackerError(
      mapped.kind,
      scrubSecrets(mapped.message, secrets),
      mapped.retryAfterSeconds,
    );
    return `(Could not read issues: ${describeTrackerError(safe, { vendor: vendor.profile.name, connectionName: ctx.connectionName })})`;
  }
}

export function trackerPrompts<Config>(
  vendor: TrackerVendor<Config>,
  deps: TrackerDeps,
  ctx: ConnectionContext<Config>,
): PromptDefinition<Config>[] {
  const p = vendor.profile;
  const t = (suffix: string) => `${p.prefix}_${suffix}`;
  const scopeArg = p.hasTeams ? 'team' : 'project';
  const scopeWord = p.hasTeams ? 'team' : p.prefix === 'github' ? 'repository' : 'project';
  const scopeArgument = {
    name: scopeArg,
    description: `The ${scopeWord} (${p.hasTeams ? 'key or name' : (p.projectHelp.split('.')[0]?.toLowerCase() ?? 'key')}).`,
    complete: completer(vendor, deps, ctx as ConnectionContext, p.hasTeams ? 'team' : 'project'),
  };
  const scopeFilter = (args: Record<string, string>) =>
    p.hasTeams ? { team: args[scopeArg] || undefined } : { project: args[scopeArg] || undefined };

  return [
    {
      name: t('bug_report_from_conversation'),
      title: `Create a ${p.name} bug report from this conversation`,
      description: `Turns the problem discussed in this conversation into a well-formed ${p.name} bug report, checks for duplicates and files it once you confirm.`,
      arguments: [
        {
          name: 'summary',
          description: 'Optional: the problem in one sentence, if the conversation is long.',
        },
        { ...scopeArgument, description: `${scopeArgument.description} Where to file it.` },
      ],
      permission: 'write',
      get: async (args) => ({
        description: `Bug report for ${p.name}`,
        messages: [
          userMessage(
            [
              `Write a bug report for ${p.name} from our conversation${args.summary ? ` about: ${args.summary}` : ''}.`,
              '',
              '1. Draft it with: a specific title (symptom + where), what happened, steps to reproduce, expected vs actual behaviour, environment/version, and impact. Quote error messages exactly. Leave out secrets, tokens and personal data.',
              `2. Before filing, search for duplicates with ${t('search_issues')} using the key words of the title (state "open"). If one matches, show it and suggest commenting on it with ${t('comment_on_issue')} instead.`,
              `3. Show me the draft and ask for confirmation. Only then create it with ${t('create_issue')}${args[scopeArg] ? ` in ${scopeWord} "${args[scopeArg]}"` : ` (ask me which ${scopeWord} if unclear)`} and the label "bug" if that label exists, and tell me its key and link.`,
            ].join('\n'),
          ),
        ],
      }),
    },
    {
      name: t('release_notes'),
      title: `Draft release notes from closed ${p.name} issues`,
      description: `Reads the ${p.name} issues closed since a date and drafts release notes grouped by theme.`,
      arguments: [
        { ...scopeArgument, description: `${scopeArgument.description} Leave empty for all.` },
        { name: 'since', description: 'First day to include, YYYY-MM-DD (default: 14 days ago).' },
        { name: 'version', description: 'Optional: the version or release name for the heading.' },
      ],
      permission: 'read',
      get: async (args, call) => {
        const since = isoDate(args.since, 14);
        const listing = await withSession(vendor, deps, call, async (session) => {
          const { issues, more } = await collect(session, {
            state: 'closed',
            closedSince: since,
            ...scopeFilter(args),
          });
          if (issues.length === 0) return '(No issues were closed in that period.)';
          return [
            ...issues.map(issueLine),
            ...(more ? [`(Only the first ${MAX_PROMPT_ISSUES} are listed; say so in the notes.)`] : []),
          ].join('\n');
        });
        return {
          description: `Release notes from ${p.name} issues closed since ${since}`,
          messages: [
            userMessage(
              [
                `Draft release notes${args.version ? ` for ${args.version}` : ''} from these ${p.name} issues closed since ${since}${args[scopeArg] ? ` in ${scopeWord} ${args[scopeArg]}` : ''}:`,
                '',
                listing,
                '',
                `Group them under New, Improved and Fixed (skip canceled issues and internal chores), one line each in plain language a customer understands, with the issue key in parentheses. Read an issue with ${t('get_issue')} when its title is not clear enough. End with a short list of issues you left out and why.`,
              ].join('\n'),
            ),
          ],
        };
      },
    },
    {
      name: t('triage_new_issues'),
      title: `Triage new ${p.name} issues`,
      description: `Lists open, unassigned ${p.name} issues created recently and proposes a priority, labels and an owner for each; changes are applied only after you approve them.`,
      arguments: [
        scopeArgument,
        { name: 'since', description: 'Created on or after, YYYY-MM-DD (default: 7 days ago).' },
      ],
      permission: 'read',
      get: async (args, call) => {
        const since = isoDate(args.since, 7);
        const listing = await withSession(vendor, deps, call, async (session) => {
          const { issues, more } = await collect(session, {
            state: 'open',
            assignee: 'none',
            createdSince: since,
            ...scopeFilter(args),
          });
          if (issues.length === 0) return '(No open, unassigned issues were created in that period.)';
          return [
            ...issues.map(issueLine),
            ...(more ? [`(Only the first ${MAX_PROMPT_ISSUES} are listed.)`] : []),
          ].join('\n');
        });
        return {
          description: `Triage of new ${p.name} issues since ${since}`,
          messages: [
            userMessage(
              [
                `Help me triage these open, unassigned ${p.name} issues created since ${since}${args[scopeArg] ? ` in ${scopeWord} ${args[scopeArg]}` : ''}:`,
                '',
                listing,
                '',
                `For each one, read it with ${t('get_issue')} if needed, then propose${p.priorityHelp !== null ? ' a priority,' : ''} labels, an owner and whether it is a duplicate (check with ${t('search_issues')}). Present the proposals as a table. Apply them with ${t('update_issue')} only for the rows I approve, and comment with ${t('comment_on_issue')} where you need more information from the reporter.`,
              ].join('\n'),
            ),
          ],
        };
      },
    },
  ];
}
