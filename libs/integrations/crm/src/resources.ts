import { ProtocolError, ProtocolErrorCode, type ReadResourceResult } from '@modelcontextprotocol/server';
import type { ConnectionContext, ResourceDefinition } from '@switchboard/integration-kit';

import { CrmError } from './core/crm.errors.js';
import { OBJECT_TYPES, type CrmObjectType, type PropertyInfo } from './core/crm.types.js';
import type { CrmToolDeps } from './tools/tool-runtime.js';

const PLURAL: Record<CrmObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/** `crm://<connection id>/properties/<type>`: the connection id keeps URIs unique across CRM connections. */
export function propertiesUri(connectionId: string, type: CrmObjectType): string {
  return `crm://${encodeURIComponent(connectionId)}/properties/${PLURAL[type]}`;
}

function describe(p: PropertyInfo) {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    ...(p.fieldType && { fieldType: p.fieldType }),
    ...(p.description && { description: p.description }),
    ...(p.group && { group: p.group }),
    ...(p.readOnly && { readOnly: true }),
    ...(p.options.length > 0 && { options: p.options.map((o) => ({ value: o.value, label: o.label })) }),
  };
}

/**
 * One resource per object type describing the account's properties: every custom property in full (type,
 * allowed option values), and the standard ones by name, label and type, so a model can write filters
 * and updates with the right internal names and values. Read live on every read.
 */
export function propertyResources(deps: CrmToolDeps, ctx: ConnectionContext): ResourceDefinition[] {
  return OBJECT_TYPES.map((type) => ({
    uri: propertiesUri(ctx.connectionId, type),
    name: `crm_${PLURAL[type]}_properties`,
    title: `${ctx.connectionName}: ${type} properties`,
    description: `The ${deps.vendor} ${type} properties of "${ctx.connectionName}": custom properties with their types and allowed values, and the standard ones, by the internal names filters and updates use.`,
    mimeType: 'application/json',
    permission: 'read',
    async read(uri, call): Promise<ReadResourceResult> {
      let properties: readonly PropertyInfo[];
      try {
        properties = await (await deps.backend(call)).listProperties(type);
      } catch (error) {
        if (error instanceof CrmError)
          throw new ProtocolError(ProtocolErrorCode.InternalError, error.message);
        throw error;
      }
      const custom = properties.filter((p) => p.custom);
      const standard = properties.filter((p) => !p.custom);
      const body = {
        crm: deps.vendor,
        objectType: type,
        usage:
          'Use `name` (not the label) in filters, `properties` and updates. For enumeration properties use an option `value`. Dates filter as ISO 8601; numbers as numbers.',
        custom: custom.map(describe),
        standard: standard.map((p) => ({
          name: p.name,
          label: p.label,
          type: p.type,
          ...(p.readOnly && { readOnly: true }),
          ...(p.options.length > 0 && p.options.length <= 30 && { options: p.options.map((o) => o.value) }),
        })),
      };
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 1) }],
      };
    },
  }));
}
