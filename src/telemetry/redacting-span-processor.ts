import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

const REDACTED = 'REDACTED';

/** Attributes holding a query string, whose values may be OAuth codes, tokens or an integration's API key. */
const QUERY_ATTRIBUTES = ['url.query'] as const;
const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target'] as const;

/** `a=1&b=2` → `a=REDACTED&b=REDACTED`: which parameters were sent stays visible, their values do not. */
export function redactQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const out = new URLSearchParams();
  for (const key of params.keys()) if (!out.has(key)) out.append(key, REDACTED);
  return out.toString();
}

/** Redacts every query value and any user:password in a URL; returns the input when it does not parse. */
export function redactUrl(value: string): string {
  const q = value.indexOf('?');
  const relative = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  try {
    const url = new URL(value, 'http://relative.invalid');
    if (url.username || url.password) {
      url.username = REDACTED;
      url.password = '';
    }
    url.search = url.search ? redactQuery(url.search) : '';
    return relative ? `${url.pathname}${url.search}${url.hash}` : url.toString();
  } catch {
    return q >= 0 ? value.slice(0, q) : value;
  }
}

/**
 * Runs first on every span: instrumentations record query strings and full URLs, and the platform's own
 * OAuth endpoints, the upstream sign-in callback and integrations' outbound calls carry credentials there.
 * The instrumentations' own redaction is a list of known names; this redacts every value instead.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    scrub(span);
  }

  /** Attributes set after start (e.g. by a response hook) are scrubbed while the span can still change. */
  onEnding(span: Span): void {
    scrub(span);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function scrub(span: Span): void {
  const attributes = span.attributes;
  for (const name of QUERY_ATTRIBUTES) {
    const v = attributes[name];
    if (typeof v === 'string' && v.length > 0) span.setAttribute(name, redactQuery(v));
  }
  for (const name of URL_ATTRIBUTES) {
    const v = attributes[name];
    if (typeof v === 'string' && (v.includes('?') || v.includes('@'))) span.setAttribute(name, redactUrl(v));
  }
}
