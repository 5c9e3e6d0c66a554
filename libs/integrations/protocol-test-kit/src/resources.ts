import type { ResourceDefinition, ResourceTemplateDefinition } from '@switchboard/integration-kit';
import { RED_PIXEL_PNG_BASE64 } from './media.js';

export const staticTextResource: ResourceDefinition = {
  uri: 'test://static-text',
  name: 'static-text',
  title: 'Static text',
  description: 'A fixed plain-text resource.',
  mimeType: 'text/plain',
  permission: 'read',
  read: async (uri) => ({
    contents: [
      { uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
    ],
  }),
};

export const staticBinaryResource: ResourceDefinition = {
  uri: 'test://static-binary',
  name: 'static-binary',
  title: 'Static binary',
  description: 'A fixed binary resource: a 1×1 red PNG.',
  mimeType: 'image/png',
  permission: 'read',
  read: async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: RED_PIXEL_PNG_BASE64 }] }),
};

/** Exists so clients have something to subscribe to; its content never changes on its own. */
export const watchedResource: ResourceDefinition = {
  uri: 'test://watched-resource',
  name: 'watched-resource',
  title: 'Watched resource',
  description: 'A resource clients may subscribe to for update notifications.',
  mimeType: 'text/plain',
  permission: 'read',
  read: async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }],
  }),
};

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

export const templateDataResource: ResourceTemplateDefinition = {
  uriTemplate: 'test://template/{id}/data',
  name: 'template-data',
  title: 'Template data',
  description: 'JSON data for any id: the id in the URI is substituted into the content.',
  mimeType: 'application/json',
  permission: 'read',
  read: async (uri, variables) => {
    const id = single(variables['id']);
    return {
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    };
  },
  complete: {
    id: (value) => ['1', '2', '3', '123'].filter((id) => id.startsWith(value)),
  },
};

export const fixtureResources: readonly ResourceDefinition[] = [
  staticTextResource,
  staticBinaryResource,
  watchedResource,
];
export const fixtureResourceTemplates: readonly ResourceTemplateDefinition[] = [templateDataResource];
