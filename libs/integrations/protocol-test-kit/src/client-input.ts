import {
  CLIENT_CAPABILITIES_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  inputRequired,
  inputResponse,
  type ClientCapabilities,
  type CreateMessageRequestParams,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitRequestFormParams,
  type ElicitResult,
  type InputRequest,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { toolError, type ToolHandlerResult } from '@switchboard/integration-kit';

/**
 * Asking the client something (elicitation, sampling) differs by protocol era:
 * - legacy (≤ 2025-11-25): the server sends a real request to the client mid-call and awaits the answer;
 * - modern (2026-07-28): the tool returns an `input_required` result, the client retries the call with
 *   `inputResponses`, and the handler runs again from the top and finds the answer there.
 * These helpers hide the difference so one handler serves both.
 */
export type ClientInput<T> =
  | { readonly status: 'answered'; readonly answer: T }
  /** The handler must return `result` now: an input_required request (modern era) or an error for the model. */
  | { readonly status: 'pending'; readonly result: ToolHandlerResult };

export type SamplingAnswer = CreateMessageResult | CreateMessageResultWithTools;
export interface ElicitationAnswer {
  readonly action: ElicitResult['action'];
  /** Client-supplied values; untrusted. */
  readonly content?: Record<string, unknown>;
}

/** A modern request carries the protocol version in its per-request `_meta` envelope; a legacy one never does. */
export function isModernRequest(ctx: ServerContext): boolean {
  const envelope: Record<string, unknown> | undefined = ctx.mcpReq.envelope;
  return typeof envelope?.[PROTOCOL_VERSION_META_KEY] === 'string';
}

function modernCapabilities(ctx: ServerContext): ClientCapabilities {
  const envelope: Record<string, unknown> | undefined = ctx.mcpReq.envelope;
  const caps = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return typeof caps === 'object' && caps !== null ? (caps as ClientCapabilities) : {};
}

function ask(key: string, request: InputRequest): ClientInput<never> {
  return { status: 'pending', result: inputRequired({ inputRequests: { [key]: request } }) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Form-mode elicitation under `key` (the key names the answer in the modern retry). */
export async function elicitForm(
  ctx: ServerContext,
  key: string,
  params: Omit<ElicitRequestFormParams, 'mode'>,
): Promise<ClientInput<ElicitationAnswer>> {
  if (isModernRequest(ctx)) {
    const response = inputResponse(ctx.mcpReq.inputResponses, key);
    if (response.kind === 'elicit')
      return { status: 'answered', answer: { action: response.action, content: response.content } };
    if (!modernCapabilities(ctx).elicitation) {
      return {
        status: 'pending',
        result: toolError('This client does not support elicitation, so the tool cannot ask the user.'),
      };
    }
    return ask(key, inputRequired.elicit(params));
  }
  try {
    const result = await ctx.mcpReq.elicitInput({ mode: 'form', ...params });
    return { status: 'answered', answer: { action: result.action, content: result.content } };
  } catch (error) {
    return { status: 'pending', result: toolError(`Elicitation failed: ${describe(error)}`) };
  }
}

/** A sampling request (`sampling/createMessage`) under `key`. */
export async function requestSampling(
  ctx: ServerContext,
  key: string,
  params: CreateMessageRequestParams,
): Promise<ClientInput<SamplingAnswer>> {
  if (isModernRequest(ctx)) {
    const response = inputResponse(ctx.mcpReq.inputResponses, key);
    if (response.kind === 'sampling') return { status: 'answered', answer: response.result };
    if (!modernCapabilities(ctx).sampling) {
      return {
        status: 'pending',
        result: toolError('This client does not support sampling, so the tool cannot ask its model.'),
      };
    }
    return ask(key, inputRequired.createMessage(params));
  }
  try {
    return { status: 'answered', answer: await ctx.mcpReq.requestSampling(params) };
  } catch (error) {
    return { status: 'pending', result: toolError(`Sampling failed: ${describe(error)}`) };
  }
}
