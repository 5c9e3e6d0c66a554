/**
 * Errors from the admin API (`{ error: { code, message, details?, correlationId? } }`) and from the
 * network, turned into words a tenant admin can act on.
 */

export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid_argument'
  | 'unauthenticated'
  | 'forbidden'
  | 'failed_precondition'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  | 'network'
  | 'unexpected';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    readonly correlationId: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** One "path: message" per problem, as the API reports invalid input. */
  get issues(): string[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? issues.filter((i): i is string => typeof i === 'string') : [];
  }
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'failed_precondition',
  429: 'rate_limited',
  503: 'unavailable',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Builds the ApiError for a failed answer from its status, body (parsed JSON or text) and headers. */
export function apiErrorFrom(status: number, body: unknown, headers?: Headers): ApiError {
  const err = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code =
    typeof err?.code === 'string'
      ? err.code
      : (STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'unexpected'));
  const message = typeof err?.message === 'string' ? err.message : '';
  const details = err && isRecord(err.details) ? err.details : {};
  const correlationId = typeof err?.correlationId === 'string' ? err.correlationId : null;
  const header = headers?.get('Retry-After');
  const fromDetails = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : null;
  const fromHeader = header && /^\d+$/.test(header) ? Number(header) : null;
  return new ApiError(status, code, message, details, correlationId, fromDetails ?? fromHeader);
}

export interface ErrorDescription {
  /** A short headline. */
  readonly title: string;
  /** What happened and what to do, in one or two sentences. */
  readonly message: string;
  /** Problems with specific inputs, when the API named them. */
  readonly issues: readonly string[];
}

function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function sentence(s: string): string {
  const t = s.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** What to show for any error a page caught: API errors, network failures and bugs alike. */
export function describeError(e: unknown): ErrorDescription {
  if (!(e instanceof ApiError)) {
    if (e instanceof TypeError || (e instanceof Error && e.name === 'NetworkError')) {
      return {
        title: 'Switchboard could not be reached',
        message: 'Check your network connection, then try again.',
        issues: [],
      };
    }
    return {
      title: 'Something went wrong',
      message: 'The page ran into a problem. Reload it and try again.',
      issues: [],
    };
  }
  const said = e.message ? sentence(e.message) : '';
  switch (e.code) {
    case 'invalid_argument':
      return {
        title: 'Please check what you entered',
        message: said || 'Some of the values are not valid.',
        issues: e.issues.map(readableIssue),
      };
    case 'unauthenticated':
      return {
        title: 'Please sign in',
        message: said && e.status !== 401 ? said : 'Your session has ended. Sign in again to continue.',
        issues: [],
      };
    case 'forbidden':
      return {
        title: 'Not allowed',
        message: `${said ? `${said} ` : ''}Your role in this tenant does not allow this; an owner or admin can do it or change your role.`,
        issues: [],
      };
    case 'not_found':
      return {
        title: 'Not found',
        message: `${said || 'It does not exist.'} It may have been deleted or renamed meanwhile: reload the page.`,
        issues: [],
      };
    case 'conflict':
      return {
        title: 'Already exists',
        message: said || 'Something with that name already exists.',
        issues: [],
      };
    case 'failed_precondition':
      return {
        title: 'Cannot do that now',
        message: said || 'The current state does not allow it.',
        issues: [],
      };
    case 'rate_limited':
      return {
        title: 'Too many attempts',
        message:
          e.retryAfterSeconds !== null
            ? `Wait ${waitWords(e.retryAfterSeconds)}, then try again.`
            : 'Wait a little, then try again.',
        issues: [],
      };
    case 'unavailable':
      return {
        title: 'Temporarily unavailable',
        message: said || 'A service Switchboard needs is not answering. Try again in a moment.',
        issues: [],
      };
    case 'network':
      return {
        title: 'Switchboard could not be reached',
        message: 'Check your network connection, then try again.',
        issues: [],
      };
    default:
      return {
        title: 'Something went wrong on the server',
        message: e.correlationId
          ? `Try again; if it keeps happening, give your operator this reference: ${e.correlationId}.`
          : 'Try again; if it keeps happening, tell your operator.',
        issues: [],
      };
  }
}

/** "config.siteUrl: Invalid URL" → "Site URL: Invalid URL"; the root of an input reads as "Input". */
export function readableIssue(issue: string): string {
  const colon = issue.indexOf(': ');
  if (colon === -1) return issue;
  const path = issue.slice(0, colon);
  const message = issue.slice(colon + 2);
  if (path.startsWith('(')) return sentence(message);
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  return `${humanize(last)}: ${message}`;
}

/**
 * Issues of one input, keyed by the path below `prefix` ("config." for a pack's configuration): for
 * showing each beside its field. Issues of other inputs are left out.
 */
export function fieldErrors(issues: readonly string[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const colon = issue.indexOf(': ');
    if (colon === -1) continue;
    const path = issue.slice(0, colon);
    if (!path.startsWith(prefix)) continue;
    const key = path.slice(prefix.length);
    if (key === '' || key.startsWith('(')) continue;
    out[key] ??= issue.slice(colon + 2);
  }
  return out;
}

const WORDS: Record<string, string> = {
  url: 'URL',
  uri: 'URI',
  api: 'API',
  id: 'ID',
  tls: 'TLS',
  ca: 'CA',
  mcp: 'MCP',
  oauth: 'OAuth',
  ms: '(ms)',
  jit: 'JIT',
  sql: 'SQL',
};

/** "siteUrl" / "api_key" / "timeoutMs" → "Site URL" / "API key" / "Timeout (ms)". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  return words.map((w, i) => WORDS[w] ?? (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
}
