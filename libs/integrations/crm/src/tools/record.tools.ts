import { structuredResult, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { renderDetail, renderPipelines } from '../core/render.js';
import {
  extraProperties,
  objectType,
  pipelinesOutput,
  READ,
  recordDetailOutput,
  recordId,
} from './schemas.js';
import { parseArgs, toolCall, type CrmToolDeps } from './tool-runtime.js';

const getInput = z
  .object({
    type: objectType.describe('What the id is: "contact", "company" or "deal".'),
    id: recordId,
    properties: extraProperties,
    related_limit: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(5)
      .describe(
        'Associated contacts/companies/deals shown per type (0–20, default 5); counts are always given.',
      ),
    activity_limit: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(10)
      .describe('Most recent notes, tasks, emails, calls and meetings shown (0–50, default 10).'),
  })
  .strict();

export function recordTools(deps: CrmToolDeps): ToolDefinition[] {
  const getRecord: ToolDefinition = {
    name: 'crm_get_record',
    title: 'Get a CRM record',
    description:
      `Reads one ${deps.vendor} contact, company or deal by id with what a salesperson wants before a call: its properties, owner, associated records (a contact's companies and deals, a deal's contacts…) and its most recent activity (notes, tasks, emails, calls, meetings, newest first). ` +
      'Get the id from a crm_find_* tool first. Example: {"type": "deal", "id": "9507711", "activity_limit": 5}.',
    inputSchema: getInput,
    outputSchema: recordDetailOutput,
    annotations: { title: 'Get a CRM record', ...READ },
    permission: 'read',
    handler: (raw, ctx) =>
      toolCall(ctx, 'crm_get_record', async () => {
        const args = parseArgs(getInput, raw);
        const backend = await deps.backend(ctx);
        const detail = await backend.getRecord(
          { type: args.type, id: args.id },
          {
            properties: args.properties,
            relatedLimit: args.related_limit,
            activityLimit: args.activity_limit,
          },
        );
        const data = {
          record: { ...detail.record },
          owner: detail.owner ? { ...detail.owner } : null,
          related: detail.related.map((g) => ({ ...g, records: g.records.map((r) => ({ ...r })) })),
          activity: detail.activity.map((a) => ({ ...a })),
          activityTotal: detail.activityTotal,
          notes: [...detail.notes],
        };
        return structuredResult(data, renderDetail(detail, deps.vendor));
      }),
  };

  const listPipelines: ToolDefinition = {
    name: 'crm_list_pipelines',
    title: 'List deal pipelines',
    description:
      `Lists the ${deps.vendor} deal pipelines and their stages in order, with each stage's id, win probability and whether it is closed won or lost. ` +
      'Use it to learn stage names before crm_move_deal_stage or crm_find_deals with `stage`, or to explain the sales process. Takes no arguments.',
    inputSchema: z.object({}).strict(),
    outputSchema: pipelinesOutput,
    annotations: { title: 'List deal pipelines', ...READ },
    permission: 'read',
    handler: (raw, ctx) =>
      toolCall(ctx, 'crm_list_pipelines', async () => {
        parseArgs(z.object({}).strict(), raw ?? {});
        const pipelines = await (await deps.backend(ctx)).listPipelines();
        const data = {
          pipelines: pipelines.map((p) => ({
            id: p.id,
            label: p.label,
            stages: p.stages.map((s) => ({ ...s })),
          })),
        };
        return structuredResult(data, renderPipelines(pipelines));
      }),
  };

  return [getRecord, listPipelines];
}
