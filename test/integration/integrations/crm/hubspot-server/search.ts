import { PROPERTIES } from './schema.js';
import { dateMs, validationError, type StoredObject } from './store.js';

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
const KEYS = new Set(['query', 'limit', 'after', 'sorts', 'properties', 'filterGroups']);

export interface SearchBody {
  readonly query?: string;
  readonly limit: number;
  readonly after: number;
  readonly sort?: { readonly propertyName: string; readonly direction: 'ASCENDING' | 'DESCENDING' };
  readonly properties: readonly string[];
  readonly groups: readonly (readonly Filter[])[];
}

interface Filter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly highValue?: string;
}

function fail(message: string): never {
  throw validationError(message);
}

function str(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(`Invalid input JSON: ${what} must be a string`);
}

/**
 * Checks a POST /crm/v3/objects/{objectType}/search body against HubSpot's documented request schema and
 * limits: at most 5 filter groups, 6 filters per group, 18 filters in all, one sort, `limit` 1–200, and
 * paging through the first 10,000 results only.
 */
export function parseSearch(type: string, body: unknown): SearchBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    fail('Invalid input JSON: expected an object');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (!KEYS.has(key)) fail(`Invalid input JSON: Unrecognized field "${key}"`);
  const limit = b.limit === undefined ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) fail('limit must be between 1 and 200');
  const after = b.after === undefined ? 0 : Number(b.after);
  if (!Number.isInteger(after) || after < 0) fail('after must be a non-negative integer');
  if (after + limit > 10_000) fail('The search API cannot page past 10,000 results.');
  const groups = b.filterGroups === undefined ? [] : b.filterGroups;
  if (!Array.isArray(groups)) fail('Invalid input JSON: filterGroups must be an array');
  if (groups.length > 5) fail('Too many filter groups: at most 5 are allowed');
  let total = 0;
  const parsedGroups = groups.map((g) => {
    const filters = (g as { filters?: unknown }).filters;
    if (!Array.isArray(filters)) fail('Invalid input JSON: each filter group needs a filters array');
    if (filters.length > 6) fail('Too many filters in a group: at most 6 are allowed');
    total += filters.length;
    return filters.map((f): Filter => {
      const raw = f as Record<string, unknown>;
      const propertyName = str(raw.propertyName, 'propertyName');
      const operator = str(raw.operator ?? 'EQ', 'operator');
      if (!OPERATORS.has(operator))
        fail(`Invalid input JSON: operator "${operator}" is not one of ${[...OPERATORS].join(', ')}`);
      if (
        !propertyName.startsWith('associations.') &&
        !PROPERTIES[type]?.some((p) => p.name === propertyName)
      ) {
        fail(`There was a problem with the request: property "${propertyName}" doesn't exist`);
      }
      const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
      if (needsValue && raw.value === undefined)
        fail(`Filter on ${propertyName} with ${operator} needs a value`);
      if ((operator === 'IN' || operator === 'NOT_IN') && !Array.isArray(raw.values))
        fail(`${operator} needs values`);
      if (operator === 'BETWEEN' && raw.highValue === undefined) fail('BETWEEN needs a highValue');
      return {
        propertyName,
        operator,
        ...(raw.value !== undefined && { value: str(raw.value, 'value') }),
        ...(Array.isArray(raw.values) && { values: raw.values.map((v) => str(v, 'values')) }),
        ...(raw.highValue !== undefined && { highValue: str(raw.highValue, 'highValue') }),
      };
    });
  });
  if (total > 18) fail('Too many filters: at most 18 are allowed across all groups');
  const sorts = b.sorts === undefined ? [] : b.sorts;
  if (!Array.isArray(sorts) || sorts.length > 1) fail('At most one sort is allowed');
  let sort: SearchBody['sort'];
  if (sorts.length === 1) {
    const s = sorts[0] as Record<string, unknown>;
    const direction = s.direction ?? 'ASCENDING';
    if (typeof s.propertyName !== 'string' || (direction !== 'ASCENDING' && direction !== 'DESCENDING')) {
      fail('Invalid input JSON: a sort needs propertyName and direction ASCENDING or DESCENDING');
    }
    sort = { propertyName: s.propertyName, direction };
  }
  const properties = b.properties === undefined ? [] : b.properties;
  if (!Array.isArray(properties) || !properties.every((p) => typeof p === 'string'))
    fail('properties must be strings');
  if (b.query !== undefined && typeof b.query !== 'string') fail('query must be a string');
  return {
    ...(typeof b.query === 'string' && b.query !== '' && { query: b.query }),
    limit,
    after,
    ...(sort && { sort }),
    properties: properties as string[],
    groups: parsedGroups,
  };
}

function comparable(type: string, name: string, value: string): number | string {
  const def = PROPERTIES[type]?.find((p) => p.name === name);
  if (def?.type === 'number') return Number(value);
  if (def?.type === 'datetime' || def?.type === 'date' || name === 'createdate') return dateMs(value) ?? NaN;
  return value.toLowerCase();
}

function matches(type: string, o: StoredObject, f: Filter): boolean {
  const actual = o.properties[f.propertyName];
  const has = actual !== undefined && actual !== '';
  const cmp = (v: string) => comparable(type, f.propertyName, v);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && cmp(actual) === cmp(f.value!);
    case 'NEQ':
      return !has || cmp(actual) !== cmp(f.value!);
    case 'IN':
      return has && f.values!.some((v) => cmp(v) === cmp(actual));
    case 'NOT_IN':
      return !has || !f.values!.some((v) => cmp(v) === cmp(actual));
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const pattern = new RegExp(
        `^${f
          .value!.toLowerCase()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      );
      const found =
        has &&
        actual
          .toLowerCase()
          .split(/[^a-z0-9@._*-]+/)
          .some((t) => pattern.test(t));
      return f.operator === 'CONTAINS_TOKEN' ? found : !found;
    }
    default: {
      if (!has) return false;
      const a = cmp(actual);
      const lo = cmp(f.value!);
      if (f.operator === 'BETWEEN') return a >= lo && a <= cmp(f.highValue!);
      if (f.operator === 'LT') return a < lo;
      if (f.operator === 'LTE') return a <= lo;
      if (f.operator === 'GT') return a > lo;
      return a >= lo;
    }
  }
}

/** Runs a parsed search over the stored objects of one type. */
export function runSearch(type: string, all: readonly StoredObject[], search: SearchBody): StoredObject[] {
  const searchable = (PROPERTIES[type] ?? []).filter((p) => p.searchable).map((p) => p.name);
  const words = search.query?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const hits = all.filter((o) => {
    if (words.length > 0) {
      const hay = searchable.map((n) => (o.properties[n] ?? '').toLowerCase()).join(' ');
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return search.groups.length === 0 || search.groups.some((g) => g.every((f) => matches(type, o, f)));
  });
  const sort = search.sort;
  if (sort) {
    const dir = sort.direction === 'ASCENDING' ? 1 : -1;
    hits.sort((x, y) => {
      const a = comparable(type, sort.propertyName, x.properties[sort.propertyName] ?? '');
      const b = comparable(type, sort.propertyName, y.properties[sort.propertyName] ?? '');
      return (a < b ? -1 : a > b ? 1 : Number(x.id) - Number(y.id)) * dir;
    });
  } else {
    hits.sort((x, y) => Number(x.id) - Number(y.id));
  }
  return hits;
}
