import { ProtocolError, ProtocolErrorCode, type GetPromptResult } from '@modelcontextprotocol/server';
import type { ConnectionContext, PromptDefinition } from '@switchboard/integration-kit';

import { CrmError } from './core/crm.errors.js';
import type { CrmBackend, CrmRecord } from './core/crm.types.js';
import { activityLine, propertiesBlock, recordLine, renderDetail } from './core/render.js';
import type { CrmToolDeps } from './tools/tool-runtime.js';

const DAY = 24 * 3600_000;
/** Deals whose timelines the customer summary also reads. */
const DEAL_TIMELINES = 3;

function user(text: string, description: string): GetPromptResult {
  return { description, messages: [{ role: 'user', content: { type: 'text', text } }] };
}

async function guarded(run: () => Promise<GetPromptResult>): Promise<GetPromptResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CrmError) throw new ProtocolError(ProtocolErrorCode.InternalError, error.message);
    throw error;
  }
}

/** Completion has no call context: it runs on the connection's own, and answers nothing on failure. */
async function completing(run: () => Promise<string[]>): Promise<string[]> {
  try {
    return (await run()).slice(0, 20);
  } catch {
    return [];
  }
}

function days(raw: string | undefined): number {
  const n = raw === undefined || raw.trim() === '' ? 30 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 365) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, '"days" must be a whole number from 1 to 365.');
  }
  return n;
}

async function findCustomer(backend: CrmBackend, customer: string): Promise<CrmRecord[]> {
  const base = { filters: [], properties: [], limit: 3 } as const;
  const companies = await backend.search({ ...base, type: 'company', query: customer });
  if (companies.records.length > 0) return [...companies.records];
  const contacts = await backend.search({ ...base, type: 'contact', query: customer });
  return [...contacts.records];
}

function summarizePrompt(deps: CrmToolDeps, ctx: ConnectionContext): PromptDefinition {
  return {
    name: 'crm_summarize_customer_activity',
    title: "Summarize a customer's activity",
    description: `Summarizes what happened with a customer (a ${deps.vendor} company or contact) recently: the record, its deals and contacts, and the notes, emails, calls, meetings and tasks logged on it.`,
    permission: 'read',
    arguments: [
      {
        name: 'customer',
        description: 'Company name or domain, or a contact name or email.',
        required: true,
        complete: (value) =>
          completing(async () => {
            if (value.trim().length < 2) return [];
            const backend = await deps.backend(ctx);
            const page = await backend.search({
              type: 'company',
              query: value,
              filters: [],
              properties: [],
              limit: 10,
            });
            return page.records.map((r) => r.name);
          }),
      },
      {
        name: 'days',
        description: 'How many days back to look (default 30).',
        complete: (value) => ['7', '14', '30', '90', '180'].filter((d) => d.startsWith(value)),
      },
    ],
    get: (args, call) =>
      guarded(async () => {
        const customer = (args.customer ?? '').trim();
        if (customer === '')
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, '"customer" is required.');
        const window = days(args.days);
        const backend = await deps.backend(call);
        const matches = await findCustomer(backend, customer);
        const description = `Activity summary for ${customer}, last ${window} days`;
        if (matches.length === 0) {
          return user(
            `I asked for a summary of the customer "${customer}", but no ${deps.vendor} company or contact matches that name. Tell me so, and suggest searching with crm_find_companies or crm_find_contacts using another spelling, a domain or an email address.`,
            description,
          );
        }
        const [first, ...others] = matches;
        const detail = await backend.getRecord(
          { type: first!.type, id: first!.id },
          { properties: [], relatedLimit: 10, activityLimit: 50 },
        );
        // A customer's story is also in its deals' timelines (calls and notes are often logged there).
        const deals = detail.related.find((g) => g.type === 'deal')?.records.slice(0, DEAL_TIMELINES) ?? [];
        const dealActivity = await Promise.all(
          deals.map(async (d) => {
            const dd = await backend.getRecord(
              { type: 'deal', id: d.id },
              { properties: [], relatedLimit: 0, activityLimit: 20 },
            );
            return dd.activity.map((a) => ({ ...a, title: a.title ?? null, on: d.name }));
          }),
        );
        const since = new Date(Date.now() - window * DAY).toISOString();
        const seen = new Set<string>();
        const recent = [...detail.activity.map((a) => ({ ...a, on: first!.name })), ...dealActivity.flat()]
          .filter((a) => (a.timestamp ?? '') >= since && !seen.has(a.id) && seen.add(a.id))
          .sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''));
        const lines = [
          `Summarize the recent activity of the customer "${first!.name}" in ${deps.vendor} for a salesperson, covering the last ${window} days (since ${since.slice(0, 10)}).`,
          'Structure: 1) who they are and where the relationship stands (lifecycle stage, owner, open deals with stage, amount and close date); 2) what happened, in date order, from the activity below; 3) open tasks and commitments; 4) risks (silence, slipping close dates, unanswered emails) and the next best actions.',
          'Only state what the data supports; say when the record has little activity. You may call crm_get_record for more detail on an associated deal or contact.',
          '',
          renderDetail(detail, deps.vendor, false),
          '',
          `Activity in the last ${window} days on the ${first!.type}${deals.length > 0 ? ` and its ${deals.length} most recent deal(s)` : ''} (${recent.length}, newest first):`,
          ...(recent.length > 0 ? recent.map((a) => `${activityLine(a)} [${a.on}]`) : ['(none logged)']),
        ];
        if (others.length > 0) {
          lines.push(
            '',
            'Other records also matched the name (mention them if the user may have meant one):',
            ...others.map(recordLine),
          );
        }
        return user(lines.join('\n'), description);
      }),
  };
}

function money(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function pipelinePrompt(deps: CrmToolDeps, ctx: ConnectionContext): PromptDefinition {
  return {
    name: 'crm_weekly_pipeline_review',
    title: 'Prepare a weekly pipeline review',
    description: `Prepares a weekly review of a ${deps.vendor} deal pipeline: open deals by stage with totals, deals won and lost this week, deals closing soon or overdue, and deals without recent activity.`,
    permission: 'read',
    arguments: [
      {
        name: 'pipeline',
        description: 'Pipeline name (the first pipeline when omitted).',
        complete: (value) =>
          completing(async () =>
            (await (await deps.backend(ctx)).listPipelines())
              .map((p) => p.label)
              .filter((l) => l.toLowerCase().startsWith(value.toLowerCase())),
          ),
      },
      {
        name: 'owner',
        description: "Only this deal owner's deals (their email).",
        complete: (value) =>
          completing(async () =>
            (await (await deps.backend(ctx)).listOwners(100))
              .map((o) => o.email ?? '')
              .filter((e) => e !== '' && e.toLowerCase().startsWith(value.toLowerCase())),
          ),
      },
    ],
    get: (args, call) =>
      guarded(async () => {
        const backend = await deps.backend(call);
        const pipelines = await backend.listPipelines();
        if (pipelines.length === 0)
          return user(`${deps.vendor} has no deal pipelines to review.`, 'Pipeline review');
        const ref = args.pipeline?.trim().toLowerCase();
        const pipeline = ref
          ? pipelines.find((p) => p.label.toLowerCase() === ref || p.id === args.pipeline)
          : pipelines[0];
        if (!pipeline) {
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            `No pipeline "${args.pipeline}"; pipelines: ${pipelines.map((p) => p.label).join(', ')}.`,
          );
        }
        const f = backend.fields.deal;
        const filters = [{ property: f.pipeline ?? 'pipeline', operator: 'eq' as const, value: pipeline.id }];
        let ownerLine = '';
        if (args.owner?.trim()) {
          const owner = await backend.findOwner(args.owner.trim());
          if (!owner)
            throw new ProtocolError(
              ProtocolErrorCode.InvalidParams,
              `No ${deps.vendor} user "${args.owner}".`,
            );
          filters.push({ property: f.owner ?? 'hubspot_owner_id', operator: 'eq', value: owner.id });
          ownerLine = ` for ${owner.name ?? owner.email ?? owner.id}`;
        }
        const open = pipeline.stages.filter((s) => !s.closed).map((s) => s.id);
        const closed = pipeline.stages.filter((s) => s.closed).map((s) => s.id);
        const now = Date.now();
        const weekAgo = new Date(now - 7 * DAY).toISOString();
        const openPage = open.length
          ? await backend.search({
              type: 'deal',
              filters: [...filters, { property: f.stage ?? 'dealstage', operator: 'in', values: open }],
              properties: [],
              sort: { property: f.amount ?? 'amount', direction: 'desc' },
              limit: 100,
            })
          : null;
        const closedPage = closed.length
          ? await backend.search({
              type: 'deal',
              filters: [
                ...filters,
                { property: f.stage ?? 'dealstage', operator: 'in', values: closed },
                { property: f.close_date ?? 'closedate', operator: 'gte', value: weekAgo },
              ],
              properties: [],
              limit: 50,
            })
          : null;
        const openDeals = openPage?.records ?? [];
        const amount = (r: CrmRecord) => Number(r.properties[f.amount ?? 'amount'] ?? 0) || 0;
        const closeAt = (r: CrmRecord) => Date.parse(r.properties[f.close_date ?? 'closedate'] ?? '');
        const lastTouch = (r: CrmRecord) => Date.parse(r.properties.notes_last_updated ?? r.updatedAt ?? '');
        const byStage = pipeline.stages
          .filter((s) => !s.closed)
          .map((s) => {
            const deals = openDeals.filter((d) => d.stage?.stageId === s.id);
            return `- ${s.label}: ${deals.length} deal(s), ${money(deals.reduce((t, d) => t + amount(d), 0))} total`;
          });
        const overdue = openDeals.filter((d) => closeAt(d) < now);
        const soon = openDeals.filter((d) => closeAt(d) >= now && closeAt(d) < now + 14 * DAY);
        const stale = openDeals.filter((d) => !(lastTouch(d) >= now - 14 * DAY));
        const section = (title: string, deals: readonly CrmRecord[]) => [
          `${title} (${deals.length}):`,
          ...(deals.length > 0 ? deals.slice(0, 25).map(recordLine) : ['(none)']),
        ];
        const lines = [
          `Prepare my weekly pipeline review of the ${deps.vendor} pipeline "${pipeline.label}"${ownerLine}, as of ${new Date(now).toISOString().slice(0, 10)}.`,
          'Write: 1) the headline (open pipeline value and count, what closed this week); 2) stage-by-stage view; 3) deals needing attention (overdue close dates, closing in the next two weeks, no activity for two weeks) with a concrete next step for each; 4) questions to raise in the meeting. Use crm_get_record on a deal before making claims about its history.',
          '',
          `Open deals by stage (${openPage?.total ?? 0} open${openPage && openPage.total > openDeals.length ? `, the ${openDeals.length} largest read` : ''}):`,
          ...byStage,
          '',
          ...section('Won or lost in the last 7 days', closedPage?.records ?? []),
          '',
          ...section('Close date already passed', overdue),
          '',
          ...section('Closing in the next 14 days', soon),
          '',
          ...section('No activity for 14 days', stale),
        ];
        if (openDeals.length > 0 && openDeals.length <= 10) {
          lines.push('', 'Open deal details:', ...openDeals.map((d) => `${d.name}:\n${propertiesBlock(d)}`));
        }
        return user(lines.join('\n'), `Weekly pipeline review: ${pipeline.label}`);
      }),
  };
}

export function crmPrompts(deps: CrmToolDeps, ctx: ConnectionContext): PromptDefinition[] {
  return [summarizePrompt(deps, ctx), pipelinePrompt(deps, ctx)];
}
