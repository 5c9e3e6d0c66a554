import { structuredResult, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';
import type { CrmBackend, CrmFilter, CrmObjectType, SearchPage } from '../core/crm.types.js';
import { recordLine } from '../core/render.js';
import {
  cursorArg,
  extraProperties,
  filterSchema,
  findOutput,
  limitArg,
  ownerArg,
  propertyName,
  READ,
} from './schemas.js';
import { parseArgs, toolCall, type CrmToolDeps } from './tool-runtime.js';

const PLURAL: Record<CrmObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

function baseInput() {
  return {
    query: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "Free text matched like the CRM's search box: names, email addresses, phone numbers, domains.",
      ),
    filters: z.array(filterSchema).max(10).default([]).describe('Property conditions that must all hold.'),
    owner: ownerArg.optional(),
    properties: extraProperties,
    sort: z
      .object({
        property: propertyName,
        direction: z.enum(['asc', 'desc']).default('desc'),
      })
      .strict()
      .optional()
      .describe(
        'Order of results; by default, best match for a text query, else most recently modified first.',
      ),
    limit: limitArg,
    cursor: cursorArg,
  };
}

const contactInput = z.object(baseInput()).strict();
const companyInput = z.object(baseInput()).strict();
const dealInput = z
  .object({
    ...baseInput(),
    pipeline: z.string().min(1).max(200).optional().describe('Only deals in this pipeline (name or id).'),
    stage: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Only deals in this stage (name such as "Contract sent", or stage id); see crm_list_pipelines.',
      ),
  })
  .strict();

type FindArgs = z.output<typeof contactInput> & { pipeline?: string; stage?: string };

async function dealFilters(backend: CrmBackend, args: FindArgs): Promise<CrmFilter[]> {
  if (args.pipeline === undefined && args.stage === undefined) return [];
  const pipelines = await backend.listPipelines();
  const out: CrmFilter[] = [];
  let scope = pipelines;
  if (args.pipeline !== undefined) {
    const ref = args.pipeline.trim().toLowerCase();
    const pipeline = pipelines.find((p) => p.id === args.pipeline || p.label.toLowerCase() === ref);
    if (!pipeline) {
      throw new CrmError(
        'validation',
        `There is no deal pipeline "${args.pipeline}". Pipelines: ${pipelines.map((p) => `"${p.label}"`).join(', ')}.`,
      );
    }
    scope = [pipeline];
    out.push({ property: backend.fields.deal.pipeline ?? 'pipeline', operator: 'eq', value: pipeline.id });
  }
  if (args.stage !== undefined) {
    const ref = args.stage.trim().toLowerCase();
    const ids = scope.flatMap((p) =>
      p.stages.filter((s) => s.id === args.stage || s.label.toLowerCase() === ref).map((s) => s.id),
    );
    if (ids.length === 0) {
      const labels = [...new Set(scope.flatMap((p) => p.stages.map((s) => `"${s.label}"`)))];
      throw new CrmError(
        'validation',
        `No deal stage is called "${args.stage}". Stages: ${labels.join(', ')}.`,
      );
    }
    out.push({ property: backend.fields.deal.stage ?? 'dealstage', operator: 'in', values: ids });
  }
  return out;
}

function render(type: CrmObjectType, args: FindArgs, page: SearchPage, vendor: string): string {
  const what = page.total === 1 ? type : PLURAL[type];
  const about = args.query ? ` matching "${args.query}"` : '';
  if (page.records.length === 0) {
    return `No ${PLURAL[type]}${about} in ${vendor}${args.cursor ? ' on this page' : ''}.${page.note ? ` ${page.note}` : ''}`;
  }
  const lines = [
    `${page.total} ${what}${about} in ${vendor}; ${page.records.length} shown:`,
    ...page.records.map(recordLine),
  ];
  if (page.nextCursor) lines.push(`More results: call again with cursor "${page.nextCursor}".`);
  if (page.note) lines.push(page.note);
  return lines.join('\n');
}

function findTool(deps: CrmToolDeps, type: CrmObjectType): ToolDefinition {
  const name = `crm_find_${PLURAL[type]}`;
  const examples: Record<CrmObjectType, string> = {
    contact:
      'Examples: {"query": "jane@acme.com"}; {"filters": [{"property": "lifecyclestage", "operator": "eq", "value": "lead"}, {"property": "createdate", "operator": "gte", "value": "2024-06-01"}]}.',
    company:
      'Examples: {"query": "acme"}; {"filters": [{"property": "industry", "operator": "eq", "value": "COMPUTER_SOFTWARE"}, {"property": "city", "operator": "eq", "value": "Berlin"}]}.',
    deal: 'Examples: {"stage": "Contract sent"}; {"filters": [{"property": "closedate", "operator": "between", "value": "2024-07-01", "high_value": "2024-07-31"}, {"property": "amount", "operator": "gte", "value": 10000}]}.',
  };
  const returns: Record<CrmObjectType, string> = {
    contact: 'name, email, phone, job title, company, lifecycle stage, owner id',
    company: 'name, domain, industry, city, country, lifecycle stage, owner id',
    deal: 'name, amount, close date, pipeline and stage (with labels), owner id',
  };
  const schema = type === 'deal' ? dealInput : type === 'company' ? companyInput : contactInput;
  return {
    name,
    title: `Find ${PLURAL[type]}`,
    description:
      `Searches ${deps.vendor} ${PLURAL[type]} by free text and/or property filters. Use it to answer "who/which ${PLURAL[type]} …" questions and to get the id that crm_get_record and the write tools need. ` +
      `Returns a page of records (${returns[type]}, plus any \`properties\` you ask for), the total number of matches and a \`nextCursor\` for the next page. ` +
      `Custom property names and allowed values are in the crm properties resource. ${examples[type]}`,
    inputSchema: schema,
    outputSchema: findOutput,
    annotations: { title: `Find ${PLURAL[type]}`, ...READ },
    permission: 'read',
    handler: (raw, ctx) =>
      toolCall(ctx, name, async () => {
        const args = parseArgs(schema, raw) as FindArgs;
        const backend = await deps.backend(ctx);
        const filters: CrmFilter[] = args.filters.map((f) => ({
          property: f.property,
          operator: f.operator,
          ...(f.value !== undefined && { value: f.value }),
          ...(f.values !== undefined && { values: f.values }),
          ...(f.high_value !== undefined && { highValue: f.high_value }),
        }));
        if (type === 'deal') filters.push(...(await dealFilters(backend, args)));
        if (args.owner !== undefined) {
          const owner = await backend.findOwner(args.owner);
          if (!owner)
            throw new CrmError('validation', `No ${deps.vendor} user matches the owner "${args.owner}".`);
          filters.push({
            property: backend.fields[type].owner ?? 'hubspot_owner_id',
            operator: 'eq',
            value: owner.id,
          });
        }
        if (filters.length > 18)
          throw new CrmError('validation', 'At most 18 conditions can be combined in one search.');
        const page = await backend.search({
          type,
          ...(args.query !== undefined && { query: args.query }),
          filters,
          properties: args.properties,
          ...(args.sort && { sort: args.sort }),
          limit: args.limit,
          ...(args.cursor !== undefined && { cursor: args.cursor }),
        });
        const data = {
          records: page.records.map((r) => ({ ...r })),
          total: page.total,
          returned: page.records.length,
          nextCursor: page.nextCursor,
          note: page.note,
        };
        return structuredResult(data, render(type, args, page, deps.vendor));
      }),
  };
}

export function findTools(deps: CrmToolDeps): ToolDefinition[] {
  return [findTool(deps, 'contact'), findTool(deps, 'company'), findTool(deps, 'deal')];
}
