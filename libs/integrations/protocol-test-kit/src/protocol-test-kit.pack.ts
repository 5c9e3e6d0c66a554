import type { ToolPack } from '@switchboard/integration-kit';
import * as z from 'zod';
import { fixturePrompts } from './prompts.js';
import { fixtureResources, fixtureResourceTemplates } from './resources.js';
import { contentTools } from './tools/content.tools.js';
import { interactionTools } from './tools/interaction.tools.js';

export const PROTOCOL_TEST_KIT_PACK_ID = 'protocol-test-kit';

export const protocolTestKitConfigSchema = z.object({}).strict();
export type ProtocolTestKitConfig = z.infer<typeof protocolTestKitConfigSchema>;

/**
 * The fixture the official MCP conformance suite (`@modelcontextprotocol/conformance`) expects a server to
 * expose: fixed names, fixed content. Off by default — it exists to test the platform, not to serve users.
 */
export const protocolTestKitPack: ToolPack<ProtocolTestKitConfig> = {
  id: PROTOCOL_TEST_KIT_PACK_ID,
  title: 'Protocol test kit',
  description:
    'Tools, resources and prompts with the exact names and behaviour the MCP conformance suite checks (content types, logging, progress, sampling, elicitation, completion).',
  version: '1.0.0',
  configSchema: protocolTestKitConfigSchema,
  secrets: [],
  exposeByDefault: false,
  surface: async () => ({
    tools: [...contentTools, ...interactionTools],
    resources: fixtureResources,
    resourceTemplates: fixtureResourceTemplates,
    prompts: fixturePrompts,
  }),
};
