import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';

import { EgressPolicy, type EgressPolicyOptions } from './egress-policy.js';
import { guardedFetch } from './guarded-fetch.js';
import { HttpClientError } from './http-client.errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface GuardedHttpClientOptions {
  /** Which addresses may be reached; a default policy (public addresses only) when omitted. */
  readonly policy?: EgressPolicy | EgressPolicyOptions;
  /** Time to establish a connection (TCP and TLS), per hop. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time for the whole request, redirects and body included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Largest response body kept; the rest is discarded and the response marked truncated. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Default 5. */
  readonly maxRedirects?: number;
  readonly userAgent?: string;
}

export interface HttpRequestOptions {
  readonly method?: HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** 0 returns a redirect response as it is. */
  readonly maxRedirects?: number;
  /** `truncate` (default) keeps the first bytes and sets `truncated`; `error` throws `response_too_large`. */
  readonly onOversize?: 'truncate' | 'error';
  /**
   * Headers dropped when a redirect leaves the original origin, in addition to Authorization, Cookie and
   * Proxy-Authorization (e.g. an API-key header).
   */
  readonly sensitiveHeaders?: readonly string[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** True when the body was longer than the cap and cut to it. */
  readonly truncated: boolean;
  /** The URL that produced this response (after redirects). */
  readonly url: string;
  /** Each URL redirected to, in order. */
  readonly redirects: readonly string[];
  text(): string;
  json(): unknown;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The HTTP client every integration uses for outbound requests. It refuses non-public destinations
 * (unless the operator allow-listed them), and is safe against DNS rebinding: the name is resolved once
 * inside the socket's own `lookup`, every address is checked, and the socket connects to a checked
 * address. Redirects are followed by hand so each hop is checked again; bodies are capped; only http(s).
 */
export class GuardedHttpClient {
  readonly policy: EgressPolicy;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;

  constructor(options: GuardedHttpClientOptions = {}) {
    this.policy = options.policy instanceof EgressPolicy ? options.policy : new EgressPolicy(options.policy);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? 'Switchboard';
    const policy = this.policy;
    this.agent = new Agent({
      connect: {
        timeout: options.connectTimeoutMs ?? 10_000,
        lookup: (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) => {
          policy.resolve(hostname).then(
            (addresses) => {
              const wanted =
                lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
              const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
              const first = usable[0];
              if (!first) {
                callback(
                  Object.assign(new Error(`no IPv${wanted} address for ${hostname}`), { code: 'ENOTFOUND' }),
                  '',
                );
              } else if (lookupOptions.all) {
                callback(
                  null,
                  usable.map((a) => ({ address: a.address, family: a.family })),
                );
              } else {
                callback(null, first.address, first.family);
              }
            },
            (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
          );
        },
      },
      // A pooled socket keeps the address it was checked with; idle ones are not kept long.
      keepAliveTimeout: 4_000,
    });
  }

  async request(url: string | URL, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const maxBytes = options.maxResponseBytes ?? this.maxResponseBytes;
    const maxRedirects = options.maxRedirects ?? this.maxRedirects;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const sensitive = new Set([
      ...ALWAYS_SENSITIVE,
      ...(options.sensitiveHeaders ?? []).map((h) => h.toLowerCase()),
    ]);

    let current = this.checkUrl(url);
    const origin = current.origin;
    let method: HttpMethod = options.method ?? 'GET';
    let body = options.body;
    let headers = lowerCaseHeaders(options.headers ?? {});
    if (headers['user-agent'] === undefined) headers['user-agent'] = this.userAgent;
    const redirects: string[] = [];

    for (;;) {
      await this.checkLiteralHost(current);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, {
          dispatcher: this.agent,
          method,
          headers,
          body: body ?? null,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        throw this.mapError(error, current, signal, options.signal, timeoutMs);
      }

      const location = headerValue(response.headers.location);
      if (REDIRECTS.has(response.statusCode) && location !== undefined && maxRedirects > 0) {
        // Only the headers matter; a redirect body is never read.
        discard(response.body);
        if (redirects.length >= maxRedirects) {
          throw new HttpClientError(
            'too_many_redirects',
            `Stopped after ${maxRedirects} redirects at ${current.href}.`,
          );
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new HttpClientError('invalid_url', `Redirect to an invalid URL from ${current.href}.`);
        }
        next = this.checkUrl(next);
        if (current.protocol === 'https:' && next.protocol === 'http:') {
          throw new HttpClientError(
            'egress_refused',
            `Refused a redirect from https to http (${next.href}).`,
          );
        }
        if (
          response.statusCode === 303 ||
          ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
        ) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers = omit(headers, BODY_HEADERS);
        }
        if (next.origin !== origin) headers = omit(headers, [...sensitive]);
        redirects.push(next.href);
        current = next;
        continue;
      }

      const { data, truncated } = await this.readBody(
        response,
        maxBytes,
        options.onOversize ?? 'truncate',
        current,
        signal,
        options.signal,
        timeoutMs,
      );
      return makeResponse(response.statusCode, response.headers, data, truncated, current.href, redirects);
    }
  }

  /**
   * `fetch` through the same guard, for callers built on the WHATWG contract (the MCP SDK, the connection
   * checker): streaming bodies (SSE), `redirect: 'follow' | 'manual' | 'error'`, the caller's `signal`.
   * Every hop is checked like {@link request}'s; failures are `TypeError('fetch failed')` with the reason
   * (an `EgressRefusedError` for a refused address) as `cause`. Bodies are not capped: read what you need.
   */
  fetch = (input: string | URL, init?: RequestInit): Promise<Response> =>
    guardedFetch(
      {
        agent: this.agent,
        userAgent: this.userAgent,
        timeoutMs: this.timeoutMs,
        maxRedirects: this.maxRedirects,
        checkUrl: (u) => this.checkUrl(u),
        checkLiteralHost: (u) => this.checkLiteralHost(u),
      },
      input,
      init,
    );

  async close(): Promise<void> {
    await this.agent.close();
  }

  private checkUrl(input: string | URL): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new HttpClientError('invalid_url', `Not a valid URL: ${String(input).slice(0, 200)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpClientError('invalid_url', `Only http and https URLs are allowed, not ${url.protocol}`);
    }
    if (url.username !== '' || url.password !== '') {
      // Credentials in a URL end up in logs and redirects; they belong in headers.
      throw new HttpClientError('invalid_url', 'URLs with embedded credentials are not allowed.');
    }
    url.hash = '';
    return url;
  }

  /** A socket given an IP address never calls `lookup`, so literal addresses are checked here. */
  private async checkLiteralHost(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) await this.policy.resolve(host);
  }

  private async readBody(
    response: Dispatcher.ResponseData,
    maxBytes: number,
    onOversize: 'truncate' | 'error',
    url: URL,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<{ data: Buffer; truncated: boolean }> {
    const declared = Number(headerValue(response.headers['content-length']) ?? NaN);
    if (onOversize === 'error' && Number.isFinite(declared) && declared > maxBytes) {
      discard(response.body);
      throw tooLarge(url, maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const buf = chunk as Buffer;
        if (size + buf.length > maxBytes) {
          if (onOversize === 'error') throw tooLarge(url, maxBytes);
          chunks.push(buf.subarray(0, maxBytes - size));
          size = maxBytes;
          discard(response.body);
          return { data: Buffer.concat(chunks, size), truncated: true };
        }
        chunks.push(buf);
        size += buf.length;
      }
    } catch (error) {
      discard(response.body);
      if (error instanceof HttpClientError) throw error;
      throw this.mapError(error, url, signal, callerSignal, timeoutMs);
    }
    return { data: Buffer.concat(chunks, size), truncated: false };
  }

  private mapError(
    error: unknown,
    url: URL,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ): Error {
    if (error instanceof HttpClientError) return error;
    if (callerSignal?.aborted)
      return new HttpClientError('aborted', `Request to ${url.host} was cancelled.`, { cause: error });
    if (
      signal.aborted ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return new HttpClientError('timeout', `Request to ${url.host} timed out after ${timeoutMs} ms.`, {
        cause: error,
      });
    }
    if (error instanceof undiciErrors.ConnectTimeoutError) {
      return new HttpClientError('timeout', `Connecting to ${url.host} timed out.`, { cause: error });
    }
    const code = (error as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code)
    ) {
      return new HttpClientError('connect_failed', `Could not connect to ${url.host} (${code}).`, {
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new HttpClientError('request_failed', `Request to ${url.host} failed: ${message}`, {
      cause: error,
    });
  }
}

/** Destroying an undici body makes it emit an abort error; nobody is listening for it any more. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function tooLarge(url: URL, maxBytes: number): HttpClientError {
  return new HttpClientError(
    'response_too_large',
    `Response from ${url.host} is larger than ${maxBytes} bytes.`,
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function omit(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out = { ...headers };
  for (const name of names) delete out[name];
  return out;
}

function makeResponse(
  status: number,
  headers: Dispatcher.ResponseData['headers'],
  body: Buffer,
  truncated: boolean,
  url: string,
  redirects: readonly string[],
): HttpResponse {
  return {
    status,
    headers,
    body,
    truncated,
    url,
    redirects,
    text: () => body.toString('utf8'),
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}
