/**
 * Error handling: requests Claude never sends on purpose but a proxy, a bug or an attacker will. The
 * server must answer them with JSON-RPC errors, never a 5xx or a dropped connection. Raw HTTP, because no
 * SDK client sends malformed JSON.
 */
import { createParser } from 'eventsource-parser';

import type { StepId } from './check.types.js';
import type { CheckContext, EraConnection } from './context.js';
import { NetworkError, requestSignal, toNetworkError } from './http.js';
import { networkHint, verdict, type StepVerdict } from './recorder.js';
import { MODERN_VERSION } from './protocol.js';

interface ProbeAnswer {
  readonly status: number;
  readonly error: { readonly code: number; readonly message: string } | null;
  readonly hasResult: boolean;
}

const MAX_BYTES = 256 * 1024;

function asResponse(value: unknown): ProbeAnswer | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const m = value as { error?: { code?: unknown; message?: unknown }; result?: unknown };
  if (m.error && typeof m.error.code === 'number') {
    return {
      status: 0,
      error: { code: m.error.code, message: String(m.error.message ?? '') },
      hasResult: false,
    };
  }
  if ('result' in m) return { status: 0, error: null, hasResult: true };
  return null;
}

/** The first JSON-RPC response in a JSON or SSE body; reading stops as soon as it is found. */
async function readAnswer(res: Response): Promise<Omit<ProbeAnswer, 'status'> | null> {
  if (!res.body) return null;
  const sse = (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let found: ProbeAnswer | null = null;
  const parser = createParser({
    onEvent(event) {
      if (found) return;
      try {
        found = asResponse(JSON.parse(event.data));
      } catch {
        // Not JSON: keep reading.
      }
    },
  });
  try {
    for (let size = 0; size < MAX_BYTES && !found;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      const chunk = decoder.decode(value, { stream: true });
      if (sse) parser.feed(chunk);
      else text += chunk;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (!sse) {
    try {
      found = asResponse(JSON.parse(text));
    } catch {
      found = null;
    }
  }
  return found;
}

function headersFor(ctx: CheckContext, conn: EraConnection, method: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': conn.protocolVersion,
  };
  if (ctx.state.credential) headers.Authorization = `Bearer ${ctx.state.credential}`;
  if (conn.era === 'legacy' && conn.transport.sessionId) headers['Mcp-Session-Id'] = conn.transport.sessionId;
  if (conn.era === 'modern' && method) headers['Mcp-Method'] = method;
  return headers;
}

function message(
  ctx: CheckContext,
  conn: EraConnection,
  id: string,
  method: string,
  params: Record<string, unknown>,
): string {
  const meta =
    conn.era === 'modern'
      ? {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
            'io.modelcontextprotocol/clientInfo': ctx.clientInfo,
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        }
      : {};
  return JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, ...meta } });
}

async function send(
  ctx: CheckContext,
  conn: EraConnection,
  body: string,
  method: string | null,
): Promise<ProbeAnswer> {
  let res: Response;
  try {
    res = await ctx.http.fetch(ctx.url, {
      method: 'POST',
      headers: headersFor(ctx, conn, method),
      body,
      signal: requestSignal(ctx.http),
    });
    const answer = await readAnswer(res);
    return { status: res.status, error: answer?.error ?? null, hasResult: answer?.hasResult ?? false };
  } catch (error) {
    throw toNetworkError(error, ctx.url, ctx.http);
  }
}

const CRASH_HINT =
  'The server must survive bad input: validate requests and answer with a JSON-RPC error (HTTP 4xx or 200), never a 5xx or a dropped connection. Check its logs for the crash.';

async function probe(
  ctx: CheckContext,
  conn: EraConnection,
  body: string,
  method: string | null,
  judge: (a: ProbeAnswer) => StepVerdict,
): Promise<StepVerdict> {
  let answer: ProbeAnswer;
  try {
    answer = await send(ctx, conn, body, method);
  } catch (error) {
    if (error instanceof NetworkError && error.kind !== 'cancelled') {
      return verdict.fail(
        `no answer: ${error.message}`,
        error.kind === 'reset' ? CRASH_HINT : networkHint(error),
        {
          data: { era: conn.era, network: error.kind },
        },
      );
    }
    throw error;
  }
  const data = { era: conn.era, status: answer.status, code: answer.error?.code ?? null };
  if (answer.status >= 500) {
    return verdict.fail(
      `HTTP ${answer.status}${answer.error ? ` (JSON-RPC ${answer.error.code})` : ''}: the server failed on bad input`,
      CRASH_HINT,
      { data },
    );
  }
  const v = judge(answer);
  return { ...v, data };
}

function expectCode(expected: number, name: string, what: string): (a: ProbeAnswer) => StepVerdict {
  return (a) => {
    if (a.error?.code === expected)
      return verdict.pass(`HTTP ${a.status} with JSON-RPC ${expected} (${name})`);
    if (a.error) {
      return verdict.warn(
        `answered JSON-RPC ${a.error.code} instead of ${expected} (${name})`,
        `Answer ${what} with error code ${expected}.`,
      );
    }
    if (a.hasResult)
      return verdict.warn(
        `answered ${what} with a result`,
        `Answer ${what} with JSON-RPC error ${expected} (${name}).`,
      );
    return verdict.warn(
      `HTTP ${a.status} without a JSON-RPC error`,
      `Answer ${what} with a JSON-RPC error ${expected} (${name}) in the body.`,
    );
  };
}

const PROBE_STEPS: readonly StepId[] = [
  'errors.malformed-json',
  'errors.unknown-method',
  'errors.invalid-params',
];

/** Runs the three probes on the 2025-era session when there is one, else statelessly in 2026-07-28. */
export async function runProbes(ctx: CheckContext): Promise<void> {
  const { recorder } = ctx;
  const conn = ctx.state.legacy ?? ctx.state.modern;
  if (!conn) {
    for (const id of PROBE_STEPS) recorder.blocked(id, 'legacy.initialize', 'modern.discover');
    return;
  }
  await recorder.run('errors.malformed-json', () =>
    probe(
      ctx,
      conn,
      '{"jsonrpc":"2.0","id":"switchboard-check-1","method":"tools/list"',
      'tools/list',
      (a) => {
        if (a.error?.code === -32700 && a.status === 400)
          return verdict.pass('HTTP 400 with JSON-RPC -32700 (parse error)');
        if (a.error?.code === -32700) {
          return verdict.warn(
            `JSON-RPC -32700 but HTTP ${a.status}`,
            'Answer a body that is not JSON with HTTP 400 (Streamable HTTP transport).',
          );
        }
        if (a.status >= 400) {
          return verdict.warn(
            `HTTP ${a.status} without a JSON-RPC parse error`,
            'Answer with HTTP 400 and a JSON-RPC error -32700 in the body.',
          );
        }
        return verdict.warn(
          `HTTP ${a.status} to a body that is not JSON`,
          'Answer with HTTP 400 and a JSON-RPC error -32700.',
        );
      },
    ),
  );
  await recorder.run('errors.unknown-method', () =>
    probe(
      ctx,
      conn,
      message(ctx, conn, 'switchboard-check-2', 'switchboard-check/no-such-method', {}),
      'switchboard-check/no-such-method',
      expectCode(-32601, 'method not found', 'an unknown method'),
    ),
  );
  await recorder.run('errors.invalid-params', () =>
    probe(
      ctx,
      conn,
      message(ctx, conn, 'switchboard-check-3', 'tools/call', { name: 42, arguments: 'not an object' }),
      'tools/call',
      expectCode(-32602, 'invalid params', 'tools/call with a non-string name'),
    ),
  );
}
