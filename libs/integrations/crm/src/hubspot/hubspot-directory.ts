import { CrmError } from '../core/crm.errors.js';
import type { CrmObjectType, Owner, PropertyInfo } from '../core/crm.types.js';
import { clip } from '../core/text.js';
import { HUBSPOT_OBJECT } from './hubspot-mapping.js';
import { ownerSchema, ownersSchema, propertiesSchema } from './hubspot-schemas.js';
import type { HubSpotSession } from './hubspot-session.js';

/** The account's properties of one object type (hidden ones left out; option lists capped at 100). */
export async function listProperties(session: HubSpotSession, type: CrmObjectType): Promise<PropertyInfo[]> {
  const raw = await session.call('the properties request', (api) =>
    api.properties.getAll(HUBSPOT_OBJECT[type], false),
  );
  const { results } = session.check(propertiesSchema, raw, 'the properties request');
  return results
    .filter((p) => p.hidden !== true)
    .map((p) => ({
      name: p.name,
      label: clip(p.label, 200),
      type: p.type,
      fieldType: p.fieldType ?? null,
      description: p.description ? clip(p.description, 300) : null,
      group: p.groupName ?? null,
      custom: p.hubspotDefined !== true,
      readOnly: p.modificationMetadata?.readOnlyValue === true || p.calculated === true,
      options: (p.options ?? [])
        .slice(0, 100)
        .map((o) => ({ label: clip(o.label, 100), value: clip(o.value, 100) })),
    }));
}

function toOwner(raw: {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}): Owner {
  const name = [raw.firstName, raw.lastName].filter(Boolean).join(' ').trim();
  return { id: raw.id, email: raw.email ?? null, name: name || null };
}

/** A HubSpot user records can be assigned to, by email or owner id; null when there is none. */
export async function findOwner(session: HubSpotSession, emailOrId: string): Promise<Owner | null> {
  const ref = emailOrId.trim();
  if (ref.includes('@')) {
    const raw = await session.call('the owners request', (api) => api.owners.getPage(ref, undefined, 1));
    const owner = session.check(ownersSchema, raw, 'the owners request').results[0];
    return owner ? toOwner(owner) : null;
  }
  if (!/^\d{1,18}$/.test(ref)) return null;
  try {
    const raw = await session.call('the owner request', (api) => api.owners.getById(Number(ref)));
    return toOwner(session.check(ownerSchema, raw, 'the owner request'));
  } catch (error) {
    if (error instanceof CrmError && error.kind === 'not_found') return null;
    throw error;
  }
}

export async function listOwners(session: HubSpotSession, limit: number): Promise<Owner[]> {
  const raw = await session.call('the owners request', (api) =>
    api.owners.getPage(undefined, undefined, Math.min(100, limit)),
  );
  return session.check(ownersSchema, raw, 'the owners request').results.map(toOwner);
}
