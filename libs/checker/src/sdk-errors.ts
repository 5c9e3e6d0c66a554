import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';

import type { CheckContext } from './context.js';
import { NetworkError, toNetworkError } from './http.js';
import { networkHint, verdict, type StepVerdict } from './recorder.js';

/** Turns an SDK failure into a verdict: what the server did, and what to change. */
export function sdkFailure(ctx: CheckContext, error: unknown, doing: string): StepVerdict {
  if (error instanceof SdkHttpError) {
    const s = error.status;
    if (s === 401) {
      return verdict.fail(
        `${doing}: HTTP 401, the credential was refused`,
        ctx.options.auth?.kind === 'api-key'
          ? 'Check the API key: not revoked or expired, and for this tenant.'
          : "The server refused the token its own authorization server just issued: check that it expects this URL as the token's audience and trusts that issuer and its keys.",
        { data: { status: s } },
      );
    }
    if (s === 403) {
      return verdict.fail(
        `${doing}: HTTP 403, access denied`,
        "Check the user's role and the token's scopes for this endpoint.",
        {
          data: { status: s },
        },
      );
    }
    if (s >= 500) {
      return verdict.fail(
        `${doing}: HTTP ${s} from the server`,
        'The server failed on a valid request: check its logs.',
        {
          data: { status: s },
        },
      );
    }
    return verdict.fail(
      `${doing}: HTTP ${s}`,
      'The server refused a valid MCP request; its answer is above.',
      { data: { status: s } },
    );
  }
  if (error instanceof ProtocolError) {
    return verdict.fail(
      `${doing}: JSON-RPC error ${error.code}: ${error.message}`,
      'The server answered a valid request with an error.',
      {
        data: { code: error.code },
      },
    );
  }
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
    return verdict.fail(
      `${doing}: no answer within ${ctx.http.timeoutMs} ms`,
      'The server is too slow or hangs on this request: check its logs.',
    );
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined || error instanceof TypeError) {
    const net = toNetworkError(cause ?? error, ctx.url, ctx.http);
    if (net.kind !== 'other') return verdict.fail(`${doing}: ${net.message}`, networkHint(net));
  }
  if (error instanceof NetworkError) return verdict.fail(`${doing}: ${error.message}`, networkHint(error));
  return verdict.fail(
    `${doing}: ${error instanceof Error ? error.message : String(error)}`,
    'See the message above and the server logs.',
  );
}

/** The pinned 2026-07-28 connect found a server that does not offer it (an answer, not a failure). */
export function isModernUnsupported(error: unknown): boolean {
  return (
    error instanceof SdkError &&
    error.code === SdkErrorCode.EraNegotiationFailed &&
    !(error instanceof SdkHttpError) &&
    /did not offer|no 2026|not offer/i.test(error.message)
  );
}
