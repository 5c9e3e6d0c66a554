import { LinearErrorType, parseLinearError } from '@linear/sdk';

import { TrackerError, trimVendorMessage } from '../core/tracker.errors.js';

interface GraphQLResponse {
  data?: unknown;
  errors?: { message?: string; extensions?: Record<string, unknown> }[];
}

const NOT_FOUND = /not found|could not find|does not exist/i;

/**
 * Classifies a failed Linear response with the SDK's own taxonomy (`parseLinearError`), then says it in the
 * tracker's terms.
 */
export function linearFailure(
  status: number,
  headers: Headers,
  body: GraphQLResponse | string,
): TrackerError {
  if (typeof body === 'string' || !Array.isArray(body.errors)) {
    const text = typeof body === 'string' ? body : '';
    if (status === 401) return new TrackerError('auth', 'HTTP 401.');
    if (status === 403) return new TrackerError('permission', 'HTTP 403.');
    if (status === 404) {
      return new TrackerError('configuration', "the API URL answered 404; check the connection's apiUrl.");
    }
    if (status >= 500) return new TrackerError('unavailable', `HTTP ${status}`);
    if (status >= 200 && status < 300)
      return new TrackerError('malformed', 'a response without data or errors');
    return new TrackerError('validation', trimVendorMessage(text, `HTTP ${status}`));
  }
  // The SDK's raw-error type is looser in practice than its declaration; it reads errors, status and headers.
  const error = parseLinearError({ response: { ...body, status, headers } } as Parameters<
    typeof parseLinearError
  >[0]);
  const message = trimVendorMessage(
    error.errors?.[0]?.message ?? body.errors[0]?.message ?? '',
    `HTTP ${status}`,
  );
  switch (error.type) {
    case LinearErrorType.AuthenticationError:
      return status === 403 ? new TrackerError('permission', message) : new TrackerError('auth', message);
    case LinearErrorType.Forbidden:
    case LinearErrorType.FeatureNotAccessible:
    case LinearErrorType.UsageLimitExceeded:
      return new TrackerError('permission', message);
    case LinearErrorType.Ratelimited:
      return new TrackerError('rate_limited', message);
    case LinearErrorType.NetworkError:
    case LinearErrorType.InternalError:
    case LinearErrorType.LockTimeout:
    case LinearErrorType.BootstrapError:
      return new TrackerError('unavailable', message);
    default:
      if (NOT_FOUND.test(message)) return new TrackerError('not_found', message);
      return status >= 500
        ? new TrackerError('unavailable', message)
        : new TrackerError('validation', message);
  }
}

/** Posts GraphQL documents to Linear through the vendor fetch (guarded client, rate-limit handling). */
export class LinearGraphQL {
  constructor(
    private readonly fetch: typeof globalThis.fetch,
    private readonly url: string,
    private readonly authorization: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.fetch(this.url, {
      method: 'POST',
      headers: {
        authorization: this.authorization,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: GraphQLResponse | string;
    try {
      const parsed: unknown = JSON.parse(text);
      body = parsed !== null && typeof parsed === 'object' ? (parsed as GraphQLResponse) : text;
    } catch {
      body = text;
    }
    if (!response.ok || typeof body === 'string' || (Array.isArray(body.errors) && body.errors.length > 0)) {
      if (response.ok && typeof body === 'string')
        throw new TrackerError('malformed', 'a response that is not JSON');
      throw linearFailure(response.status, response.headers, body);
    }
    if (body.data === null || typeof body.data !== 'object') {
      throw new TrackerError('malformed', 'a response without data');
    }
    return body.data as T;
  }
}
