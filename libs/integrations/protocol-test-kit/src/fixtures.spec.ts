import { describe, expect, it } from '@jest/globals';
import { RED_PIXEL_PNG_BASE64 } from './media.js';
import { promptWithArguments, promptWithEmbeddedResource, promptWithImage, simplePrompt } from './prompts.js';
import { staticBinaryResource, staticTextResource, templateDataResource } from './resources.js';
import { fakeCallContext } from './testing/fake-call-context.js';

const { ctx } = fakeCallContext();

describe('fixture resources', () => {
  it('test://static-text reads as plain text', async () => {
    expect(await staticTextResource.read(new URL('test://static-text'), ctx)).toEqual({
      contents: [
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    });
  });

  it('test://static-binary reads as a base64 PNG blob', async () => {
    expect(await staticBinaryResource.read(new URL('test://static-binary'), ctx)).toEqual({
      contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: RED_PIXEL_PNG_BASE64 }],
    });
  });

  it('the template substitutes its id', async () => {
    const uri = new URL('test://template/123/data');
    expect(await templateDataResource.read(uri, { id: '123' }, ctx)).toEqual({
      contents: [
        {
          uri: 'test://template/123/data',
          mimeType: 'application/json',
          text: '{"id":"123","templateTest":true,"data":"Data for ID: 123"}',
        },
      ],
    });
  });
});

describe('fixture prompts', () => {
  it('test_simple_prompt has one user message', async () => {
    expect((await simplePrompt.get({}, ctx)).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
    ]);
  });

  it('test_prompt_with_arguments substitutes both arguments', async () => {
    expect((await promptWithArguments.get({ arg1: 'hello', arg2: 'world' }, ctx)).messages).toEqual([
      { role: 'user', content: { type: 'text', text: "Prompt with arguments: arg1='hello', arg2='world'" } },
    ]);
  });

  it('completes arg1 by prefix', async () => {
    const complete = promptWithArguments.arguments[0]?.complete;
    expect(await complete?.('par')).toEqual(['paris', 'park', 'party']);
    expect(await complete?.('zzz')).toEqual([]);
  });

  it('test_prompt_with_embedded_resource embeds the given URI before its instruction', async () => {
    const { messages } = await promptWithEmbeddedResource.get(
      { resourceUri: 'test://example-resource' },
      ctx,
    );
    expect(messages.map((m) => m.content.type)).toEqual(['resource', 'text']);
    expect(messages[0]?.content).toEqual({
      type: 'resource',
      resource: {
        uri: 'test://example-resource',
        mimeType: 'text/plain',
        text: 'Embedded resource content for testing.',
      },
    });
  });

  it('test_prompt_with_image carries a PNG and an instruction', async () => {
    const { messages } = await promptWithImage.get({}, ctx);
    expect(messages).toEqual([
      { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ]);
  });
});
