import { describe, expect, it } from '@jest/globals';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { RED_PIXEL_PNG_BASE64, SILENT_WAV_BASE64 } from '../media.js';
import { fakeCallContext } from '../testing/fake-call-context.js';
import {
  audioContentTool,
  embeddedResourceTool,
  errorHandlingTool,
  imageContentTool,
  jsonSchema202012Tool,
  multipleContentTypesTool,
  simpleTextTool,
} from './content.tools.js';

/** Content tools never ask for input, so their answer is always a plain tool result. */
const call = async (tool: { handler: typeof simpleTextTool.handler }, args: Record<string, unknown> = {}) =>
  (await tool.handler(args, fakeCallContext().ctx)) as CallToolResult;

describe('content tools', () => {
  it('test_simple_text returns the fixed text', async () => {
    expect(await call(simpleTextTool)).toEqual({
      content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
    });
  });

  it('test_image_content returns a PNG image block', async () => {
    expect(await call(imageContentTool)).toEqual({
      content: [{ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }],
    });
  });

  it('test_audio_content returns a WAV audio block', async () => {
    expect(await call(audioContentTool)).toEqual({
      content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }],
    });
  });

  it('test_embedded_resource embeds a text resource', async () => {
    expect(await call(embeddedResourceTool)).toEqual({
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
    });
  });

  it('test_multiple_content_types returns text, image and a JSON resource in that order', async () => {
    const result = await call(multipleContentTypesTool);
    expect(result.content.map((c) => c.type)).toEqual(['text', 'image', 'resource']);
    expect(result.content[2]).toEqual({
      type: 'resource',
      resource: {
        uri: 'test://mixed-content-resource',
        mimeType: 'application/json',
        text: '{"test":"data","value":123}',
      },
    });
  });

  it('test_error_handling answers with a tool error, not a protocol error', async () => {
    expect(await call(errorHandlingTool)).toEqual({
      content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
      isError: true,
    });
  });

  it('json_schema_2020_12_tool lists $schema, $defs and additionalProperties', () => {
    const schema = jsonSchema202012Tool.inputSchema['~standard'].jsonSchema.input({
      target: 'draft-2020-12',
    });
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      $defs: {
        address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
    });
  });

  it('json_schema_2020_12_tool echoes its arguments', async () => {
    const result = await call(jsonSchema202012Tool, { name: 'Ada', address: { city: 'London' } });
    expect(result.content).toEqual([
      { type: 'text', text: 'Received: {"name":"Ada","address":{"city":"London"}}' },
    ]);
  });
});
