import { describe, expect, it } from '@jest/globals';
import { fakeCallContext, type FakeCallOptions } from '../testing/fake-call-context.js';
import {
  DEFAULTS_SCHEMA,
  ENUMS_SCHEMA,
  elicitationDefaultsTool,
  elicitationEnumsTool,
  elicitationTool,
  samplingTool,
  toolWithLogging,
  toolWithProgress,
} from './interaction.tools.js';

const modelAnswer = {
  role: 'assistant',
  content: { type: 'text', text: 'Hi there' },
  model: 'm',
  stopReason: 'endTurn',
};
const userAnswer = { action: 'accept', content: { username: 'ada', email: 'ada@example.com' } };

function run(tool: typeof samplingTool, args: Record<string, unknown>, options: FakeCallOptions = {}) {
  const { ctx, record } = fakeCallContext(options);
  return tool.handler(args, ctx).then((result) => ({ result, record }));
}

describe('notification tools', () => {
  it('test_tool_with_logging sends three info messages in order', async () => {
    const { result, record } = await run(toolWithLogging, {});
    expect(record.logs.map((l) => [l.level, l.data])).toEqual([
      ['info', 'Tool execution started'],
      ['info', 'Tool processing data'],
      ['info', 'Tool execution completed'],
    ]);
    expect(result.isError).toBeUndefined();
  });

  it('test_tool_with_progress reports 0, 50 and 100 of 100', async () => {
    const { record } = await run(toolWithProgress, {});
    expect(record.progress.map((p) => [p.progress, p.total])).toEqual([
      [0, 100],
      [50, 100],
      [100, 100],
    ]);
  });
});

describe('test_sampling', () => {
  it('asks the client’s model with the prompt and returns its answer (legacy era)', async () => {
    const { result, record } = await run(samplingTool, { prompt: 'Say hi' }, { samplingAnswer: modelAnswer });
    expect(record.samplings).toEqual([
      { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 100 },
    ]);
    expect(result).toEqual({ content: [{ type: 'text', text: 'LLM response: Hi there' }] });
  });

  it('turns a refused sampling request into a tool error (legacy era)', async () => {
    const { result } = await run(samplingTool, { prompt: 'Say hi' });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: 'text', text: 'Sampling failed: Client does not support sampling' },
    ]);
  });

  it('returns input_required with an embedded sampling request on the first modern call', async () => {
    const { result, record } = await run(
      samplingTool,
      { prompt: 'Say hi' },
      { modern: { capabilities: { sampling: {} } } },
    );
    expect(record.samplings).toEqual([]);
    expect(result).toEqual({
      resultType: 'input_required',
      inputRequests: {
        completion: {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 100 },
        },
      },
    });
  });

  it('reads the answer from inputResponses on the modern retry', async () => {
    const { result } = await run(
      samplingTool,
      { prompt: 'Say hi' },
      { modern: { capabilities: { sampling: {} }, inputResponses: { completion: modelAnswer } } },
    );
    expect(result).toEqual({ content: [{ type: 'text', text: 'LLM response: Hi there' }] });
  });

  it('answers a tool error when a modern client lacks the sampling capability', async () => {
    const { result } = await run(samplingTool, { prompt: 'Say hi' }, { modern: { capabilities: {} } });
    expect(result.isError).toBe(true);
  });
});

describe('test_elicitation', () => {
  it('asks for username and email with the given message and reports the answer (legacy era)', async () => {
    const { result, record } = await run(
      elicitationTool,
      { message: 'Who are you?' },
      { elicitAnswer: userAnswer },
    );
    expect(record.elicitations).toEqual([
      {
        mode: 'form',
        message: 'Who are you?',
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: 'User’s response' },
            email: { type: 'string', description: 'User’s email address' },
          },
          required: ['username', 'email'],
        },
      },
    ]);
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
        },
      ],
    });
  });

  it('asks through input_required on the modern era and reports a decline on retry', async () => {
    const first = await run(
      elicitationTool,
      { message: 'Who?' },
      { modern: { capabilities: { elicitation: {} } } },
    );
    expect(first.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: { user_info: { method: 'elicitation/create', params: { message: 'Who?' } } },
    });
    const retry = await run(
      elicitationTool,
      { message: 'Who?' },
      { modern: { capabilities: { elicitation: {} }, inputResponses: { user_info: { action: 'decline' } } } },
    );
    expect(retry.result).toEqual({
      content: [{ type: 'text', text: 'User response: action=decline, content={}' }],
    });
  });
});

describe('elicitation schema tools', () => {
  it('test_elicitation_sep1034_defaults sends a default for every primitive type', async () => {
    const { result, record } = await run(elicitationDefaultsTool, {}, { elicitAnswer: { action: 'cancel' } });
    expect(record.elicitations).toEqual([expect.objectContaining({ requestedSchema: DEFAULTS_SCHEMA })]);
    expect(DEFAULTS_SCHEMA.properties).toMatchObject({
      name: { type: 'string', default: 'John Doe' },
      age: { type: 'integer', default: 30 },
      score: { type: 'number', default: 95.5 },
      status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
      verified: { type: 'boolean', default: true },
    });
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Elicitation completed: action=cancel, content={}' }],
    });
  });

  it('test_elicitation_sep1330_enums sends all five enum shapes', async () => {
    const { record } = await run(
      elicitationEnumsTool,
      {},
      { elicitAnswer: { action: 'accept', content: {} } },
    );
    expect(record.elicitations).toEqual([expect.objectContaining({ requestedSchema: ENUMS_SCHEMA })]);
    const p = ENUMS_SCHEMA.properties;
    expect(p['untitledSingle']).toEqual(
      expect.objectContaining({ type: 'string', enum: ['option1', 'option2', 'option3'] }),
    );
    expect(p['titledSingle']).toEqual(
      expect.objectContaining({
        oneOf: expect.arrayContaining([{ const: 'value1', title: 'First Option' }]),
      }),
    );
    expect(p['legacyEnum']).toEqual(
      expect.objectContaining({
        enum: ['opt1', 'opt2', 'opt3'],
        enumNames: ['Option One', 'Option Two', 'Option Three'],
      }),
    );
    expect(p['untitledMulti']).toEqual(
      expect.objectContaining({
        type: 'array',
        items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      }),
    );
    expect(p['titledMulti']).toEqual(
      expect.objectContaining({
        type: 'array',
        items: { anyOf: expect.arrayContaining([{ const: 'value1', title: 'First Choice' }]) },
      }),
    );
  });
});
