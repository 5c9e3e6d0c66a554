import { setTimeout as pause } from 'node:timers/promises';
import type {
  ElicitRequestFormParams,
  SamplingContent,
  ToolResultContent,
  ToolUseContent,
} from '@modelcontextprotocol/server';
import type { ToolDefinition } from '@switchboard/integration-kit';
import { textResult } from '@switchboard/integration-kit';
import * as z from 'zod';
import { elicitForm, requestSampling, type ElicitationAnswer, type SamplingAnswer } from '../client-input.js';
import { NO_ARGUMENTS, READ_ONLY } from './tool-defaults.js';

/**
 * Tools that exercise the protocol around a call: notifications sent while it runs, and requests to the
 * client (sampling, elicitation). The pauses let a client observe notifications arriving one by one.
 */
export const STEP_PAUSE_MS = 50;
const LOGGER = 'protocol-test-kit';

export const toolWithLogging: ToolDefinition = {
  name: 'test_tool_with_logging',
  title: 'Logging while running',
  description:
    'Sends three info-level log notifications while it runs, then returns a confirmation. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (_args, ctx) => {
    const log = ctx.protocol.mcpReq.log;
    await log('info', 'Tool execution started', LOGGER);
    await pause(STEP_PAUSE_MS, undefined, { signal: ctx.signal });
    await log('info', 'Tool processing data', LOGGER);
    await pause(STEP_PAUSE_MS, undefined, { signal: ctx.signal });
    await log('info', 'Tool execution completed', LOGGER);
    return textResult('Tool with logging executed successfully: sent 3 log messages.');
  },
};

export const toolWithProgress: ToolDefinition = {
  name: 'test_tool_with_progress',
  title: 'Progress while running',
  description:
    'Reports progress 0/100, 50/100 and 100/100 while it runs (when the caller sent a progress token), then returns a confirmation. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (_args, ctx) => {
    await ctx.progress(0, 100, 'Started');
    await pause(STEP_PAUSE_MS, undefined, { signal: ctx.signal });
    await ctx.progress(50, 100, 'Half way');
    await pause(STEP_PAUSE_MS, undefined, { signal: ctx.signal });
    await ctx.progress(100, 100, 'Done');
    return textResult('Tool with progress executed successfully: reported 0, 50 and 100 of 100.');
  },
};

export const reconnectionTool: ToolDefinition = {
  name: 'test_reconnection',
  title: 'Stream reconnection',
  description:
    'Closes its own SSE response stream mid-call (when the transport supports resumption), waits, then returns; the client must reconnect to receive the result. Takes no arguments.',
  inputSchema: NO_ARGUMENTS,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (_args, ctx) => {
    ctx.protocol.http?.closeSSE?.();
    await pause(2 * STEP_PAUSE_MS, undefined, { signal: ctx.signal });
    return textResult('Reconnection test completed: the result was delivered after the stream was closed.');
  },
};

type SamplingBlock = SamplingContent | ToolUseContent | ToolResultContent;

function samplingText(answer: SamplingAnswer): string {
  const blocks: readonly SamplingBlock[] = Array.isArray(answer.content) ? answer.content : [answer.content];
  const texts = blocks.flatMap((block) => (block.type === 'text' ? [block.text] : []));
  return texts.length > 0 ? texts.join('\n') : JSON.stringify(answer.content);
}

const samplingArguments = z.object({
  prompt: z.string().describe('The prompt to send to the client’s model'),
});

export const samplingTool: ToolDefinition = {
  name: 'test_sampling',
  title: 'Sampling',
  description:
    'Asks the client’s model to answer the given prompt (sampling/createMessage) and returns its answer.',
  inputSchema: samplingArguments,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (args, ctx) => {
    const { prompt } = samplingArguments.parse(args);
    const outcome = await requestSampling(ctx.protocol, 'completion', {
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
      maxTokens: 100,
    });
    if (outcome.status === 'pending') return outcome.result;
    return textResult(`LLM response: ${samplingText(outcome.answer)}`);
  },
};

function describeAnswer(answer: ElicitationAnswer): string {
  return `action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

const elicitationArguments = z.object({
  message: z.string().describe('The message to show the user'),
});

export const elicitationTool: ToolDefinition = {
  name: 'test_elicitation',
  title: 'Elicitation',
  description:
    'Asks the user for a username and an email address (elicitation/create) and returns what they answered.',
  inputSchema: elicitationArguments,
  annotations: READ_ONLY,
  permission: 'read',
  handler: async (args, ctx) => {
    const { message } = elicitationArguments.parse(args);
    const outcome = await elicitForm(ctx.protocol, 'user_info', {
      message,
      requestedSchema: {
        type: 'object',
        properties: {
          username: { type: 'string', description: 'User’s response' },
          email: { type: 'string', description: 'User’s email address' },
        },
        required: ['username', 'email'],
      },
    });
    if (outcome.status === 'pending') return outcome.result;
    return textResult(`User response: ${describeAnswer(outcome.answer)}`);
  },
};

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

/** SEP-1034: a default for each primitive type. */
export const DEFAULTS_SCHEMA: RequestedSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name', default: 'John Doe' },
    age: { type: 'integer', title: 'Age', default: 30 },
    score: { type: 'number', title: 'Score', default: 95.5 },
    status: { type: 'string', title: 'Status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', title: 'Verified', default: true },
  },
};

/** SEP-1330: the five enum shapes (untitled/titled single-select, legacy enumNames, untitled/titled multi-select). */
export const ENUMS_SCHEMA: RequestedSchema = {
  type: 'object',
  properties: {
    untitledSingle: {
      type: 'string',
      title: 'Untitled single-select',
      enum: ['option1', 'option2', 'option3'],
    },
    titledSingle: {
      type: 'string',
      title: 'Titled single-select',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      title: 'Legacy titled enum',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      title: 'Untitled multi-select',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      title: 'Titled multi-select',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
};

function formTool(
  name: string,
  title: string,
  description: string,
  message: string,
  requestedSchema: RequestedSchema,
): ToolDefinition {
  return {
    name,
    title,
    description,
    inputSchema: NO_ARGUMENTS,
    annotations: READ_ONLY,
    permission: 'read',
    handler: async (_args, ctx) => {
      const outcome = await elicitForm(ctx.protocol, 'form', { message, requestedSchema });
      if (outcome.status === 'pending') return outcome.result;
      return textResult(`Elicitation completed: ${describeAnswer(outcome.answer)}`);
    },
  };
}

export const elicitationDefaultsTool = formTool(
  'test_elicitation_sep1034_defaults',
  'Elicitation with defaults',
  'Asks the user for a form whose string, integer, number, enum and boolean fields all carry default values, and returns the answer. Takes no arguments.',
  'Please review and update the form fields with defaults',
  DEFAULTS_SCHEMA,
);

export const elicitationEnumsTool = formTool(
  'test_elicitation_sep1330_enums',
  'Elicitation with enums',
  'Asks the user for a form using every enum shape (single and multi-select, titled and untitled, legacy enumNames), and returns the answer. Takes no arguments.',
  'Please select options from the enum fields',
  ENUMS_SCHEMA,
);

export const interactionTools: readonly ToolDefinition[] = [
  toolWithLogging,
  toolWithProgress,
  reconnectionTool,
  samplingTool,
  elicitationTool,
  elicitationDefaultsTool,
  elicitationEnumsTool,
];
