import type { ToolDefinition } from '@switchboard/integration-kit';
import { textResult, toolError } from '@switchboard/integration-kit';
import * as z from 'zod';
import { RED_PIXEL_PNG_BASE64, SILENT_WAV_BASE64 } from '../media.js';
import { NO_ARGUMENTS, READ_ONLY } from './tool-defaults.js';

/** Tools that return fixed content of every content type the protocol defines. */

export const simpleTextTool: ToolDefinition = {
  name: 'test_simple_text',
  title: 'Simple text',
  description: 'Returns one fixed text block. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => textResult('This is a simple text response for testing.'),
};

export const imageContentTool: ToolDefinition = {
  name: 'test_image_content',
  title: 'Image content',
  description: 'Returns a 1×1 red PNG as image content. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => ({ content: [{ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }] }),
};

export const audioContentTool: ToolDefinition = {
  name: 'test_audio_content',
  title: 'Audio content',
  description: 'Returns 10 ms of silence as WAV audio content. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => ({ content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }] }),
};

export const embeddedResourceTool: ToolDefinition = {
  name: 'test_embedded_resource',
  title: 'Embedded resource',
  description: 'Returns a text resource embedded in the result. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => ({
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  }),
};

export const multipleContentTypesTool: ToolDefinition = {
  name: 'test_multiple_content_types',
  title: 'Multiple content types',
  description: 'Returns text, an image and an embedded JSON resource in one result. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => ({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  }),
};

export const errorHandlingTool: ToolDefinition = {
  name: 'test_error_handling',
  title: 'Error handling',
  description: 'Always fails with a tool error (isError: true), to test how clients show tool failures.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async () => toolError('This tool intentionally returns an error for testing'),
};

/**
 * `$defs` keys come from zod's `id` metadata; the conformance check looks for `$defs.address` by that name.
 * The object is strict so the listed schema says `additionalProperties: false`.
 */
const address = z
  .object({ street: z.string().optional(), city: z.string().optional() })
  .meta({ id: 'address' });

const jsonSchema202012Input = z.object({ name: z.string().optional(), address: address.optional() }).strict();

export const jsonSchema202012Tool: ToolDefinition = {
  name: 'json_schema_2020_12_tool',
  title: 'JSON Schema 2020-12',
  description:
    'Accepts an optional name and address; its input schema uses JSON Schema 2020-12 keywords ($schema, $defs, $ref). Echoes the arguments back.',
  inputSchema: jsonSchema202012Input,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (args) => textResult(`Received: ${JSON.stringify(jsonSchema202012Input.parse(args))}`),
};

export const contentTools: readonly ToolDefinition[] = [
  simpleTextTool,
  imageContentTool,
  audioContentTool,
  embeddedResourceTool,
  multipleContentTypesTool,
  errorHandlingTool,
  jsonSchema202012Tool,
];
