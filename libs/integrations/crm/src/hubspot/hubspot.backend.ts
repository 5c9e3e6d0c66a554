import { CrmError } from '../core/crm.errors.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import {
  type Activity,
  type CrmBackend,
  type CrmObjectType,
  type CrmRecord,
  type NewTask,
  type Owner,
  type Pipeline,
  type PropertyInfo,
  type RecordRef,
  type SearchPage,
  type SearchRequest,
  type StageMove,
} from '../core/crm.types.js';
import { clip, textToHtml } from '../core/text.js';
import { readRecordDetail } from './hubspot-detail.js';
import { findOwner, listOwners, listProperties } from './hubspot-directory.js';
import { createEngagement } from './hubspot-engagements.js';
import {
  associationTypeId,
  DEFAULT_PROPERTIES,
  HUBSPOT_FIELDS,
  HUBSPOT_OBJECT,
  toHubSpotFilter,
  toRecord,
  type RecordLinks,
} from './hubspot-mapping.js';
import { dealStage, loadDealPipelines, resolveStage } from './hubspot-pipelines.js';
import { objectSchema, searchSchema } from './hubspot-schemas.js';
import type { HubSpotSession } from './hubspot-session.js';

/** A page is cut once its records' JSON passes this size; the cursor resumes right after the cut. */
const PAGE_BUDGET_CHARS = 60_000;
/** HubSpot's search pages through the first 10,000 matches only. */
const SEARCH_WINDOW = 10_000;
const LAST_MODIFIED: Record<CrmObjectType, string> = {
  contact: 'lastmodifieddate',
  company: 'hs_lastmodifieddate',
  deal: 'hs_lastmodifieddate',
};

type SdkArg<F> = F extends (arg0: string, arg1: infer B, ...rest: never[]) => unknown ? B : never;

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** HubSpot behind the vendor-neutral `CrmBackend`, for one call of one connection. */
export class HubSpotBackend implements CrmBackend {
  readonly vendor = 'HubSpot';
  readonly fields = HUBSPOT_FIELDS;
  private pipelines: Promise<Pipeline[]> | null = null;

  constructor(private readonly session: HubSpotSession) {}

  get links(): RecordLinks {
    return { portalId: this.session.config.portalId, appUrl: this.session.config.appUrl };
  }

  listPipelines(): Promise<Pipeline[]> {
    this.pipelines ??= loadDealPipelines(this.session);
    return this.pipelines;
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const { after, skip } = decodeCursor(request.cursor);
    const sort =
      request.sort ??
      (request.query ? undefined : { property: LAST_MODIFIED[request.type], direction: 'desc' as const });
    const body = {
      ...(request.query && { query: request.query }),
      filterGroups: request.filters.length > 0 ? [{ filters: request.filters.map(toHubSpotFilter) }] : [],
      sorts: sort
        ? [{ propertyName: sort.property, direction: sort.direction === 'asc' ? 'ASCENDING' : 'DESCENDING' }]
        : [],
      properties: unique([...DEFAULT_PROPERTIES[request.type], ...request.properties]),
      limit: Math.min(200, request.limit + skip),
      ...(after !== null && { after }),
    };
    const raw = await this.session.call('the search', (api) =>
      // The SDK types `sorts` as strings; HubSpot documents sort objects, which it passes through as given.
      api.search.doSearch(
        HUBSPOT_OBJECT[request.type],
        body as unknown as SdkArg<typeof api.search.doSearch>,
      ),
    );
    const page = this.session.check(searchSchema, raw, 'the search');
    const all = page.results
      .slice(skip, skip + request.limit)
      .map((r) => toRecord(request.type, r, this.links));
    const records = request.type === 'deal' ? await this.withStages(all) : all;
    let kept = 0;
    let size = 0;
    for (const r of records) {
      size += JSON.stringify(r).length;
      if (kept > 0 && size > PAGE_BUDGET_CHARS) break;
      kept++;
    }
    const next = page.paging?.next?.after ?? null;
    const cut = kept < records.length || skip + request.limit < page.results.length;
    const nextCursor = cut
      ? encodeCursor({ after, skip: skip + kept })
      : next !== null
        ? encodeCursor({ after: next, skip: 0 })
        : null;
    return {
      records: records.slice(0, kept),
      total: page.total,
      nextCursor,
      note:
        page.total > SEARCH_WINDOW
          ? `More than ${SEARCH_WINDOW} records match; HubSpot pages through the first ${SEARCH_WINDOW} only, so narrow the filters to see the rest.`
          : null,
    };
  }

  getRecord(
    ref: RecordRef,
    options: { properties: readonly string[]; relatedLimit: number; activityLimit: number },
  ) {
    return readRecordDetail(this, this.session, ref, options);
  }

  async createRecord(
    type: CrmObjectType,
    properties: Readonly<Record<string, string>>,
    associateWith: readonly RecordRef[],
  ): Promise<CrmRecord> {
    const props = await this.prepare(type, properties, undefined);
    const associations = associateWith.map((to) => {
      const typeId = associationTypeId(type, to.type);
      if (typeId === null)
        throw new CrmError('validation', `A ${type} cannot be associated with a ${to.type}.`);
      return {
        to: { id: to.id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
      };
    });
    const raw = await this.session.call(`the ${type} creation`, (api) =>
      api.objects.create(HUBSPOT_OBJECT[type], {
        properties: props,
        associations,
      } as unknown as SdkArg<typeof api.objects.create>),
    );
    const record = toRecord(type, this.session.check(objectSchema, raw, `the ${type} creation`), this.links);
    return type === 'deal' ? (await this.withStages([record]))[0]! : record;
  }

  async updateRecord(ref: RecordRef, properties: Readonly<Record<string, string>>): Promise<CrmRecord> {
    const props = await this.prepare(ref.type, properties, ref.id);
    const raw = await this.notFound(ref, () =>
      this.session.call(`the ${ref.type} update`, (api) =>
        api.objects.update(HUBSPOT_OBJECT[ref.type], ref.id, { properties: props }),
      ),
    );
    const record = toRecord(
      ref.type,
      this.session.check(objectSchema, raw, `the ${ref.type} update`),
      this.links,
    );
    return ref.type === 'deal' ? (await this.withStages([record]))[0]! : record;
  }

  async moveDealToStage(dealId: string, stage: string, pipeline?: string): Promise<StageMove> {
    const current = await this.fetchObject({ type: 'deal', id: dealId }, [
      'dealname',
      'pipeline',
      'dealstage',
      'amount',
    ]);
    const pipelines = await this.listPipelines();
    const currentPipeline = current.properties.pipeline;
    const target = resolveStage(
      pipelines,
      stage,
      pipeline,
      pipeline === undefined ? currentPipeline : undefined,
    );
    const from =
      currentPipeline && current.properties.dealstage
        ? dealStage(pipelines, currentPipeline, current.properties.dealstage)
        : null;
    const to = dealStage(pipelines, target.pipeline.id, target.stage.id);
    if (from && from.pipelineId === to.pipelineId && from.stageId === to.stageId) {
      return { deal: { ...current, stage: to }, from, to, changed: false };
    }
    const updated = await this.updateRecordRaw(
      { type: 'deal', id: dealId },
      {
        dealstage: target.stage.id,
        ...(currentPipeline !== target.pipeline.id && { pipeline: target.pipeline.id }),
      },
    );
    return { deal: { ...updated, stage: to }, from, to, changed: true };
  }

  async logNote(on: RecordRef, body: string, timestamp?: string): Promise<Activity> {
    return createEngagement(this, this.session, 'note', on, {
      hs_note_body: textToHtml(body),
      hs_timestamp: timestamp ?? new Date().toISOString(),
    });
  }

  async createTask(on: RecordRef, task: NewTask): Promise<Activity> {
    const owner = task.ownerId === undefined ? undefined : await this.ownerId(task.ownerId);
    return createEngagement(this, this.session, 'task', on, {
      hs_task_subject: task.subject,
      ...(task.body !== undefined && { hs_task_body: textToHtml(task.body) }),
      hs_timestamp: task.dueAt,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: (task.priority ?? 'medium').toUpperCase(),
      hs_task_type: (task.taskType ?? 'todo').toUpperCase(),
      ...(owner !== undefined && { hubspot_owner_id: owner }),
    });
  }

  listProperties(type: CrmObjectType): Promise<PropertyInfo[]> {
    return listProperties(this.session, type);
  }

  findOwner(emailOrId: string): Promise<Owner | null> {
    return findOwner(this.session, emailOrId);
  }

  listOwners(limit: number): Promise<Owner[]> {
    return listOwners(this.session, limit);
  }

  /** One record with the given properties; a missing one is a `not_found` naming it. */
  async fetchObject(ref: RecordRef, properties: readonly string[], associations?: readonly string[]) {
    const raw = await this.notFound(ref, () =>
      this.session.call(`the ${ref.type} request`, (api) =>
        api.objects.getById(
          HUBSPOT_OBJECT[ref.type],
          ref.id,
          [...properties],
          undefined,
          associations ? [...associations] : undefined,
        ),
      ),
    );
    const checked = this.session.check(objectSchema, raw, `the ${ref.type} request`);
    return { ...toRecord(ref.type, checked, this.links), associations: checked.associations ?? {} };
  }

  async withStages(records: CrmRecord[]): Promise<CrmRecord[]> {
    if (!records.some((r) => r.properties.pipeline && r.properties.dealstage)) return records;
    let pipelines: Pipeline[];
    try {
      pipelines = await this.listPipelines();
    } catch (error) {
      // Labels are a convenience: without the pipelines scope the ids still say where a deal is.
      if (error instanceof CrmError && error.kind === 'forbidden') return records;
      throw error;
    }
    return records.map((r) =>
      r.properties.pipeline && r.properties.dealstage
        ? { ...r, stage: dealStage(pipelines, r.properties.pipeline, r.properties.dealstage) }
        : r,
    );
  }

  /** Owner emails become owner ids; deal stage and pipeline labels become ids, validated. */
  private async prepare(
    type: CrmObjectType,
    properties: Readonly<Record<string, string>>,
    existingId: string | undefined,
  ): Promise<Record<string, string>> {
    const out = { ...properties };
    if (out.hubspot_owner_id !== undefined) out.hubspot_owner_id = await this.ownerId(out.hubspot_owner_id);
    if (
      type === 'deal' &&
      (out.dealstage !== undefined || out.pipeline !== undefined || existingId === undefined)
    ) {
      const pipelines = await this.listPipelines();
      let current: string | undefined;
      if (existingId !== undefined && out.pipeline === undefined) {
        current = (await this.fetchObject({ type: 'deal', id: existingId }, ['pipeline'])).properties
          .pipeline;
      }
      const resolved = resolveStage(pipelines, out.dealstage, out.pipeline, current);
      out.pipeline = resolved.pipeline.id;
      out.dealstage = resolved.stage.id;
    }
    return out;
  }

  async ownerId(ref: string): Promise<string> {
    if (/^\d{1,18}$/.test(ref.trim())) return ref.trim();
    const owner = await this.findOwner(ref);
    if (!owner) throw new CrmError('validation', `No HubSpot user has the email "${clip(ref, 200)}".`);
    return owner.id;
  }

  private async updateRecordRaw(ref: RecordRef, properties: Record<string, string>): Promise<CrmRecord> {
    const raw = await this.session.call(`the ${ref.type} update`, (api) =>
      api.objects.update(HUBSPOT_OBJECT[ref.type], ref.id, { properties }),
    );
    return toRecord(ref.type, this.session.check(objectSchema, raw, `the ${ref.type} update`), this.links);
  }

  async notFound<T>(ref: RecordRef, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CrmError && error.kind === 'not_found') {
        throw new CrmError(
          'not_found',
          `HubSpot has no ${ref.type} with id ${clip(ref.id, 64)} (it may have been deleted or merged).`,
          error.details,
        );
      }
      throw error;
    }
  }
}
