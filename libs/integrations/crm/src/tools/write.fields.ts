import * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';
import type { CrmBackend, CrmObjectType } from '../core/crm.types.js';
import { ownerArg } from './schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'a date like 2024-07-31',
  )
  .refine((v) => !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), 'a real date');

/** The typed fields each write tool takes, in neutral names the backend maps to its own properties. */
export const FIELDS: Record<CrmObjectType, Record<string, z.ZodType>> = {
  contact: {
    email: z.email().max(254).describe('Email address; the usual key for finding the contact again.'),
    first_name: text(100),
    last_name: text(100),
    phone: text(50),
    job_title: text(200),
    company_name: text(200).describe(
      'Company name as free text (to link a company record, use associate_with).',
    ),
    lifecycle_stage: text(100).describe('e.g. "lead", "marketingqualifiedlead", "opportunity", "customer".'),
    owner: ownerArg,
  },
  company: {
    name: text(200),
    domain: text(253).describe('Website domain, e.g. "acme.com".'),
    industry: text(100).describe(
      'An industry option value, e.g. "COMPUTER_SOFTWARE" (see the properties resource).',
    ),
    phone: text(50),
    city: text(100),
    country: text(100),
    lifecycle_stage: text(100),
    owner: ownerArg,
  },
  deal: {
    name: text(200).describe('Deal name, e.g. "Acme — 50 seats".'),
    amount: z
      .union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?$/, 'a number')])
      .transform((v) => String(v))
      .describe('Deal value in the account currency, e.g. 12000.'),
    close_date: isoDate.describe('Expected close date, e.g. "2024-07-31".'),
    pipeline: text(200).describe('Pipeline name or id; the default pipeline when omitted.'),
    stage: text(200).describe(
      'Stage name or id, validated against the pipeline; its first stage when omitted on create.',
    ),
    owner: ownerArg,
  },
};

/** What each create tool needs at least, so a record is findable again. */
export const REQUIRED_ANY: Record<CrmObjectType, readonly string[]> = {
  contact: ['email', 'first_name', 'last_name'],
  company: ['name', 'domain'],
  deal: ['name'],
};

function asDateTime(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/**
 * The CRM properties for one write: the typed fields mapped to the backend's property names, over the
 * free-form `properties` (a typed field wins when both name the same property).
 */
export function toProperties(
  backend: CrmBackend,
  type: CrmObjectType,
  args: Record<string, unknown>,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = { ...extra };
  const map = backend.fields[type];
  for (const field of Object.keys(FIELDS[type])) {
    const value = args[field];
    if (value === undefined) continue;
    const property = map[field];
    if (property === undefined) {
      throw new CrmError('validation', `${backend.vendor} has no ${type} field "${field}".`);
    }
    out[property] = field === 'close_date' ? asDateTime(String(value)) : String(value);
  }
  return out;
}
