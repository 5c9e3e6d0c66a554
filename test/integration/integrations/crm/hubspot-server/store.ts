import { randomUUID } from 'node:crypto';

import { ASSOCIATION_TYPES, OWNERS, PIPELINES, PROPERTIES, type PropertyDef } from './schema.js';

export interface StoredObject {
  readonly id: string;
  readonly type: string;
  properties: Record<string, string>;
  readonly createdAt: string;
  updatedAt: string;
}

export interface Association {
  readonly fromType: string;
  readonly fromId: string;
  readonly toType: string;
  readonly toId: string;
  readonly typeId: number;
}

/** A validation failure shaped like HubSpot's (`VALIDATION_ERROR` with per-property details in the message). */
export class HubSpotValidationError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

interface PropertyIssue {
  readonly name: string;
  readonly error: string;
  readonly message: string;
}

function invalidProperties(issues: readonly PropertyIssue[]): HubSpotValidationError {
  const detail = issues.map((i) => ({
    isValid: false,
    message: i.message,
    error: i.error,
    name: i.name,
    localizedErrorMessage: i.message,
  }));
  return new HubSpotValidationError(400, {
    status: 'error',
    message: `Property values were not valid: ${JSON.stringify(detail)}`,
    correlationId: randomUUID(),
    category: 'VALIDATION_ERROR',
  });
}

export function validationError(
  message: string,
  status = 400,
  category = 'VALIDATION_ERROR',
): HubSpotValidationError {
  return new HubSpotValidationError(status, {
    status: 'error',
    message,
    correlationId: randomUUID(),
    category,
  });
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds for a date value as HubSpot accepts it (Unix ms or ISO 8601), else null. */
export function dateMs(value: string): number | null {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (!ISO.test(value)) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : ms;
}

export class HubSpotStore {
  private nextId = 1_000_000 + Math.floor(Math.random() * 1000);
  readonly objects = new Map<string, Map<string, StoredObject>>();
  readonly associations: Association[] = [];

  constructor() {
    for (const type of Object.keys(PROPERTIES)) this.objects.set(type, new Map());
  }

  property(type: string, name: string): PropertyDef | undefined {
    return PROPERTIES[type]?.find((p) => p.name === name);
  }

  get(type: string, id: string): StoredObject | undefined {
    return this.objects.get(type)?.get(id);
  }

  /** Checks property values the way HubSpot does on create and update; returns them normalised. */
  validate(type: string, input: unknown, existing?: StoredObject): Record<string, string> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw validationError('Invalid input JSON: "properties" must be an object.');
    }
    const out: Record<string, string> = {};
    const issues: PropertyIssue[] = [];
    for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
      if (raw !== null && !['string', 'number', 'boolean'].includes(typeof raw)) {
        issues.push({
          name,
          error: 'INVALID_PROPERTY_VALUE',
          message: `${JSON.stringify(raw)} is not a valid value for ${name}`,
        });
        continue;
      }
      const value = raw === null ? '' : String(raw);
      const def = this.property(type, name);
      if (!def) {
        issues.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (def.readOnly) {
        issues.push({
          name,
          error: 'READ_ONLY_VALUE',
          message: `${name} is a read only property; its value cannot be set.`,
        });
        continue;
      }
      if (value !== '' && def.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) {
        issues.push({
          name,
          error: 'INVALID_FLOAT',
          message: `${JSON.stringify(value)} is not a valid number value for ${name}`,
        });
      } else if (value !== '' && (def.type === 'datetime' || def.type === 'date')) {
        const ms = dateMs(value);
        if (ms === null)
          issues.push({
            name,
            error: 'INVALID_DATE',
            message: `${JSON.stringify(value)} is not a valid date for ${name}`,
          });
        else if (def.type === 'date' && ms % 86_400_000 !== 0)
          issues.push({
            name,
            error: 'INVALID_DATE',
            message: `${value} is at ${new Date(ms).toISOString()}, which isn't midnight UTC`,
          });
        else out[name] = new Date(ms).toISOString();
        continue;
      } else if (
        value !== '' &&
        def.type === 'enumeration' &&
        def.options &&
        def.options.length > 0 &&
        !def.options.includes(value)
      ) {
        issues.push({
          name,
          error: 'INVALID_OPTION',
          message: `${JSON.stringify(value)} was not one of the allowed options: ${def.options.join(', ')}`,
        });
      } else if (value !== '' && name === 'hubspot_owner_id' && !OWNERS.some((o) => o.id === value)) {
        issues.push({ name, error: 'INVALID_OWNER_ID', message: `${value} is not a valid owner id` });
      }
      out[name] = value;
    }
    if (type === 'deals') {
      const pipelineId = out.pipeline ?? existing?.properties.pipeline ?? 'default';
      const pipeline = PIPELINES.find((p) => p.id === pipelineId);
      if (!pipeline)
        issues.push({
          name: 'pipeline',
          error: 'INVALID_OPTION',
          message: `pipeline ${pipelineId} does not exist`,
        });
      const stage =
        out.dealstage ?? (out.pipeline !== undefined ? undefined : existing?.properties.dealstage);
      if (pipeline && stage !== undefined && !pipeline.stages.some((s) => s.id === stage)) {
        issues.push({
          name: 'dealstage',
          error: 'INVALID_OPTION',
          message: `${stage} is not a valid deal stage of pipeline ${pipeline.label}`,
        });
      }
      if (pipeline && !existing && out.dealstage === undefined) {
        issues.push({ name: 'dealstage', error: 'REQUIRED', message: 'dealstage is required' });
      }
      if (pipeline && out.pipeline !== undefined && out.dealstage === undefined && existing) {
        issues.push({
          name: 'dealstage',
          error: 'REQUIRED',
          message: 'dealstage must be set when the pipeline changes',
        });
      }
    }
    if (
      ['notes', 'tasks', 'emails', 'calls', 'meetings'].includes(type) &&
      !existing &&
      out.hs_timestamp === undefined
    ) {
      issues.push({ name: 'hs_timestamp', error: 'REQUIRED', message: 'hs_timestamp is required' });
    }
    if (issues.length > 0) throw invalidProperties(issues);
    return out;
  }

  create(type: string, properties: Record<string, string>, now = new Date()): StoredObject {
    if (type === 'contacts' && properties.email) {
      const dup = [...this.objects.get('contacts')!.values()].find(
        (c) => c.properties.email?.toLowerCase() === properties.email!.toLowerCase(),
      );
      if (dup) throw validationError(`Contact already exists. Existing ID: ${dup.id}`, 409, 'CONFLICT');
    }
    const id = String(this.nextId++);
    const at = now.toISOString();
    const defaults: Record<string, string> = { hs_object_id: id, createdate: at };
    defaults[type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'] = at;
    if (type === 'deals') {
      properties.pipeline ??= 'default';
      const stage = PIPELINES.find((p) => p.id === properties.pipeline)?.stages.find(
        (s) => s.id === properties.dealstage,
      );
      defaults.hs_is_closed = String(stage?.isClosed ?? false);
    }
    const object: StoredObject = {
      id,
      type,
      properties: { ...defaults, ...properties },
      createdAt: at,
      updatedAt: at,
    };
    this.objects.get(type)!.set(id, object);
    return object;
  }

  update(object: StoredObject, properties: Record<string, string>, now = new Date()): StoredObject {
    const at = now.toISOString();
    Object.assign(object.properties, properties);
    object.properties[object.type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'] = at;
    if (object.type === 'deals') {
      const stage = PIPELINES.find((p) => p.id === object.properties.pipeline)?.stages.find(
        (s) => s.id === object.properties.dealstage,
      );
      object.properties.hs_is_closed = String(stage?.isClosed ?? false);
    }
    object.updatedAt = at;
    return object;
  }

  archive(type: string, id: string): boolean {
    const removed = this.objects.get(type)?.delete(id) ?? false;
    for (let i = this.associations.length - 1; i >= 0; i--) {
      const a = this.associations[i]!;
      if ((a.fromType === type && a.fromId === id) || (a.toType === type && a.toId === id))
        this.associations.splice(i, 1);
    }
    return removed;
  }

  /** Adds an association and its inverse, as HubSpot does; an engagement touches its record's activity date. */
  associate(fromType: string, fromId: string, toType: string, toId: string, typeId: number): void {
    const expected = ASSOCIATION_TYPES[`${fromType}>${toType}`];
    if (expected !== typeId) {
      throw validationError(`association type id ${typeId} doesn't exist between ${fromType} and ${toType}`);
    }
    const target = this.get(toType, toId);
    if (!target) throw validationError(`No ${toType} with ID ${toId} exists`, 400, 'VALIDATION_ERROR');
    this.associations.push({ fromType, fromId, toType, toId, typeId });
    const inverse = ASSOCIATION_TYPES[`${toType}>${fromType}`] ?? 0;
    this.associations.push({
      fromType: toType,
      fromId: toId,
      toType: fromType,
      toId: fromId,
      typeId: inverse,
    });
    const from = this.get(fromType, fromId);
    if (from?.properties.hs_timestamp && ['contacts', 'companies', 'deals'].includes(toType)) {
      const previous = target.properties.notes_last_updated;
      if (!previous || previous < from.properties.hs_timestamp)
        target.properties.notes_last_updated = from.properties.hs_timestamp;
    }
  }

  associated(type: string, id: string, toType: string): Association[] {
    return this.associations.filter((a) => a.fromType === type && a.fromId === id && a.toType === toType);
  }
}
