import { ResponseContext } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import {
  HttpClientError,
  type GuardedHttpClient,
  type HttpMethod,
  type HttpResponse,
} from '@switchboard/http-client';
import type { PackLogger } from '@switchboard/integration-kit';

import { CrmError, redact } from '../core/crm.errors.js';
import { errorFromResponse } from './hubspot-errors.js';
import {
  abortableSleep,
  intervalMs,
  retryAfterMs,
  type RateLimitGate,
  type Sleep,
} from './rate-limit-gate.js';

/** What the SDK's generated request factories hand an HTTP library (any of its modules' RequestContext). */
export interface SdkRequest {
  getUrl(): string;
  getHttpMethod(): string;
  getHeaders(): Record<string, string>;
  getBody(): unknown;
}

/** Supplies the bearer token per request; the OAuth kind can replace a token HubSpot refused. */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets a refused token; true when asking again can yield a different one. */
  refused(token: string): boolean;
  /** Every secret value in play, so error text can be scrubbed of them. */
  secretValues(): readonly string[];
}

export interface TransportOptions {
  /** The platform's guarded client (only its `request` is used). */
  readonly http: Pick<GuardedHttpClient, 'request'>;
  readonly gate: RateLimitGate;
  /** Rate-limit state is kept per connection (HubSpot's limits are per account). */
  readonly gateKey: string;
  readonly connectionName: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxResponseBytes: number;
  readonly logger: PackLogger;
  /** Null for the OAuth token endpoint, which authenticates with the form body. */
  readonly tokens: TokenSource | null;
  readonly tokenEndpoint?: boolean;
  /** Secret values sent in the body (the token endpoint's client secret and refresh token), to scrub too. */
  readonly bodySecrets?: readonly string[];
  readonly signal?: AbortSignal;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** Longest single wait for a 429's Retry-After; a longer one is reported to the model instead. */
const MAX_RETRY_WAIT_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** POSTs that only read: search, batch read, and the token refresh (asking twice yields a token twice). */
const READ_POSTS = /\/(search|batch\/read|oauth\/v1\/token)$/;
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['connect_failed', 'timeout']);

function flatHeaders(headers: HttpResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function serialiseBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new CrmError(
    'configuration',
    'This HubSpot call needs a multipart body, which the CRM pack does not send.',
  );
}

/**
 * The HubSpot SDK's HTTP library, on the platform's `GuardedHttpClient`: every request of the generated API
 * clients goes through the egress policy, with the connection's bearer token added here (never through the
 * SDK's config), HubSpot's rate-limit headers followed, 429s backed off (Retry-After, else the policy
 * interval, else exponential) with jitter, idempotent calls retried on 5xx and network failures, and every
 * non-2xx answer turned into a `CrmError` before the SDK sees it. Redirects are not followed.
 */
export class HubSpotTransport {
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: TransportOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  async send(request: SdkRequest): Promise<ResponseContext> {
    const o = this.options;
    const url = request.getUrl();
    const method = request.getHttpMethod().toUpperCase() as HttpMethod;
    if (!METHODS.has(method)) throw new CrmError('configuration', `Unsupported HTTP method ${method}.`);
    const path = new URL(url).pathname;
    const idempotent = method !== 'POST' || READ_POSTS.test(path);
    const body = serialiseBody(request.getBody());
    const baseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.getHeaders())) baseHeaders[k.toLowerCase()] = v;
    baseHeaders.accept = 'application/json';

    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      await o.gate.beforeRequest(o.gateKey, o.signal);
      const headers = { ...baseHeaders };
      let token: string | null = null;
      if (o.tokens) {
        token = await o.tokens.token(o.signal);
        headers.authorization = `Bearer ${token}`;
      }
      let response: HttpResponse;
      try {
        response = await o.http.request(url, {
          method,
          headers,
          ...(body !== undefined && { body }),
          ...(o.signal && { signal: o.signal }),
          timeoutMs: o.timeoutMs,
          maxResponseBytes: o.maxResponseBytes,
          onOversize: 'error',
          maxRedirects: 0,
        });
      } catch (error) {
        if (!(error instanceof HttpClientError)) throw error;
        if (idempotent && RETRYABLE_NETWORK.has(error.code) && attempt < o.maxRetries) {
          await this.backoff(attempt, `network: ${error.code}`, path);
          continue;
        }
        throw this.networkError(error);
      }
      o.gate.observe(o.gateKey, response.headers);
      const status = response.status;
      if (status >= 200 && status < 300) {
        const data = response.body;
        return new ResponseContext(status, flatHeaders(response.headers), {
          text: async () => data.toString('utf8'),
          binary: async () => data,
        });
      }
      if (status === 401 && token !== null && !reauthenticated && o.tokens?.refused(token)) {
        // An OAuth access token can be revoked before its stated expiry: get a new one, once.
        reauthenticated = true;
        continue;
      }
      const text = response.text();
      if (status === 429 && attempt < o.maxRetries) {
        const wait = this.rateLimitWait(response, text, attempt);
        if (wait !== null) {
          o.logger.info('hubspot rate limited; backing off', { path, attempt, waitMs: wait });
          await this.sleep(wait, o.signal);
          continue;
        }
      }
      if (idempotent && RETRYABLE_STATUS.has(status) && attempt < o.maxRetries) {
        await this.backoff(attempt, `HTTP ${status}`, path);
        continue;
      }
      const error = errorFromResponse(status, text, {
        connectionName: o.connectionName,
        ...(o.tokenEndpoint && { tokenEndpoint: true }),
      });
      o.logger.info('hubspot call failed', {
        path,
        status,
        kind: error.kind,
        ...(error.details.correlationId && { correlationId: error.details.correlationId }),
      });
      throw new CrmError(error.kind, this.scrub(error.message), error.details);
    }
  }

  /** How long to wait before retrying a 429, or null when HubSpot asked for longer than we wait. */
  private rateLimitWait(response: HttpResponse, text: string, attempt: number): number | null {
    if (/"policyName"\s*:\s*"DAILY"/.test(text)) return null;
    const asked = retryAfterMs(response.headers, this.now()) ?? intervalMs(response.headers);
    if (asked !== null) {
      if (asked > MAX_RETRY_WAIT_MS) return null;
      // Never earlier than asked; a little later, so clients that were told the same thing spread out.
      return asked + Math.floor(this.random() * Math.max(100, asked * 0.25));
    }
    return this.jittered(attempt);
  }

  private jittered(attempt: number): number {
    const ceiling = Math.min(MAX_RETRY_WAIT_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.max(100, Math.floor(this.random() * ceiling));
  }

  private async backoff(attempt: number, reason: string, path: string): Promise<void> {
    const wait = this.jittered(attempt);
    this.options.logger.info('hubspot call retried', { path, attempt, reason, waitMs: wait });
    await this.sleep(wait, this.options.signal);
  }

  private networkError(error: HttpClientError): CrmError {
    const message = this.scrub(error.message);
    switch (error.code) {
      case 'egress_refused':
        return new CrmError(
          'unavailable',
          `The platform's egress policy does not allow reaching HubSpot here: ${message}`,
        );
      case 'response_too_large':
        return new CrmError('upstream', `HubSpot's answer was too large to read: ${message}`);
      case 'aborted':
        return new CrmError('unavailable', 'The call was cancelled.');
      case 'invalid_url':
        return new CrmError('configuration', `The connection's HubSpot base URL is not usable: ${message}`);
      default:
        return new CrmError('unavailable', `Could not reach HubSpot: ${message}`);
    }
  }

  private scrub(text: string): string {
    return redact(text, [
      ...(this.options.tokens?.secretValues() ?? []),
      ...(this.options.bodySecrets ?? []),
    ]);
  }
}
