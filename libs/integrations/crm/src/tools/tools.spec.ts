import { describe, expect, it } from '@jest/globals';

import { HUBSPOT_FIELDS } from '../hubspot/hubspot-mapping.js';
import type { CrmBackend } from '../core/crm.types.js';
import { crmTools } from './index.js';
import { filterSchema } from './schemas.js';
import { toProperties } from './write.fields.js';

const backend = { vendor: 'HubSpot', fields: HUBSPOT_FIELDS } as unknown as CrmBackend;

describe('tool inputs', () => {
  it('maps typed fields to the CRM property names, over free-form properties', () => {
    expect(
      toProperties(
        backend,
        'deal',
        { name: 'Big', amount: '100', close_date: '2024-07-31', stage: 'Won' },
        { dealname: 'ignored', competitor: 'X' },
      ),
    ).toEqual({
      dealname: 'Big',
      amount: '100',
      closedate: '2024-07-31T00:00:00.000Z',
      dealstage: 'Won',
      competitor: 'X',
    });
    expect(toProperties(backend, 'contact', { first_name: 'Jane', owner: 'a@b.c' }, {})).toEqual({
      firstname: 'Jane',
      hubspot_owner_id: 'a@b.c',
    });
  });

  it('checks that each filter operator has the values it needs', () => {
    expect(filterSchema.safeParse({ property: 'amount', operator: 'between', value: 1 }).success).toBe(false);
    expect(
      filterSchema.safeParse({ property: 'amount', operator: 'between', value: 1, high_value: 5 }).success,
    ).toBe(true);
    expect(filterSchema.safeParse({ property: 'x', operator: 'in' }).success).toBe(false);
    expect(filterSchema.safeParse({ property: 'x', operator: 'has_value', value: 'y' }).success).toBe(false);
    expect(filterSchema.parse({ property: 'city', value: 'Berlin' })).toEqual({
      property: 'city',
      operator: 'eq',
      value: 'Berlin',
    });
  });

  it('validates arguments before touching the CRM, and answers with a tool error', async () => {
    let opened = 0;
    const tools = crmTools({ vendor: 'HubSpot', backend: async () => (opened++, backend) });
    const ctx = { logger: { info: () => undefined } } as never;
    const create = tools.find((t) => t.name === 'crm_create_contact')!;
    const r = (await create.handler({ job_title: 'CTO' }, ctx)) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toBe('Invalid arguments (give at least one of email, first_name, last_name).');
    const find = tools.find((t) => t.name === 'crm_find_contacts')!;
    const bad = (await find.handler({ limit: 500 }, ctx)) as { content: { text: string }[] };
    expect(bad.content[0]!.text).toContain('limit');
    expect(opened).toBe(0);
  });
});
