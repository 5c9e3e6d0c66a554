import { OWNERS, PIPELINES, PROPERTIES, type OwnerDef } from './schema.js';
import type { HubSpotStore, StoredObject } from './store.js';

/** Properties HubSpot returns when a request names none (its documented defaults per object). */
const DEFAULT_RETURNED: Record<string, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
};
const ALWAYS = ['hs_object_id', 'createdate'];

const SINGULAR: Record<string, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  notes: 'note',
  tasks: 'task',
  emails: 'email',
  calls: 'call',
  meetings: 'meeting',
};

/** A SimplePublicObject: asked-for properties (null when unset) plus the ones HubSpot always returns. */
export function renderObject(o: StoredObject, asked: readonly string[] | null): Record<string, unknown> {
  const names =
    asked && asked.length > 0
      ? [...new Set([...asked, ...ALWAYS])]
      : (DEFAULT_RETURNED[o.type] ?? Object.keys(o.properties));
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = o.properties[n] ?? null;
  return { id: o.id, properties, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false };
}

/** `associations` of GET /crm/v3/objects/{type}/{id}?associations=…: one entry per label, as HubSpot lists them. */
export function renderAssociations(
  store: HubSpotStore,
  o: StoredObject,
  types: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of types) {
    const found = store.associated(o.type, o.id, t);
    if (found.length === 0) continue;
    const label = `${SINGULAR[o.type] ?? o.type}_to_${SINGULAR[t] ?? t}`;
    out[t] = {
      results: found.flatMap((a) => [
        { id: a.toId, type: label },
        { id: a.toId, type: `${label}_unlabeled` },
      ]),
    };
  }
  return out;
}

const STAMP = '2019-10-30T03:30:17.883Z';

export function renderPipelines(): Record<string, unknown> {
  return {
    results: PIPELINES.map((p, i) => ({
      label: p.label,
      displayOrder: i,
      id: p.id,
      stages: p.stages.map((s, j) => ({
        label: s.label,
        displayOrder: j,
        metadata: { isClosed: String(s.isClosed), probability: s.probability },
        id: s.id,
        createdAt: STAMP,
        updatedAt: STAMP,
        archived: false,
        writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      })),
      createdAt: STAMP,
      updatedAt: STAMP,
      archived: false,
    })),
  };
}

function optionsFor(type: string, name: string, options: readonly string[] | undefined): string[][] {
  if (name === 'hubspot_owner_id') return OWNERS.map((o) => [`${o.firstName} ${o.lastName}`, o.id]);
  if (type === 'deals' && name === 'pipeline') return PIPELINES.map((p) => [p.label, p.id]);
  if (type === 'deals' && name === 'dealstage')
    return PIPELINES.flatMap((p) => p.stages.map((s) => [s.label, s.id]));
  return (options ?? []).map((o) => [o.charAt(0) + o.slice(1).toLowerCase().replace(/_/g, ' '), o]);
}

export function renderProperties(type: string): Record<string, unknown> {
  return {
    results: (PROPERTIES[type] ?? []).map((p, i) => ({
      updatedAt: STAMP,
      createdAt: STAMP,
      name: p.name,
      label: p.label,
      type: p.type,
      fieldType: p.fieldType,
      description: '',
      groupName: p.custom ? 'custom_properties' : `${type.replace(/s$/, '')}information`,
      options: optionsFor(type, p.name, p.options).map(([label, value], j) => ({
        label,
        value,
        displayOrder: j,
        hidden: false,
      })),
      displayOrder: i,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: false,
      hidden: false,
      ...(!p.custom && { hubspotDefined: true }),
      modificationMetadata: {
        archivable: Boolean(p.custom),
        readOnlyDefinition: !p.custom,
        readOnlyValue: Boolean(p.readOnly),
      },
      formField: !p.readOnly,
    })),
  };
}

export function renderOwner(o: OwnerDef): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: STAMP,
    updatedAt: STAMP,
    archived: false,
    teams: [],
  };
}
