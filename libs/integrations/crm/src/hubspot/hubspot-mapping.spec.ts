import { describe, expect, it } from '@jest/globals';

import {
  associationTypeId,
  displayName,
  filterValue,
  recordUrl,
  toActivity,
  toHubSpotFilter,
  toRecord,
} from './hubspot-mapping.js';
import { findStage, resolveStage } from './hubspot-pipelines.js';
import type { Pipeline } from '../core/crm.types.js';

describe('HubSpot mapping', () => {
  it('turns ISO dates into the milliseconds HubSpot search compares, and leaves other values alone', () => {
    expect(filterValue('2024-07-01')).toBe(String(Date.parse('2024-07-01T00:00:00Z')));
    expect(filterValue('2024-07-01T12:30:00Z')).toBe(String(Date.parse('2024-07-01T12:30:00Z')));
    expect(filterValue('2024-13-45')).toBe('2024-13-45');
    expect(filterValue('lead')).toBe('lead');
    expect(
      toHubSpotFilter({ property: 'amount', operator: 'between', value: '10', highValue: '20' }),
    ).toEqual({
      propertyName: 'amount',
      operator: 'BETWEEN',
      value: '10',
      highValue: '20',
    });
    expect(toHubSpotFilter({ property: 'email', operator: 'has_no_value' })).toEqual({
      propertyName: 'email',
      operator: 'NOT_HAS_PROPERTY',
    });
  });

  it('names records the way a salesperson would', () => {
    expect(displayName('contact', '1', { firstname: 'Jane', lastname: 'Doe', email: 'j@x.com' })).toBe(
      'Jane Doe',
    );
    expect(displayName('contact', '1', { email: 'j@x.com' })).toBe('j@x.com');
    expect(displayName('contact', '7', {})).toBe('Contact 7');
    expect(displayName('company', '2', { domain: 'acme.com' })).toBe('acme.com');
    expect(displayName('deal', '3', { dealname: 'Big one' })).toBe('Big one');
  });

  it('links records only when the portal id is known', () => {
    expect(recordUrl('deal', '9', { portalId: undefined, appUrl: 'https://app.hubspot.com' })).toBeNull();
    expect(recordUrl('deal', '9', { portalId: 42, appUrl: 'https://app-eu1.hubspot.com/' })).toBe(
      'https://app-eu1.hubspot.com/contacts/42/record/0-3/9',
    );
  });

  it('drops empty properties and cuts long ones', () => {
    const r = toRecord(
      'company',
      { id: '5', properties: { name: 'Acme', city: '', phone: null, about: 'z'.repeat(900) } },
      { portalId: undefined, appUrl: '' },
    );
    expect(Object.keys(r.properties)).toEqual(['name', 'about']);
    expect(r.properties.about).toHaveLength(500);
    expect(r.createdAt).toBeNull();
  });

  it('reads activities with their timestamps and plain-text bodies', () => {
    expect(
      toActivity('call', {
        id: '8',
        properties: {
          hs_timestamp: '1636732102000',
          hs_call_title: 'Support call',
          hs_call_body: '<p>Resolved <b>issue</b></p>',
          hs_call_direction: 'INBOUND',
        },
      }),
    ).toEqual({
      id: '8',
      type: 'call',
      timestamp: '2021-11-12T15:48:22.000Z',
      title: 'Support call',
      body: 'Resolved issue',
      status: 'INBOUND',
      ownerId: null,
    });
  });

  it('knows the documented association type ids and refuses pairs HubSpot lacks', () => {
    expect(associationTypeId('note', 'deal')).toBe(214);
    expect(associationTypeId('contact', 'company')).toBe(279);
    expect(associationTypeId('deal', 'deal')).toBeNull();
  });
});

describe('pipeline stages', () => {
  const pipelines: Pipeline[] = [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        {
          id: 'appointmentscheduled',
          label: 'Appointment Scheduled',
          order: 0,
          probability: 0.2,
          closed: false,
          won: null,
        },
        { id: 'contractsent', label: 'Contract Sent', order: 1, probability: 0.9, closed: false, won: null },
        { id: 'closedwon', label: 'Closed Won', order: 2, probability: 1, closed: true, won: true },
      ],
    },
    {
      id: '77',
      label: 'Renewals',
      stages: [
        { id: '101', label: 'Renewal Due', order: 0, probability: 0.5, closed: false, won: null },
        { id: '102', label: 'Contract Sent', order: 1, probability: 0.9, closed: false, won: null },
      ],
    },
  ];

  it('resolves a stage by label (any case) or id within the pipeline asked for, else the current one', () => {
    expect(resolveStage(pipelines, 'closed won', undefined, 'default').stage.id).toBe('closedwon');
    expect(resolveStage(pipelines, '102', 'Renewals').stage.label).toBe('Contract Sent');
    expect(resolveStage(pipelines, 'Contract Sent', undefined, '77').stage.id).toBe('102');
    expect(resolveStage(pipelines, undefined, 'renewals').stage.id).toBe('101');
    expect(resolveStage(pipelines, 'Renewal Due', undefined).pipeline.id).toBe('77');
  });

  it('refuses an unknown or ambiguous stage with what would work', () => {
    expect(() => resolveStage(pipelines, 'Contract Sent', undefined)).toThrow(
      'exists in several pipelines ("Sales Pipeline", "Renewals")',
    );
    expect(() => findStage(pipelines[0]!, 'Renewal Due', pipelines)).toThrow(
      'A stage of that name is in the pipeline "Renewals": pass that pipeline to move the deal there.',
    );
    expect(() => resolveStage(pipelines, 'x', 'Nope')).toThrow(
      'There is no deal pipeline "Nope". Pipelines: "Sales Pipeline" (default), "Renewals" (77).',
    );
  });
});
