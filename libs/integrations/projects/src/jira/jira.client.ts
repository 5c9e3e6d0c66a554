import type { PackLogger } from '@switchboard/integration-kit';
import type { Client, SendRequestOptions } from 'jira.js/core';

import { TrackerError, trimVendorMessage } from '../core/tracker.errors.js';

/** Jira's error body: `{"errorMessages": [...], "errors": {"field": "message"}}`. */
export function jiraMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const parts: string[] = [];
    if (Array.isArray(body.errorMessages))
      parts.push(...body.errorMessages.filter((m): m is string => typeof m === 'string'));
    if (body.errors && typeof body.errors === 'object') {
      for (const [field, message] of Object.entries(body.errors as Record<string, unknown>)) {
        if (typeof message === 'string') parts.push(`${field}: ${message}`);
      }
    }
    if (typeof body.message === 'string') parts.push(body.message);
    return trimVendorMessage(parts.join('; '));
  } catch {
    // HTML error pages say nothing useful to a model.
    return /^\s*</.test(text) ? 'no details given' : trimVendorMessage(text);
  }
}

export function jiraFailure(status: number, text: string): TrackerError {
  const message = jiraMessage(text);
  if (status === 401) return new TrackerError('auth', `HTTP 401: ${message}`);
  if (status === 403) return new TrackerError('permission', message);
  if (status === 404) return new TrackerError('not_found', message);
  if (status === 429) return new TrackerError('rate_limited', message);
  if (status >= 500) return new TrackerError('unavailable', `HTTP ${status}`);
  return new TrackerError('validation', message);
}

function query(searchParams: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.append(key, String(item));
    } else if (typeof value === 'object') {
      params.set(key, JSON.stringify(value));
    } else {
      params.set(key, String(value as string | number | boolean));
    }
  }
  const q = params.toString();
  return q ? `?${q}` : '';
}

/**
 * A jira.js `Client` (the documented extension point of its endpoint functions) whose transport is the
 * vendor fetch — the guarded client with Jira's rate-limit handling — instead of the global fetch.
 * Responses are checked against jira.js's schemas; drift is logged, not fatal (Atlassian adds fields often),
 * and the pack checks the fields it reads itself.
 */
export class GuardedJiraClient implements Client {
  private readonly base: string;

  constructor(
    private readonly fetch: typeof globalThis.fetch,
    siteUrl: string,
    private readonly authorization: string,
    private readonly logger: PackLogger,
  ) {
    this.base = siteUrl.replace(/\/+$/, '');
  }

  async sendRequest<T>(options: SendRequestOptions<T>): Promise<T> {
    const path = options.url.startsWith('/') ? options.url : `/${options.url}`;
    const hasBody = options.body !== undefined && options.body !== null;
    const response = await this.fetch(`${this.base}${path}${query(options.searchParams)}`, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(hasBody && { 'content-type': 'application/json' }),
        authorization: this.authorization,
        ...options.headers,
      },
      ...(hasBody && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    if (!response.ok) throw jiraFailure(response.status, text);
    if (response.status === 204 || text.trim() === '') return undefined as T;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new TrackerError(
        'malformed',
        `a response to ${options.method ?? 'GET'} ${path} that is not JSON`,
      );
    }
    if (options.schema) {
      const checked = options.schema.safeParse(data);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        this.logger.debug('jira response differs from the jira.js schema', {
          endpoint: path,
          path: issue?.path.join('.'),
          problem: issue?.message,
        });
      }
    }
    return data as T;
  }
}
