import { describe, expect, it } from '@jest/globals';
import type { PackSurface, ToolDefinition, ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';

import { buildEndpointSurface, selectTools, slugify, uniqueName } from './endpoint-surface.js';
import type { EndpointDescriptor, ExposedConnection, ToolOverride } from './mcp.types.js';

function tool(name: string): ToolDefinition {
  return {
    name,
    title: name.toUpperCase(),
    description: `does ${name}`,
    inputSchema: z.object({}),
    annotations: {},
    permission: 'read',
    handler: async () => ({ content: [] }),
  };
}

function connection(
  name: string,
  surface: PackSurface | Error,
  mode: 'all' | 'selected' = 'all',
  overrides: Record<string, ToolOverride> = {},
): ExposedConnection {
  const pack = {
    id: `pack-${name}`,
    surface: async () => {
      if (surface instanceof Error) throw surface;
      return surface;
    },
  } as unknown as ToolPack;
  return {
    connectionId: `id-${name}`,
    connectionName: name,
    pack,
    config: {},
    mode,
    toolOverrides: new Map(Object.entries(overrides)),
    secrets: { get: async () => '', has: async () => false },
  };
}

function descriptor(connections: ExposedConnection[]): EndpointDescriptor {
  return {
    tenant: { id: 't', slug: 'acme', name: 'Acme' },
    endpoint: { id: 'e', slug: 'default', name: 'Default', isDefault: true, public: false },
    path: '/t/acme/mcp',
    connections,
    generation: 1,
  };
}

const noLogger = () => ({ debug() {}, info() {}, warn() {}, error() {} });

describe('slugify / uniqueName', () => {
  it('slugs connection names', () => {
    expect(slugify('Sales HubSpot (EU)')).toBe('sales_hubspot_eu');
    expect(slugify('!!!')).toBe('connection');
  });

  it('keeps the first name, prefixes later collisions, then numbers them', () => {
    const taken = new Set<string>();
    expect(uniqueName('search', 'CRM', taken)).toBe('search');
    expect(uniqueName('search', 'Tracker', taken)).toBe('tracker_search');
    expect(uniqueName('search', 'Tracker', taken)).toBe('tracker_search_2');
  });

  it('never exceeds 64 characters', () => {
    const taken = new Set(['x'.repeat(60)]);
    expect(uniqueName('x'.repeat(60), 'A very long connection name', taken).length).toBeLessThanOrEqual(64);
  });
});

describe('selectTools', () => {
  it('mode all: every tool unless disabled; overrides rename and redescribe', () => {
    const c = connection('c', { tools: [] }, 'all', {
      a: { enabled: true, title: 'Alpha', description: null },
      b: { enabled: false, title: null, description: null },
    });
    const picked = selectTools(c, [tool('a'), tool('b'), tool('c')]);
    expect(picked.map((p) => [p.def.name, p.title, p.description])).toEqual([
      ['a', 'Alpha', 'does a'],
      ['c', 'C', 'does c'],
    ]);
  });

  it('mode selected: only tools enabled by an override', () => {
    const c = connection('c', { tools: [] }, 'selected', {
      b: { enabled: true, title: null, description: 'custom' },
    });
    expect(selectTools(c, [tool('a'), tool('b')]).map((p) => [p.def.name, p.description])).toEqual([
      ['b', 'custom'],
    ]);
  });
});

describe('buildEndpointSurface', () => {
  it('merges connections, prefixing colliding tool names of later connections', async () => {
    const surface = await buildEndpointSurface(
      descriptor([
        connection('CRM', { tools: [tool('search')] }),
        connection('Tracker', { tools: [tool('search'), tool('other')] }),
      ]),
      noLogger,
      () => undefined,
    );
    expect(surface.tools.map((t) => [t.name, t.connection.connectionName])).toEqual([
      ['search', 'CRM'],
      ['tracker_search', 'Tracker'],
      ['other', 'Tracker'],
    ]);
  });

  it('leaves out a connection whose pack fails, and reports it', async () => {
    const failed: string[] = [];
    const surface = await buildEndpointSurface(
      descriptor([
        connection('Broken', new Error('upstream down')),
        connection('Ok', { tools: [tool('a')] }),
      ]),
      noLogger,
      (c) => failed.push(c.connectionName),
    );
    expect(failed).toEqual(['Broken']);
    expect(surface.tools.map((t) => t.name)).toEqual(['a']);
  });

  it('keeps the first resource for a duplicated URI', async () => {
    const resource = (text: string) => ({
      uri: 'x://same',
      name: text,
      permission: 'read' as const,
      read: async () => ({ contents: [] }),
    });
    const surface = await buildEndpointSurface(
      descriptor([
        connection('A', { tools: [], resources: [resource('first')] }),
        connection('B', { tools: [], resources: [resource('second')] }),
      ]),
      noLogger,
      () => undefined,
    );
    expect(surface.resources.map((r) => r.def.name)).toEqual(['first']);
  });
});
