/**
 * The part of a HubSpot account's schema the contract server needs: property definitions per object type
 * (shaped like GET /crm/v3/properties/{objectType} results), the deal pipelines (GET /crm/v3/pipelines/deals,
 * with the stage ids of HubSpot's default sales pipeline) and the owners (GET /crm/v3/owners). Values follow
 * HubSpot's documentation; a few custom properties stand in for a portal's own.
 */

export interface PropertyDef {
  readonly name: string;
  readonly label: string;
  readonly type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
  readonly fieldType: string;
  readonly options?: readonly string[];
  readonly readOnly?: boolean;
  readonly custom?: boolean;
  /** Searched by the `query` of a search request (HubSpot's default searchable properties). */
  readonly searchable?: boolean;
}

const text = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
  ...extra,
});
const enumeration = (
  name: string,
  label: string,
  options: readonly string[],
  extra: Partial<PropertyDef> = {},
): PropertyDef => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  options,
  ...extra,
});
const number = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({
  name,
  label,
  type: 'number',
  fieldType: 'number',
  ...extra,
});
const datetime = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({
  name,
  label,
  type: 'datetime',
  fieldType: 'date',
  ...extra,
});

const OWNER = enumeration('hubspot_owner_id', 'Contact owner', [], { fieldType: 'select' });
const SYSTEM = [
  number('hs_object_id', 'Record ID', { readOnly: true }),
  datetime('createdate', 'Create date', { readOnly: true }),
  datetime('notes_last_updated', 'Last activity date', { readOnly: true }),
];
const LIFECYCLE = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
];
const ENGAGEMENT = [datetime('hs_timestamp', 'Activity date'), OWNER, ...SYSTEM];

export const PROPERTIES: Record<string, readonly PropertyDef[]> = {
  contacts: [
    text('email', 'Email', { searchable: true }),
    text('firstname', 'First name', { searchable: true }),
    text('lastname', 'Last name', { searchable: true }),
    { ...text('phone', 'Phone number', { searchable: true }), type: 'string', fieldType: 'phonenumber' },
    text('company', 'Company name', { searchable: true }),
    text('jobtitle', 'Job title'),
    text('website', 'Website URL'),
    text('city', 'City'),
    text('country', 'Country/Region'),
    enumeration('lifecyclestage', 'Lifecycle stage', LIFECYCLE),
    enumeration('hs_lead_status', 'Lead status', [
      'NEW',
      'OPEN',
      'IN_PROGRESS',
      'OPEN_DEAL',
      'UNQUALIFIED',
      'ATTEMPTED_TO_CONTACT',
      'CONNECTED',
      'BAD_TIMING',
    ]),
    OWNER,
    datetime('lastmodifieddate', 'Last modified date', { readOnly: true }),
    ...SYSTEM,
    enumeration('customer_tier', 'Customer tier', ['gold', 'silver', 'bronze'], { custom: true }),
    { ...datetime('renewal_date', 'Renewal date', { custom: true }), type: 'date' },
  ],
  companies: [
    text('name', 'Company name', { searchable: true }),
    text('domain', 'Company domain name', { searchable: true }),
    text('website', 'Website URL', { searchable: true }),
    enumeration('industry', 'Industry', [
      'COMPUTER_SOFTWARE',
      'INFORMATION_TECHNOLOGY_AND_SERVICES',
      'FINANCIAL_SERVICES',
      'RETAIL',
      'HOSPITAL_HEALTH_CARE',
      'MANUFACTURING',
    ]),
    text('phone', 'Phone number', { searchable: true }),
    text('city', 'City'),
    text('state', 'State/Region'),
    text('country', 'Country/Region'),
    enumeration('lifecyclestage', 'Lifecycle stage', LIFECYCLE),
    number('numberofemployees', 'Number of employees'),
    number('annualrevenue', 'Annual revenue'),
    OWNER,
    datetime('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
    ...SYSTEM,
    enumeration('account_region', 'Account region', ['EMEA', 'AMER', 'APAC'], { custom: true }),
  ],
  deals: [
    text('dealname', 'Deal name', { searchable: true }),
    number('amount', 'Amount'),
    text('deal_currency_code', 'Currency'),
    datetime('closedate', 'Close date'),
    enumeration('pipeline', 'Pipeline', []),
    enumeration('dealstage', 'Deal stage', []),
    OWNER,
    datetime('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
    {
      ...enumeration('hs_is_closed', 'Is closed', ['true', 'false'], { readOnly: true }),
      type: 'bool',
      fieldType: 'booleancheckbox',
    },
    ...SYSTEM,
    text('competitor', 'Competitor', { custom: true }),
    number('contract_length_months', 'Contract length (months)', { custom: true }),
  ],
  notes: [text('hs_note_body', 'Note body'), ...ENGAGEMENT],
  tasks: [
    text('hs_task_subject', 'Task title'),
    text('hs_task_body', 'Task notes'),
    enumeration('hs_task_status', 'Task status', [
      'NOT_STARTED',
      'IN_PROGRESS',
      'WAITING',
      'COMPLETED',
      'DEFERRED',
    ]),
    enumeration('hs_task_priority', 'Priority', ['LOW', 'MEDIUM', 'HIGH', 'NONE']),
    enumeration('hs_task_type', 'Task type', ['EMAIL', 'CALL', 'TODO', 'LINKED_IN']),
    ...ENGAGEMENT,
  ],
  emails: [
    text('hs_email_subject', 'Email subject'),
    text('hs_email_text', 'Email text'),
    enumeration('hs_email_direction', 'Email direction', ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']),
    enumeration('hs_email_status', 'Email send status', [
      'BOUNCED',
      'FAILED',
      'SCHEDULED',
      'SENDING',
      'SENT',
    ]),
    ...ENGAGEMENT,
  ],
  calls: [
    text('hs_call_title', 'Call title'),
    text('hs_call_body', 'Call notes'),
    number('hs_call_duration', 'Call duration'),
    text('hs_call_from_number', 'From number'),
    text('hs_call_to_number', 'To number'),
    text('hs_call_recording_url', 'Recording URL'),
    enumeration('hs_call_status', 'Call status', [
      'BUSY',
      'CALLING_CRM_USER',
      'CANCELED',
      'COMPLETED',
      'CONNECTING',
      'FAILED',
      'IN_PROGRESS',
      'NO_ANSWER',
      'QUEUED',
      'RINGING',
    ]),
    enumeration('hs_call_direction', 'Call direction', ['INBOUND', 'OUTBOUND']),
    text('hs_call_disposition', 'Call outcome'),
    ...ENGAGEMENT,
  ],
  meetings: [
    text('hs_meeting_title', 'Meeting name'),
    text('hs_meeting_body', 'Meeting description'),
    text('hs_internal_meeting_notes', 'Internal notes'),
    text('hs_meeting_external_url', 'External URL'),
    text('hs_meeting_location', 'Location'),
    datetime('hs_meeting_start_time', 'Start time'),
    datetime('hs_meeting_end_time', 'End time'),
    enumeration('hs_meeting_outcome', 'Meeting outcome', [
      'SCHEDULED',
      'COMPLETED',
      'RESCHEDULED',
      'NO_SHOW',
      'CANCELED',
    ]),
    ...ENGAGEMENT,
  ],
};

export interface StageDef {
  readonly id: string;
  readonly label: string;
  readonly probability: string;
  readonly isClosed: boolean;
}

export interface PipelineDef {
  readonly id: string;
  readonly label: string;
  readonly stages: readonly StageDef[];
}

/** HubSpot's default sales pipeline (its documented stage ids), and a custom one with numeric ids. */
export const PIPELINES: readonly PipelineDef[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    stages: [
      { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
      { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
      { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
      { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
      { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
      { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
      { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
    ],
  },
  {
    id: '8743512',
    label: 'Renewals',
    stages: [
      { id: '16284201', label: 'Renewal Due', probability: '0.5', isClosed: false },
      { id: '16284202', label: 'Contract Sent', probability: '0.9', isClosed: false },
      { id: '16284203', label: 'Renewed', probability: '1.0', isClosed: true },
      { id: '16284204', label: 'Churned', probability: '0.0', isClosed: true },
    ],
  },
];

export interface OwnerDef {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly userId: number;
}

/** From the owners API documentation's example. */
export const OWNERS: readonly OwnerDef[] = [
  { id: '910901', email: 'mary.smith@hubspot.com', firstName: 'Mary', lastName: 'Smith', userId: 1296619 },
  { id: '14240720', email: 'jdoe@hubspot.com', firstName: 'John', lastName: 'Doe', userId: 1296620 },
];

/** HUBSPOT_DEFINED association type ids the server accepts, by from/to object type. */
export const ASSOCIATION_TYPES: Record<string, number> = {
  'contacts>companies': 279,
  'contacts>deals': 4,
  'companies>contacts': 280,
  'companies>deals': 342,
  'deals>contacts': 3,
  'deals>companies': 341,
  'notes>contacts': 202,
  'notes>companies': 190,
  'notes>deals': 214,
  'tasks>contacts': 204,
  'tasks>companies': 192,
  'tasks>deals': 216,
  'emails>contacts': 198,
  'emails>companies': 186,
  'emails>deals': 210,
  'calls>contacts': 194,
  'calls>companies': 182,
  'calls>deals': 206,
  'meetings>contacts': 200,
  'meetings>companies': 188,
  'meetings>deals': 212,
};

/** The scope each object type needs (granular CRM scopes; engagements read with the contacts scope, emails their own). */
export function requiredScope(objectType: string, write: boolean): string {
  if (objectType === 'emails') return write ? 'sales-email-write' : 'sales-email-read';
  const base = ['contacts', 'companies', 'deals'].includes(objectType) ? objectType : 'contacts';
  return `crm.objects.${base}.${write ? 'write' : 'read'}`;
}
