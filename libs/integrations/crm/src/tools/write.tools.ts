import { structuredResult, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import type { CrmObjectType, CrmRecord } from '../core/crm.types.js';
import { propertiesBlock, stageText } from '../core/render.js';
import { associateWith, CREATE, propertyValues, recordId, recordOutput, UPDATE } from './schemas.js';
import { parseArgs, toolCall, type CrmToolDeps } from './tool-runtime.js';
import { FIELDS, REQUIRED_ANY, toProperties } from './write.fields.js';

const TITLE: Record<CrmObjectType, string> = { contact: 'contact', company: 'company', deal: 'deal' };

function describeRecord(verb: string, record: CrmRecord, vendor: string): string {
  const stage = stageText(record.stage);
  return [
    `${verb} ${record.type} "${record.name}" (${vendor} id ${record.id})${record.url ? ` ${record.url}` : ''}.`,
    ...(stage ? [`Stage: ${stage}`] : []),
    'Properties:',
    propertiesBlock(record) || '  (none set)',
  ].join('\n');
}

function createInput(type: CrmObjectType) {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(FIELDS[type])) shape[k] = v.optional();
  return z
    .object({ ...shape, properties: propertyValues, associate_with: associateWith })
    .strict()
    .refine((a: Record<string, unknown>) => REQUIRED_ANY[type].some((f) => a[f] !== undefined), {
      message: `give at least one of ${REQUIRED_ANY[type].join(', ')}`,
    });
}

function updateInput(type: CrmObjectType) {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(FIELDS[type])) shape[k] = v.optional();
  return z
    .object({ id: recordId, ...shape, properties: propertyValues })
    .strict()
    .refine(
      (a: Record<string, unknown>) =>
        Object.keys(FIELDS[type]).some((f) => a[f] !== undefined) ||
        Object.keys((a.properties as Record<string, string>) ?? {}).length > 0,
      { message: 'give at least one field or property to change' },
    );
}

const CREATE_EXAMPLE: Record<CrmObjectType, string> = {
  contact:
    '{"email": "jane@acme.com", "first_name": "Jane", "last_name": "Doe", "job_title": "CTO", "associate_with": [{"type": "company", "id": "17"}]}',
  company: '{"name": "Acme", "domain": "acme.com", "industry": "COMPUTER_SOFTWARE", "city": "Berlin"}',
  deal: '{"name": "Acme — 50 seats", "amount": 12000, "close_date": "2024-07-31", "stage": "Qualified to buy", "associate_with": [{"type": "company", "id": "17"}]}',
};

function createTool(deps: CrmToolDeps, type: CrmObjectType): ToolDefinition {
  const name = `crm_create_${type}`;
  const schema = createInput(type);
  return {
    name,
    title: `Create a ${TITLE[type]}`,
    description:
      `Creates a new ${deps.vendor} ${type} and returns it with its id. Search first (crm_find_${type === 'company' ? 'companies' : `${type}s`}) so you do not create a duplicate. ` +
      `${type === 'deal' ? 'Stage and pipeline may be given by name; they are checked against the pipelines. ' : ''}` +
      `\`owner\` takes a user's email; \`properties\` takes any other property by internal name. Example: ${CREATE_EXAMPLE[type]}.`,
    inputSchema: schema,
    outputSchema: recordOutput,
    annotations: { title: `Create a ${TITLE[type]}`, ...CREATE },
    permission: 'write',
    handler: (raw, ctx) =>
      toolCall(ctx, name, async () => {
        const args = parseArgs(schema, raw) as Record<string, unknown> & {
          properties: Record<string, string>;
          associate_with: { type: CrmObjectType; id: string }[];
        };
        const backend = await deps.backend(ctx);
        const record = await backend.createRecord(
          type,
          toProperties(backend, type, args, args.properties),
          args.associate_with,
        );
        return structuredResult({ record: { ...record } }, describeRecord('Created', record, deps.vendor));
      }),
  };
}

function updateTool(deps: CrmToolDeps, type: CrmObjectType): ToolDefinition {
  const name = `crm_update_${type}`;
  const schema = updateInput(type);
  return {
    name,
    title: `Update a ${TITLE[type]}`,
    description:
      `Changes properties of an existing ${deps.vendor} ${type} (only the ones given; others stay as they are) and returns the record as it is now. ` +
      `${type === 'deal' ? 'To move a deal through the pipeline prefer crm_move_deal_stage, which reports the change. ' : ''}` +
      `Example: {"id": "51", ${type === 'deal' ? '"amount": 15000, "close_date": "2024-08-15"' : type === 'company' ? '"city": "Munich", "properties": {"numberofemployees": 250}' : '"job_title": "VP Engineering", "phone": "+49 30 1234567"'}}.`,
    inputSchema: schema,
    outputSchema: recordOutput,
    annotations: { title: `Update a ${TITLE[type]}`, ...UPDATE },
    permission: 'write',
    handler: (raw, ctx) =>
      toolCall(ctx, name, async () => {
        const args = parseArgs(schema, raw) as Record<string, unknown> & {
          id: string;
          properties: Record<string, string>;
        };
        const backend = await deps.backend(ctx);
        const record = await backend.updateRecord(
          { type, id: args.id },
          toProperties(backend, type, args, args.properties),
        );
        return structuredResult({ record: { ...record } }, describeRecord('Updated', record, deps.vendor));
      }),
  };
}

export function writeTools(deps: CrmToolDeps): ToolDefinition[] {
  const types: CrmObjectType[] = ['contact', 'company', 'deal'];
  return [...types.map((t) => createTool(deps, t)), ...types.map((t) => updateTool(deps, t))];
}
