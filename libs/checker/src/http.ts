import type { CheckFetch } from './check.types.js';

/** What a step needs to make requests: the injected fetch, the per-request deadline and the check's signal. */
export interface HttpContext {
  readonly fetch: CheckFetch;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface HttpExchange {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The body was longer than the cap and was cut. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface RequestInitLite {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly redirect?: RequestRedirect;
  /** Largest body kept (default 256 KiB); the rest is not read. */
  readonly maxBytes?: number;
}

export type NetworkErrorKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'cancelled' | 'other';

/** A request that got no HTTP response at all. */
export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkErrorKind,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function requestSignal(ctx: HttpContext): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
}

/** One request with a deadline; the body is read (capped) before returning. Throws `NetworkError`. */
export async function request(
  ctx: HttpContext,
  url: string,
  init: RequestInitLite = {},
): Promise<HttpExchange> {
  const started = performance.now();
  const signal = requestSignal(ctx);
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      redirect: init.redirect ?? 'follow',
      signal,
    });
  } catch (error) {
    throw toNetworkError(error, url, ctx);
  }
  try {
    const { text, truncated } = await readCapped(res, init.maxBytes ?? 256 * 1024);
    return {
      status: res.status,
      headers: res.headers,
      body: text,
      truncated,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    throw toNetworkError(error, url, ctx);
  }
}

export async function readCapped(
  res: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}

const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

function errorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && e.message && e.message !== 'fetch failed') message = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}

/** Turns whatever fetch threw into a `NetworkError` that says what happened in words. */
export function toNetworkError(
  error: unknown,
  url: string,
  ctx: Pick<HttpContext, 'signal' | 'timeoutMs'>,
): NetworkError {
  if (error instanceof NetworkError) return error;
  const host = URL.parse(url)?.host ?? url;
  if (ctx.signal.aborted) return new NetworkError('cancelled', null, 'the check was cancelled');
  const name = (error as { name?: unknown }).name;
  const code = errorCode(error);
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new NetworkError('timeout', code, `${host} did not answer within ${ctx.timeoutMs} ms`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new NetworkError(
      'dns',
      code,
      `the host name ${URL.parse(url)?.hostname ?? host} does not resolve (${code})`,
    );
  }
  if (code === 'ECONNREFUSED')
    return new NetworkError('refused', code, `nothing accepts connections at ${host} (${code})`);
  if (code && TLS_CODES.test(code)) {
    return new NetworkError(
      'tls',
      code,
      `the TLS handshake with ${host} failed: ${innermostMessage(error)} (${code})`,
    );
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new NetworkError(
      'reset',
      code,
      `${host} closed the connection without an HTTP response (${code})`,
    );
  }
  return new NetworkError(
    'other',
    code,
    `request to ${host} failed: ${innermostMessage(error)}${code ? ` (${code})` : ''}`,
  );
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** https, or http on loopback (local testing). */
export function isSecureOrLoopback(url: string): boolean {
  const u = URL.parse(url);
  return u !== null && (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname)));
}

export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
