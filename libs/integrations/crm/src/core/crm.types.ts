/**
 * The vendor-neutral shapes the CRM tools speak. A backend (HubSpot today) maps its API onto these, so a
 * second CRM can serve the same tools, prompts and resources.
 */

export const OBJECT_TYPES = ['contact', 'company', 'deal'] as const;
export type CrmObjectType = (typeof OBJECT_TYPES)[number];

export const ACTIVITY_TYPES = ['note', 'task', 'email', 'call', 'meeting'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'not_in',
  'has_value',
  'has_no_value',
  'contains',
  'not_contains',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface CrmFilter {
  readonly property: string;
  readonly operator: FilterOperator;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly highValue?: string;
}

/** Where a deal stands, with labels resolved from its pipeline. */
export interface DealStage {
  readonly pipelineId: string;
  readonly pipelineLabel: string | null;
  readonly stageId: string;
  readonly stageLabel: string | null;
  readonly closed: boolean | null;
  readonly won: boolean | null;
}

export interface CrmRecord {
  readonly id: string;
  readonly type: CrmObjectType;
  /** Display name: a contact's full name or email, a company's name or domain, a deal's name. */
  readonly name: string;
  /** Non-empty property values, by the CRM's own property names (cut to a few hundred characters each). */
  readonly properties: Readonly<Record<string, string>>;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  /** Link to the record in the CRM's web app, when the connection knows the account. */
  readonly url: string | null;
  readonly stage?: DealStage;
}

export interface SearchRequest {
  readonly type: CrmObjectType;
  readonly query?: string;
  readonly filters: readonly CrmFilter[];
  readonly properties: readonly string[];
  readonly sort?: { readonly property: string; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  readonly cursor?: string;
}

export interface SearchPage {
  readonly records: readonly CrmRecord[];
  readonly total: number;
  readonly nextCursor: string | null;
  /** Why not every match can be paged through, when that is so. */
  readonly note: string | null;
}

export interface Activity {
  readonly id: string;
  readonly type: ActivityType;
  readonly timestamp: string | null;
  readonly title: string | null;
  /** Plain text, cut to a readable length. */
  readonly body: string | null;
  /** Task status, call disposition, meeting outcome, email direction: whatever the type has. */
  readonly status: string | null;
  readonly ownerId: string | null;
}

export interface RelatedRecords {
  readonly type: CrmObjectType;
  /** How many are associated (at least this many when `more`). */
  readonly total: number;
  readonly more: boolean;
  readonly records: readonly CrmRecord[];
}

export interface Owner {
  readonly id: string;
  readonly email: string | null;
  readonly name: string | null;
}

export interface RecordDetail {
  readonly record: CrmRecord;
  readonly owner: Owner | null;
  readonly related: readonly RelatedRecords[];
  readonly activity: readonly Activity[];
  /** Associated activities that exist beyond those shown. */
  readonly activityTotal: number;
  /** What could not be read (a missing scope for emails, say): shown, never silently dropped. */
  readonly notes: readonly string[];
}

export interface PipelineStage {
  readonly id: string;
  readonly label: string;
  readonly order: number;
  readonly probability: number | null;
  readonly closed: boolean;
  readonly won: boolean | null;
}

export interface Pipeline {
  readonly id: string;
  readonly label: string;
  readonly stages: readonly PipelineStage[];
}

export interface PropertyOption {
  readonly label: string;
  readonly value: string;
}

export interface PropertyInfo {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly fieldType: string | null;
  readonly description: string | null;
  readonly group: string | null;
  readonly custom: boolean;
  readonly readOnly: boolean;
  readonly options: readonly PropertyOption[];
}

export interface RecordRef {
  readonly type: CrmObjectType;
  readonly id: string;
}

export interface NewTask {
  readonly subject: string;
  readonly body?: string;
  readonly dueAt: string;
  readonly priority?: 'low' | 'medium' | 'high';
  readonly taskType?: 'todo' | 'call' | 'email';
  readonly ownerId?: string;
}

export interface StageMove {
  readonly deal: CrmRecord;
  readonly from: DealStage | null;
  readonly to: DealStage;
  readonly changed: boolean;
}

/** One CRM, reached with one connection's credentials for the duration of one call. */
export interface CrmBackend {
  /** "HubSpot": used in descriptions and messages. */
  readonly vendor: string;
  search(request: SearchRequest): Promise<SearchPage>;
  getRecord(
    ref: RecordRef,
    options: { properties: readonly string[]; relatedLimit: number; activityLimit: number },
  ): Promise<RecordDetail>;
  createRecord(
    type: CrmObjectType,
    properties: Readonly<Record<string, string>>,
    associateWith: readonly RecordRef[],
  ): Promise<CrmRecord>;
  updateRecord(ref: RecordRef, properties: Readonly<Record<string, string>>): Promise<CrmRecord>;
  listPipelines(): Promise<readonly Pipeline[]>;
  moveDealToStage(dealId: string, stage: string, pipeline?: string): Promise<StageMove>;
  logNote(on: RecordRef, body: string, timestamp?: string): Promise<Activity>;
  createTask(on: RecordRef, task: NewTask): Promise<Activity>;
  listProperties(type: CrmObjectType): Promise<readonly PropertyInfo[]>;
  /** An owner (a CRM user records are assigned to) by email or id; null when there is none. */
  findOwner(emailOrId: string): Promise<Owner | null>;
  listOwners(limit: number): Promise<readonly Owner[]>;
  /**
   * The neutral field names a tool accepts (`first_name`, `stage`, …) mapped to this CRM's property
   * names; a field the CRM lacks is absent.
   */
  readonly fields: Readonly<Record<CrmObjectType, Readonly<Record<string, string>>>>;
}
