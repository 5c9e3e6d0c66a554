import type { ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { FILTER_OPERATORS, OBJECT_TYPES } from '../core/crm.types.js';

export const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};
/** Adds a record or an activity: nothing existing changes, but calling twice adds twice. */
export const CREATE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};
/** Overwrites values on an existing record: the same call twice leaves the same state. */
export const UPDATE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
};

export const objectType = z.enum(OBJECT_TYPES);
export const recordId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a record id as the find tools return it')
  .describe('The record id, as the find tools return it (e.g. "51").');
export const propertyName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'an internal property name such as "lifecyclestage"');
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]).transform((v) => String(v));
const filterScalar = z.union([z.string().max(500), z.number(), z.boolean()]).transform((v) => String(v));

export const filterSchema = z
  .object({
    property: propertyName.describe(
      'Internal property name (e.g. "lifecyclestage", "amount", "closedate", "city").',
    ),
    operator: z
      .enum(FILTER_OPERATORS)
      .default('eq')
      .describe(
        'eq/neq/lt/lte/gt/gte compare with `value`; between uses `value` and `high_value`; in/not_in use `values`; has_value/has_no_value need no value; contains/not_contains match a whole word.',
      ),
    value: filterScalar
      .optional()
      .describe('Dates may be ISO 8601 ("2024-06-30" or "2024-06-30T12:00:00Z").'),
    values: z.array(filterScalar).min(1).max(100).optional(),
    high_value: filterScalar.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const need = (ok: boolean, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', message });
    };
    if (f.operator === 'between')
      need(f.value !== undefined && f.high_value !== undefined, 'between needs value and high_value');
    else if (f.operator === 'in' || f.operator === 'not_in')
      need(f.values !== undefined, `${f.operator} needs values`);
    else if (f.operator === 'has_value' || f.operator === 'has_no_value')
      need(f.value === undefined, `${f.operator} takes no value`);
    else need(f.value !== undefined, `${f.operator} needs a value`);
  });

export const ownerArg = z
  .string()
  .min(1)
  .max(254)
  .describe('The CRM user a record is assigned to: their email (e.g. "alex@yourco.com") or owner id.');

export const limitArg = z
  .number()
  .int()
  .min(1)
  .max(100)
  .default(10)
  .describe('Records per page (1–100, default 10).');
export const cursorArg = z
  .string()
  .min(1)
  .max(300)
  .optional()
  .describe('`nextCursor` from the previous page of the same search, to get the next page.');
export const extraProperties = z
  .array(propertyName)
  .max(30)
  .default([])
  .describe('Extra properties to return besides the usual ones (names from the crm properties resource).');

export const associateWith = z
  .array(z.object({ type: objectType, id: recordId }).strict())
  .max(10)
  .default([])
  .describe('Existing records to associate the new one with, e.g. [{"type": "company", "id": "17"}].');

export const propertyValues = z
  .record(propertyName, scalar)
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 properties')
  .default({})
  .describe(
    'Other properties by internal name (custom ones included), e.g. {"hs_lead_status": "OPEN"}. Names and allowed values are in the crm properties resource.',
  );

// ---- outputs -------------------------------------------------------------------------------------------

export const dealStageSchema = z.object({
  pipelineId: z.string(),
  pipelineLabel: z.string().nullable(),
  stageId: z.string(),
  stageLabel: z.string().nullable(),
  closed: z.boolean().nullable(),
  won: z.boolean().nullable(),
});

export const recordSchema = z.object({
  id: z.string(),
  type: objectType,
  name: z.string(),
  properties: z.record(z.string(), z.string()),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  url: z.string().nullable(),
  stage: dealStageSchema.optional(),
});

export const activitySchema = z.object({
  id: z.string(),
  type: z.enum(['note', 'task', 'email', 'call', 'meeting']),
  timestamp: z.string().nullable(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  status: z.string().nullable(),
  ownerId: z.string().nullable(),
});

export const ownerSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
});

export const findOutput = z.object({
  records: z.array(recordSchema),
  total: z.number().int().describe('How many records match in all.'),
  returned: z.number().int(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
  note: z.string().nullable(),
});

export const recordDetailOutput = z.object({
  record: recordSchema,
  owner: ownerSchema.nullable(),
  related: z.array(
    z.object({
      type: objectType,
      total: z.number().int(),
      more: z.boolean(),
      records: z.array(recordSchema),
    }),
  ),
  activity: z.array(activitySchema).describe('Most recent first.'),
  activityTotal: z.number().int().describe('Activities associated in all.'),
  notes: z.array(z.string()).describe('Parts that could not be read, and why.'),
});

export const recordOutput = z.object({ record: recordSchema });

export const stageMoveOutput = z.object({
  deal: recordSchema,
  from: dealStageSchema.nullable(),
  to: dealStageSchema,
  changed: z.boolean().describe('False when the deal was already in that stage (nothing was written).'),
});

export const activityOutput = z.object({
  activity: activitySchema,
  on: z.object({ type: objectType, id: z.string() }),
});

export const pipelinesOutput = z.object({
  pipelines: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      stages: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          order: z.number(),
          probability: z.number().nullable(),
          closed: z.boolean(),
          won: z.boolean().nullable(),
        }),
      ),
    }),
  ),
});
