import { fetch as undiciFetch, type Agent, type RequestInit as UndiciRequestInit } from 'undici';

/** What the fetch needs from its client: the checked agent and the same URL and literal-address checks. */
export interface FetchTransport {
  readonly agent: Agent;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  checkUrl(input: string | URL): URL;
  checkLiteralHost(url: URL): Promise<void>;
}

/** `fetch`'s own redirect statuses. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

/** A fetch failure, shaped like the platform's own (`TypeError('fetch failed')` with the reason as cause). */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function replayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer
  );
}

/**
 * The WHATWG `fetch` contract through the guarded agent: every hop's address is checked by the policy
 * (inside the socket's lookup, so DNS rebinding fails too; literal addresses before connecting),
 * redirects are followed by hand and re-checked (https→http refused; credentials dropped when the origin
 * changes), `redirect: 'manual'` returns the 3xx as it is and `'error'` fails on one. The body is never
 * buffered: it streams (SSE) until the caller stops reading or aborts. The client's timeout bounds the
 * time to the response headers of each hop, not the life of a stream.
 */
export async function guardedFetch(
  t: FetchTransport,
  input: string | URL,
  init: RequestInit = {},
): Promise<Response> {
  let current: URL;
  try {
    current = t.checkUrl(input);
  } catch (e) {
    throw fetchFailed(e);
  }
  const origin = current.origin;
  const mode = init.redirect ?? 'follow';
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? undefined;
  let headers = new Headers(init.headers);
  if (!headers.has('user-agent')) headers.set('user-agent', t.userAgent);
  let hops = 0;

  for (;;) {
    try {
      await t.checkLiteralHost(current);
    } catch (e) {
      throw fetchFailed(e);
    }
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          Object.assign(new Error(`no response from ${current.host} within ${t.timeoutMs} ms`), {
            name: 'TimeoutError',
          }),
        ),
      t.timeoutMs,
    );
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    let res: Response;
    try {
      res = (await undiciFetch(current, {
        method,
        headers: Object.fromEntries(headers),
        body: body as UndiciRequestInit['body'],
        redirect: 'manual',
        signal,
        dispatcher: t.agent,
        ...(body !== undefined && !replayable(body) ? { duplex: 'half' as const } : {}),
      })) as unknown as Response;
    } catch (e) {
      throw deadline.signal.aborted && !init.signal?.aborted ? deadline.signal.reason : e;
    } finally {
      clearTimeout(timer);
    }

    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || location === null || mode === 'manual') return res;
    await res.body?.cancel().catch(() => undefined);
    if (mode === 'error')
      throw fetchFailed(new Error(`redirected (HTTP ${res.status}) from ${current.href}`));
    if (++hops > t.maxRedirects) throw fetchFailed(new Error(`more than ${t.maxRedirects} redirects`));
    let next: URL;
    try {
      next = t.checkUrl(new URL(location, current));
    } catch (e) {
      throw fetchFailed(e);
    }
    if (current.protocol === 'https:' && next.protocol === 'http:') {
      throw fetchFailed(new Error(`refused a redirect from https to http (${next.href})`));
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers = without(headers, BODY_HEADERS);
    } else if (!replayable(body)) {
      throw fetchFailed(new Error(`cannot resend a streamed body to ${next.href}`));
    }
    if (next.origin !== origin) headers = without(headers, ALWAYS_SENSITIVE);
    current = next;
  }
}

function without(headers: Headers, names: readonly string[]): Headers {
  const out = new Headers(headers);
  for (const name of names) out.delete(name);
  return out;
}
