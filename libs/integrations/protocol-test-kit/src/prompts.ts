import type { PromptDefinition } from '@switchboard/integration-kit';
import { RED_PIXEL_PNG_BASE64 } from './media.js';

export const simplePrompt: PromptDefinition = {
  name: 'test_simple_prompt',
  title: 'Simple prompt',
  description: 'A prompt with no arguments and one fixed user message.',
  arguments: [],
  permission: 'read',
  get: async () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }),
};

/** Completion candidates for `arg1`, ranked as listed. */
export const ARG1_SUGGESTIONS: readonly string[] = ['paris', 'park', 'party', 'test', 'testing', 'tested'];

export const promptWithArguments: PromptDefinition = {
  name: 'test_prompt_with_arguments',
  title: 'Prompt with arguments',
  description: 'A prompt that substitutes its two arguments into the message.',
  arguments: [
    {
      name: 'arg1',
      description: 'First test argument',
      required: true,
      complete: (value) => ARG1_SUGGESTIONS.filter((candidate) => candidate.startsWith(value)),
    },
    { name: 'arg2', description: 'Second test argument', required: true },
  ],
  permission: 'read',
  get: async (args) => ({
    messages: [
      {
        role: 'user',
        content: {
          type: 'text',
          text: `Prompt with arguments: arg1='${args['arg1'] ?? ''}', arg2='${args['arg2'] ?? ''}'`,
        },
      },
    ],
  }),
};

export const promptWithEmbeddedResource: PromptDefinition = {
  name: 'test_prompt_with_embedded_resource',
  title: 'Prompt with an embedded resource',
  description: 'A prompt that embeds a text resource under the given URI, followed by an instruction.',
  arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  permission: 'read',
  get: async (args) => ({
    messages: [
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: {
            uri: args['resourceUri'] ?? 'test://example-resource',
            mimeType: 'text/plain',
            text: 'Embedded resource content for testing.',
          },
        },
      },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }),
};

export const promptWithImage: PromptDefinition = {
  name: 'test_prompt_with_image',
  title: 'Prompt with an image',
  description: 'A prompt carrying a 1×1 red PNG, followed by an instruction.',
  arguments: [],
  permission: 'read',
  get: async () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }),
};

export const fixturePrompts: readonly PromptDefinition[] = [
  simplePrompt,
  promptWithArguments,
  promptWithEmbeddedResource,
  promptWithImage,
];
