import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { textResult, type PackSurface, type ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';

/** Test-controlled knobs of the fixture pack. */
export interface TestPackControl {
  /** When true, surface() also yields `late_tool` (drives list_changed). */
  extraTool: boolean;
  /** Resolves the pending `wait_for_release` call. */
  release(): void;
  /** Settles once `wait_for_release` has returned its result. */
  finished: Promise<void>;
  surfaceCalls: number;
}

export function createTestPack(): { pack: ToolPack; control: TestPackControl } {
  let releaseFn: () => void = () => undefined;
  let finishFn: () => void = () => undefined;
  const control: TestPackControl = {
    extraTool: false,
    release: () => releaseFn(),
    finished: Promise.resolve(),
    surfaceCalls: 0,
  };
  const resetWaiter = () => {
    control.finished = new Promise<void>((r) => (finishFn = r));
  };
  resetWaiter();

  const surface = async (): Promise<PackSurface> => {
    control.surfaceCalls++;
    const tools: PackSurface['tools'][number][] = [
      {
        name: 'echo',
        title: 'Echo',
        description: 'Echoes its input.',
        inputSchema: z.object({ text: z.string() }),
        annotations: { readOnlyHint: true },
        permission: 'read',
        handler: async (args, ctx) =>
          textResult(`${String(args.text)} (from ${ctx.principal.id} on ${ctx.connectionName})`),
      },
      {
        name: 'count_slowly',
        title: 'Count slowly',
        description: 'Counts to three, reporting progress.',
        inputSchema: z.object({}),
        annotations: { readOnlyHint: true },
        permission: 'read',
        handler: async (_args, ctx) => {
          for (let i = 1; i <= 3; i++) await ctx.progress(i, 3, `step ${i}`);
          return textResult('counted');
        },
      },
      {
        name: 'explode',
        title: 'Explode',
        description: 'Always fails.',
        inputSchema: z.object({}),
        annotations: {},
        permission: 'read',
        handler: async () => {
          throw new Error('secret internal detail at /srv/app.js:42');
        },
      },
      {
        name: 'write_note',
        title: 'Write note',
        description: 'Needs write permission.',
        inputSchema: z.object({ note: z.string() }),
        annotations: { destructiveHint: false },
        permission: 'write',
        handler: async (args) => textResult(`saved ${String(args.note)}`),
      },
      {
        name: 'confirm_action',
        title: 'Confirm action',
        description: 'Asks the user to confirm, carrying state between rounds.',
        inputSchema: z.object({ action: z.string() }),
        annotations: {},
        permission: 'read',
        handler: async (args, ctx) => {
          const schema = z.object({ confirm: z.boolean() });
          const answer = acceptedContent(ctx.protocol.mcpReq.inputResponses, 'confirm', schema);
          const state = ctx.protocol.mcpReq.requestState<string>();
          if (answer === undefined) {
            const result = inputRequired({
              inputRequests: {
                confirm: inputRequired.elicit({
                  message: `Really ${String(args.action)}?`,
                  requestedSchema: schema,
                }),
              },
              requestState: `round-1:${String(args.action)}`,
            });
            return result as unknown as Awaited<ReturnType<PackSurface['tools'][number]['handler']>>;
          }
          return textResult(`${answer.confirm ? 'confirmed' : 'declined'} with state ${String(state)}`);
        },
      },
      {
        name: 'wait_for_release',
        title: 'Wait for release',
        description: 'Reports progress, then waits until the test releases it.',
        inputSchema: z.object({}),
        annotations: {},
        permission: 'read',
        handler: async (_args, ctx) => {
          await ctx.progress(1, 2, 'started');
          await new Promise<void>((r) => (releaseFn = r));
          queueMicrotask(() => {
            finishFn();
            resetWaiter();
          });
          return textResult('released');
        },
      },
    ];
    if (control.extraTool) {
      tools.push({
        name: 'late_tool',
        title: 'Late tool',
        description: 'Appears after invalidate().',
        inputSchema: z.object({}),
        annotations: {},
        permission: 'read',
        handler: async () => textResult('late'),
      });
    }
    return {
      tools,
      resources: [
        {
          uri: 'test://static',
          name: 'static',
          title: 'Static',
          mimeType: 'text/plain',
          permission: 'read',
          read: async (uri, ctx) => ({
            contents: [{ uri: uri.href, text: `static for ${ctx.principal.id}` }],
          }),
        },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'test://items/{id}',
          name: 'item',
          mimeType: 'text/plain',
          permission: 'read',
          read: async (uri, variables) => ({
            contents: [{ uri: uri.href, text: `item ${String(variables.id)}` }],
          }),
          complete: { id: (value) => ['41', '42', '420'].filter((v) => v.startsWith(value)) },
        },
      ],
      prompts: [
        {
          name: 'greet',
          title: 'Greet',
          arguments: [
            {
              name: 'name',
              required: true,
              complete: (value) => ['Ada', 'Alan', 'Grace'].filter((v) => v.startsWith(value)),
            },
          ],
          permission: 'read',
          get: async (args) => ({
            messages: [{ role: 'user', content: { type: 'text', text: `Hello ${args.name}` } }],
          }),
        },
      ],
    };
  };

  const pack: ToolPack = {
    id: 'test-pack',
    title: 'Test pack',
    description: 'Fixture for the MCP host tests.',
    version: '1.0.0',
    configSchema: z.object({}),
    secrets: [],
    exposeByDefault: true,
    surface,
  };
  return { pack, control };
}
