import {
  CLIENT_CAPABILITIES_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  type ClientCapabilities,
  type LoggingLevel,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { CallContext } from '@switchboard/integration-kit';

/** What a fake call recorded: the protocol traffic a tool produced. */
export interface CallRecord {
  readonly logs: { level: LoggingLevel; data: unknown; logger?: string }[];
  readonly progress: { progress: number; total?: number; message?: string }[];
  readonly elicitations: unknown[];
  readonly samplings: unknown[];
}

export interface FakeCallOptions {
  /** Serve the call as a 2026-07-28 request with these client capabilities. */
  readonly modern?: {
    readonly capabilities: ClientCapabilities;
    readonly inputResponses?: Record<string, unknown>;
  };
  /** Legacy era: what the client answers to elicitation/create and sampling/createMessage (a thrown error when an Error). */
  readonly elicitAnswer?: unknown;
  readonly samplingAnswer?: unknown;
}

function answer(value: unknown): Promise<never> {
  return value instanceof Error ? Promise.reject(value) : Promise.resolve(value as never);
}

/** A CallContext whose protocol side records what the tool sent instead of talking to a client. */
export function fakeCallContext(options: FakeCallOptions = {}): { ctx: CallContext; record: CallRecord } {
  const record: CallRecord = { logs: [], progress: [], elicitations: [], samplings: [] };
  const envelope = options.modern
    ? {
        [PROTOCOL_VERSION_META_KEY]: '2026-07-28',
        [CLIENT_CAPABILITIES_META_KEY]: options.modern.capabilities,
      }
    : undefined;
  const protocol = {
    mcpReq: {
      id: 1,
      method: 'tools/call',
      envelope,
      inputResponses: options.modern?.inputResponses,
      signal: new AbortController().signal,
      requestState: () => undefined,
      send: () => Promise.reject(new Error('not used')),
      notify: async () => undefined,
      log: async (level: LoggingLevel, data: unknown, logger?: string) => {
        record.logs.push({ level, data, logger });
      },
      elicitInput: async (params: unknown) => {
        record.elicitations.push(params);
        return answer(options.elicitAnswer ?? new Error('Client does not support elicitation'));
      },
      requestSampling: async (params: unknown) => {
        record.samplings.push(params);
        return answer(options.samplingAnswer ?? new Error('Client does not support sampling'));
      },
    },
  } as unknown as ServerContext;
  const ctx: CallContext = {
    tenant: { id: 't1', slug: 'acme' },
    connectionId: 'c1',
    connectionName: 'protocol-test-kit',
    config: {},
    secrets: { get: () => Promise.reject(new Error('no secrets')), has: async () => false },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    principal: { kind: 'api_key', id: 'k1', tenantId: 't1', userId: null, role: 'viewer', scopes: [] },
    signal: new AbortController().signal,
    progress: async (progress, total, message) => {
      record.progress.push({ progress, total, message });
    },
    protocol,
  };
  return { ctx, record };
}
