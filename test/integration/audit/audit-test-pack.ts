import { textResult, type ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';

export const AUDIT_TEST_PACK_ID = 'audit-test';

/** Tools that end every way a call can: success, tool error, a throw, and one that needs write permission. */
export function createAuditTestPack(): ToolPack {
  return {
    id: AUDIT_TEST_PACK_ID,
    title: 'Audit test pack',
    description: 'Fixture tools for the audit tests.',
    version: '1.0.0',
    configSchema: z.object({}),
    secrets: [],
    exposeByDefault: false,
    surface: async () => ({
      tools: [
        {
          name: 'lookup',
          title: 'Lookup',
          description: 'Looks something up; takes credentials the audit log must never show.',
          inputSchema: z.object({
            query: z.string(),
            apiKey: z.string().optional(),
            options: z.object({ password: z.string().optional(), limit: z.number().optional() }).optional(),
          }),
          annotations: { readOnlyHint: true },
          permission: 'read',
          handler: async (args) => textResult(`found ${String(args.query)}`),
        },
        {
          name: 'not_found',
          title: 'Not found',
          description: 'Answers with a tool error.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: true },
          permission: 'read',
          handler: async () => ({ content: [{ type: 'text', text: 'nothing there' }], isError: true }),
        },
        {
          name: 'explode',
          title: 'Explode',
          description: 'Always throws.',
          inputSchema: z.object({}),
          annotations: {},
          permission: 'read',
          handler: async () => {
            throw new Error('boom');
          },
        },
        {
          name: 'purge',
          title: 'Purge',
          description: 'Needs write permission.',
          inputSchema: z.object({}),
          annotations: { destructiveHint: true },
          permission: 'write',
          handler: async () => textResult('purged'),
        },
      ],
      resources: [],
      prompts: [],
    }),
  };
}
