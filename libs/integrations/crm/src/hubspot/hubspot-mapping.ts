import { AssociationTypes } from '@hubspot/api-client';

import type {
  Activity,
  ActivityType,
  CrmFilter,
  CrmObjectType,
  CrmRecord,
  FilterOperator,
} from '../core/crm.types.js';
import { clip, htmlToText } from '../core/text.js';

/** HubSpot's object type names (the path segment of /crm/v3/objects/{objectType}). */
export const HUBSPOT_OBJECT: Record<CrmObjectType, string> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
};

export const HUBSPOT_ACTIVITY: Record<ActivityType, string> = {
  note: 'notes',
  task: 'tasks',
  email: 'emails',
  call: 'calls',
  meeting: 'meetings',
};

/** HubSpot's object type ids, as used in record URLs (`/record/0-1/<id>`). */
const OBJECT_TYPE_ID: Record<CrmObjectType, string> = { contact: '0-1', company: '0-2', deal: '0-3' };

/** The properties returned for every record, besides those the caller asks for. */
export const DEFAULT_PROPERTIES: Record<CrmObjectType, readonly string[]> = {
  contact: [
    'firstname',
    'lastname',
    'email',
    'phone',
    'company',
    'jobtitle',
    'lifecyclestage',
    'hubspot_owner_id',
    'notes_last_updated',
    'createdate',
    'lastmodifieddate',
  ],
  company: [
    'name',
    'domain',
    'industry',
    'city',
    'country',
    'phone',
    'lifecyclestage',
    'numberofemployees',
    'annualrevenue',
    'hubspot_owner_id',
    'notes_last_updated',
    'createdate',
    'hs_lastmodifieddate',
  ],
  deal: [
    'dealname',
    'amount',
    'deal_currency_code',
    'closedate',
    'pipeline',
    'dealstage',
    'hubspot_owner_id',
    'notes_last_updated',
    'createdate',
    'hs_lastmodifieddate',
  ],
};

/** The neutral field names the write tools accept, mapped to HubSpot's internal property names. */
export const HUBSPOT_FIELDS: Record<CrmObjectType, Record<string, string>> = {
  contact: {
    email: 'email',
    first_name: 'firstname',
    last_name: 'lastname',
    phone: 'phone',
    job_title: 'jobtitle',
    company_name: 'company',
    lifecycle_stage: 'lifecyclestage',
    owner: 'hubspot_owner_id',
  },
  company: {
    name: 'name',
    domain: 'domain',
    industry: 'industry',
    phone: 'phone',
    city: 'city',
    country: 'country',
    lifecycle_stage: 'lifecyclestage',
    owner: 'hubspot_owner_id',
  },
  deal: {
    name: 'dealname',
    amount: 'amount',
    close_date: 'closedate',
    pipeline: 'pipeline',
    stage: 'dealstage',
    owner: 'hubspot_owner_id',
  },
};

/** HUBSPOT_DEFINED association type ids, from → to (the SDK's `AssociationTypes`). */
const ASSOCIATION: Record<string, number> = {
  'contact>company': AssociationTypes.contactToCompany,
  'contact>deal': AssociationTypes.contactToDeal,
  'company>contact': AssociationTypes.companyToContact,
  'company>deal': AssociationTypes.companyToDeal,
  'deal>contact': AssociationTypes.dealToContact,
  'deal>company': AssociationTypes.dealToCompany,
  'note>contact': AssociationTypes.noteToContact,
  'note>company': AssociationTypes.noteToCompany,
  'note>deal': AssociationTypes.noteToDeal,
  'task>contact': AssociationTypes.taskToContact,
  'task>company': AssociationTypes.taskToCompany,
  'task>deal': AssociationTypes.taskToDeal,
};

export function associationTypeId(from: CrmObjectType | 'note' | 'task', to: CrmObjectType): number | null {
  return ASSOCIATION[`${from}>${to}`] ?? null;
}

const OPERATORS: Record<FilterOperator, string> = {
  eq: 'EQ',
  neq: 'NEQ',
  lt: 'LT',
  lte: 'LTE',
  gt: 'GT',
  gte: 'GTE',
  between: 'BETWEEN',
  in: 'IN',
  not_in: 'NOT_IN',
  has_value: 'HAS_PROPERTY',
  has_no_value: 'NOT_HAS_PROPERTY',
  contains: 'CONTAINS_TOKEN',
  not_contains: 'NOT_CONTAINS_TOKEN',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** HubSpot's search compares dates as Unix milliseconds; an ISO 8601 date or datetime is converted. */
export function filterValue(value: string): string {
  if (!ISO_DATE.test(value)) return value;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? value : String(ms);
}

export interface HubSpotFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

export function toHubSpotFilter(filter: CrmFilter): HubSpotFilter {
  const out: HubSpotFilter = { propertyName: filter.property, operator: OPERATORS[filter.operator] };
  if (filter.value !== undefined) out.value = filterValue(filter.value);
  if (filter.values !== undefined) out.values = filter.values.map(filterValue);
  if (filter.highValue !== undefined) out.highValue = filterValue(filter.highValue);
  return out;
}

export function displayName(
  type: CrmObjectType,
  id: string,
  props: Readonly<Record<string, string>>,
): string {
  if (type === 'contact') {
    const full = [props.firstname, props.lastname].filter(Boolean).join(' ').trim();
    return full || props.email || `Contact ${id}`;
  }
  if (type === 'company') return props.name || props.domain || `Company ${id}`;
  return props.dealname || `Deal ${id}`;
}

/** Property values a model reads: empty ones dropped, long ones cut. */
export function cleanProperties(
  raw: Readonly<Record<string, string | null | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' && v !== '') out[k] = clip(v, 500);
  }
  return out;
}

export interface RecordLinks {
  readonly portalId: number | undefined;
  readonly appUrl: string;
}

export function recordUrl(type: CrmObjectType, id: string, links: RecordLinks): string | null {
  if (links.portalId === undefined) return null;
  return `${links.appUrl.replace(/\/+$/, '')}/contacts/${links.portalId}/record/${OBJECT_TYPE_ID[type]}/${encodeURIComponent(id)}`;
}

function iso(value: Date | undefined): string | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
}

export interface RawObject {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
  readonly createdAt?: Date | undefined;
  readonly updatedAt?: Date | undefined;
}

export function toRecord(type: CrmObjectType, raw: RawObject, links: RecordLinks): CrmRecord {
  const properties = cleanProperties(raw.properties);
  return {
    id: raw.id,
    type,
    name: clip(displayName(type, raw.id, properties), 200),
    properties,
    createdAt: iso(raw.createdAt),
    updatedAt: iso(raw.updatedAt),
    url: recordUrl(type, raw.id, links),
  };
}

/** The properties each activity type is read with, and how they map onto an `Activity`. */
export const ACTIVITY_PROPERTIES: Record<ActivityType, readonly string[]> = {
  note: ['hs_timestamp', 'hs_note_body', 'hubspot_owner_id'],
  task: [
    'hs_timestamp',
    'hs_task_subject',
    'hs_task_body',
    'hs_task_status',
    'hs_task_priority',
    'hubspot_owner_id',
  ],
  email: ['hs_timestamp', 'hs_email_subject', 'hs_email_text', 'hs_email_direction', 'hubspot_owner_id'],
  call: [
    'hs_timestamp',
    'hs_call_title',
    'hs_call_body',
    'hs_call_disposition',
    'hs_call_direction',
    'hubspot_owner_id',
  ],
  meeting: [
    'hs_timestamp',
    'hs_meeting_title',
    'hs_meeting_body',
    'hs_meeting_start_time',
    'hs_meeting_outcome',
    'hubspot_owner_id',
  ],
};

function timestamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function text(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  const plain = htmlToText(value);
  return plain === '' ? null : clip(plain, max);
}

export function toActivity(type: ActivityType, raw: RawObject): Activity {
  const p = raw.properties;
  const pick = (
    title: string | null | undefined,
    body: string | null | undefined,
    status: string | null | undefined,
  ) => ({
    title: text(title, 200),
    body: text(body, 1_000),
    status: status ? clip(status, 100) : null,
  });
  const fields =
    type === 'note'
      ? pick(null, p.hs_note_body, null)
      : type === 'task'
        ? pick(p.hs_task_subject, p.hs_task_body, p.hs_task_status)
        : type === 'email'
          ? pick(p.hs_email_subject, p.hs_email_text, p.hs_email_direction)
          : type === 'call'
            ? pick(p.hs_call_title, p.hs_call_body, p.hs_call_disposition ?? p.hs_call_direction)
            : pick(p.hs_meeting_title, p.hs_meeting_body, p.hs_meeting_outcome);
  return {
    id: raw.id,
    type,
    timestamp:
      timestamp(p.hs_timestamp ?? (type === 'meeting' ? p.hs_meeting_start_time : null)) ??
      iso(raw.createdAt),
    ...fields,
    ownerId: p.hubspot_owner_id || null,
  };
}
