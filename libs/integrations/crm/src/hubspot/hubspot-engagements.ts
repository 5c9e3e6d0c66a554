import { CrmError } from '../core/crm.errors.js';
import type { Activity, RecordRef } from '../core/crm.types.js';
import { associationTypeId, toActivity } from './hubspot-mapping.js';
import { objectSchema } from './hubspot-schemas.js';
import type { HubSpotSession } from './hubspot-session.js';
import type { HubSpotBackend } from './hubspot.backend.js';

type CreateArg = Parameters<HubSpotSession['apis']['objects']['create']>[1];

/** Creates a note or task associated with one record (HUBSPOT_DEFINED association), in one request. */
export async function createEngagement(
  backend: HubSpotBackend,
  session: HubSpotSession,
  kind: 'note' | 'task',
  on: RecordRef,
  properties: Record<string, string>,
): Promise<Activity> {
  const typeId = associationTypeId(kind, on.type);
  if (typeId === null) throw new CrmError('validation', `A ${kind} cannot be logged on a ${on.type}.`);
  const raw = await backend.notFound(on, () =>
    session.call(`the ${kind} creation`, (api) =>
      api.objects.create(kind === 'note' ? 'notes' : 'tasks', {
        properties,
        associations: [
          {
            to: { id: on.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
          },
        ],
      } as unknown as CreateArg),
    ),
  );
  return toActivity(kind, session.check(objectSchema, raw, `the ${kind} creation`));
}
