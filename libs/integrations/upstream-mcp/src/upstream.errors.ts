import { ProtocolError, SdkHttpError, UnauthorizedError } from '@modelcontextprotocol/client';
import { EgressRefusedError } from '@switchboard/http-client';

/** How an upstream failure is reported and whether the pooled client must be replaced. */
export type UpstreamFailureKind = 'unavailable' | 'unauthorized' | 'refused' | 'rejected';

export class UpstreamUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpstreamUnavailableError';
  }
}

export interface ClassifiedFailure {
  readonly kind: UpstreamFailureKind;
  /** Safe to show a model: never contains a credential. */
  readonly message: string;
  /** The request never reached the upstream's handler (connection refused, session gone): a retry is safe. */
  readonly retryable: boolean;
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|UND_ERR_[A-Z_]+)$/;

/** The error and everything it wraps (`cause`, `AggregateError.errors`), nearest first. */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (e === undefined || e === null || out.includes(e)) continue;
    out.push(e);
    if (e instanceof Error) {
      queue.push(e.cause);
      if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
    }
  }
  return out;
}

function networkCode(errors: readonly unknown[]): string | undefined {
  for (const e of errors) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
  }
  return undefined;
}

/**
 * Turns whatever the SDK or the network threw into a short message for the model. Upstream messages are
 * passed through only for JSON-RPC errors (the upstream's own words about the request); every message is
 * scrubbed of the connection's secret values in case an upstream echoes a credential back.
 */
export function classifyUpstreamError(
  error: unknown,
  host: string,
  secrets: readonly string[] = [],
): ClassifiedFailure {
  const scrub = (text: string): string => redact(text, secrets);
  const errors = chain(error);
  const refused = errors.find((e) => e instanceof EgressRefusedError);
  if (refused) return { kind: 'refused', message: scrub(refused.message), retryable: false };
  const http = errors.find((e) => e instanceof SdkHttpError);
  if (errors.some((e) => e instanceof UnauthorizedError) || (http && http.status === 401)) {
    return {
      kind: 'unauthorized',
      message: `The upstream MCP server at ${host} refused this connection's credentials (401); check the connection's secrets.`,
      retryable: false,
    };
  }
  if (error instanceof ProtocolError) {
    return {
      kind: 'rejected',
      message: scrub(`The upstream MCP server at ${host} rejected the request: ${error.message}`),
      retryable: false,
    };
  }
  if (http) {
    if (http.status === 403) {
      return {
        kind: 'unauthorized',
        message: `The upstream MCP server at ${host} denied access (403).`,
        retryable: false,
      };
    }
    // 404 on an established legacy session means the upstream restarted and forgot it.
    return {
      kind: 'unavailable',
      message: `The upstream MCP server at ${host} answered HTTP ${http.status}.`,
      retryable: http.status === 404,
    };
  }
  if (error instanceof UpstreamUnavailableError) {
    return { kind: 'unavailable', message: scrub(error.message), retryable: false };
  }
  const code = networkCode(errors);
  if (code !== undefined) {
    return {
      kind: 'unavailable',
      message: `The upstream MCP server at ${host} is unreachable (${code}).`,
      retryable: code === 'ECONNREFUSED',
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    kind: 'unavailable',
    message: scrub(`The upstream MCP server at ${host} failed: ${text.slice(0, 300)}`),
    retryable: false,
  };
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
