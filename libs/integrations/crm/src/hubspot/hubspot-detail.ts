import { CrmError } from '../core/crm.errors.js';
import {
  ACTIVITY_TYPES,
  OBJECT_TYPES,
  type Activity,
  type ActivityType,
  type CrmObjectType,
  type RecordDetail,
  type RecordRef,
  type RelatedRecords,
} from '../core/crm.types.js';
import {
  ACTIVITY_PROPERTIES,
  DEFAULT_PROPERTIES,
  HUBSPOT_ACTIVITY,
  HUBSPOT_OBJECT,
  toActivity,
  toRecord,
} from './hubspot-mapping.js';
import { batchSchema } from './hubspot-schemas.js';
import type { HubSpotSession } from './hubspot-session.js';
import type { HubSpotBackend } from './hubspot.backend.js';

/** Activities of each type read to find the most recent ones (newest ids first). */
const ACTIVITY_SCAN = 25;
/** Batch reads run a few at a time: HubSpot's burst limit is shared by the whole account. */
const CONCURRENCY = 3;

type SdkBatchArg = Parameters<HubSpotSession['apis']['batch']['read']>[1];

function idsOf(association: { results: { id: string }[] } | undefined): string[] {
  // One id appears once per association label (e.g. primary and unlabeled); newest (largest) first.
  const ids = [...new Set((association?.results ?? []).map((r) => r.id))];
  return ids.sort((a, b) => (a.length !== b.length ? b.length - a.length : b < a ? -1 : b > a ? 1 : 0));
}

async function inBatches<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
  return out;
}

async function batchRead(
  session: HubSpotSession,
  objectType: string,
  ids: string[],
  properties: readonly string[],
) {
  if (ids.length === 0) return [];
  const raw = await session.call(`the ${objectType} batch read`, (api) =>
    api.batch.read(objectType, {
      inputs: ids.map((id) => ({ id })),
      properties: [...properties],
      propertiesWithHistory: [],
    } as SdkBatchArg),
  );
  return session.check(batchSchema, raw, `the ${objectType} batch read`).results;
}

function refusal(what: string, error: unknown): string {
  if (error instanceof CrmError && (error.kind === 'forbidden' || error.kind === 'not_found')) {
    return `${what} not shown: ${error.message}`;
  }
  throw error;
}

/**
 * One record with its associated records and recent activity: one read with every association's ids,
 * then a batch read per associated type (related records newest first, activities sorted by their own
 * timestamps). A type the connection may not read (emails need their own scope) is reported in `notes`.
 */
export async function readRecordDetail(
  backend: HubSpotBackend,
  session: HubSpotSession,
  ref: RecordRef,
  options: { properties: readonly string[]; relatedLimit: number; activityLimit: number },
): Promise<RecordDetail> {
  const relatedTypes = OBJECT_TYPES.filter((t) => t !== ref.type);
  const activityTypes = options.activityLimit > 0 ? ACTIVITY_TYPES : [];
  const main = await backend.fetchObject(
    ref,
    [...new Set([...DEFAULT_PROPERTIES[ref.type], ...options.properties])],
    [...relatedTypes.map((t) => HUBSPOT_OBJECT[t]), ...activityTypes.map((t) => HUBSPOT_ACTIVITY[t])],
  );
  const { associations, ...recordFields } = main;
  const notes: string[] = [];

  const relatedTasks = relatedTypes.map((type) => async (): Promise<RelatedRecords> => {
    const assoc = associations[HUBSPOT_OBJECT[type]];
    const ids = idsOf(assoc);
    const more = Boolean(assoc?.paging?.next);
    try {
      const rows = await batchRead(
        session,
        HUBSPOT_OBJECT[type],
        ids.slice(0, options.relatedLimit),
        DEFAULT_PROPERTIES[type],
      );
      const records = rows.map((r) => toRecord(type as CrmObjectType, r, backend.links));
      return {
        type,
        total: ids.length,
        more: more || ids.length > records.length,
        records: type === 'deal' ? await backend.withStages(records) : records,
      };
    } catch (error) {
      notes.push(refusal(`Associated ${HUBSPOT_OBJECT[type]}`, error));
      return { type, total: ids.length, more, records: [] };
    }
  });

  let activityTotal = 0;
  const activityTasks = activityTypes.map((type: ActivityType) => async (): Promise<Activity[]> => {
    const ids = idsOf(associations[HUBSPOT_ACTIVITY[type]]);
    activityTotal += ids.length;
    try {
      const rows = await batchRead(
        session,
        HUBSPOT_ACTIVITY[type],
        ids.slice(0, ACTIVITY_SCAN),
        ACTIVITY_PROPERTIES[type],
      );
      return rows.map((r) => toActivity(type, r));
    } catch (error) {
      notes.push(
        refusal(`${HUBSPOT_ACTIVITY[type][0]!.toUpperCase()}${HUBSPOT_ACTIVITY[type].slice(1)}`, error),
      );
      return [];
    }
  });

  const [related, activities] = await Promise.all([
    inBatches(relatedTasks),
    inBatches(activityTasks).then((lists) => lists.flat()),
  ]);
  activities.sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''));

  let owner = null;
  const ownerId = recordFields.properties.hubspot_owner_id;
  if (ownerId) {
    try {
      owner = await backend.findOwner(ownerId);
    } catch (error) {
      notes.push(refusal('The owner', error));
    }
  }
  const [record] = ref.type === 'deal' ? await backend.withStages([recordFields]) : [recordFields];
  return {
    record: record!,
    owner,
    related,
    activity: activities.slice(0, options.activityLimit),
    activityTotal,
    notes,
  };
}
