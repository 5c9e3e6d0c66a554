import { Octokit } from '@octokit/rest';

import { githubRateLimits } from '../core/rate-limit.js';
import { requireSecret, type TrackerVendor } from '../core/runtime.js';
import { TrackerError, trimVendorMessage } from '../core/tracker.errors.js';
import { createVendorFetch } from '../core/vendor-fetch.js';
import { GITHUB_TOKEN_SECRET, parseGithubConfig, type GithubConfig } from './github.config.js';
import { GithubSession } from './github.session.js';

interface OctokitHttpError {
  name: string;
  status: number;
  response?: { data?: unknown };
}

function isHttpError(error: unknown): error is OctokitHttpError {
  return (
    error instanceof Error &&
    error.name === 'HttpError' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/** GitHub's error body: `{"message": "...", "errors": [{"message"|"code", "field"}]}`. */
function githubMessage(data: unknown): string {
  if (data === null || typeof data !== 'object')
    return typeof data === 'string' ? trimVendorMessage(data) : 'no details given';
  const body = data as { message?: unknown; errors?: unknown };
  const parts = typeof body.message === 'string' ? [body.message] : [];
  if (Array.isArray(body.errors)) {
    for (const e of body.errors.slice(0, 5)) {
      if (typeof e === 'string') parts.push(e);
      else if (e && typeof e === 'object') {
        const x = e as { message?: unknown; field?: unknown; code?: unknown };
        parts.push([x.field, x.message ?? x.code].filter((v) => typeof v === 'string').join(': '));
      }
    }
  }
  return trimVendorMessage(parts.join('; '));
}

export function githubError(error: unknown): TrackerError | null {
  if (!isHttpError(error)) return null;
  const message = githubMessage(error.response?.data);
  switch (true) {
    case error.status === 401:
      return new TrackerError('auth', message);
    case error.status === 403:
      return new TrackerError('permission', message);
    case error.status === 404:
      return new TrackerError('not_found', `${message} (or the token cannot see it).`);
    case error.status === 410:
      return new TrackerError('not_found', `${message} (issues may be disabled for that repository).`);
    case error.status === 422 || error.status === 400:
      return new TrackerError('validation', message);
    case error.status === 429:
      return new TrackerError('rate_limited', message);
    case error.status >= 500:
      return new TrackerError('unavailable', `HTTP ${error.status}`);
    default:
      return new TrackerError('validation', `HTTP ${error.status}: ${message}`);
  }
}

export const githubVendor: TrackerVendor<GithubConfig> = {
  profile: {
    prefix: 'github',
    name: 'GitHub',
    issueKeyExample: 'octocat/hello-world#42',
    issueKeyHelp: 'owner/repo#number (or just #number in the default repository), or its github.com URL.',
    projectHelp: 'Repository as owner/name, e.g. "acme/web" (github_list_projects lists them).',
    projectExample: 'web',
    stateHelp: '"open", "closed", "completed" or "not planned".',
    assigneeHelp: '"me" (the token\'s account), "none" (unassigned), or a GitHub login.',
    priorityHelp: null,
    labelHelp:
      'Repository label names; GitHub has no priority field, so teams often use labels like "priority: high".',
    hasTeams: false,
    hasIssueTypes: false,
    textFormat: 'GitHub Markdown',
  },
  parseConfig: parseGithubConfig,
  async open(deps, ctx) {
    const token = await requireSecret(ctx.secrets, GITHUB_TOKEN_SECRET, 'GitHub token');
    const fetch = createVendorFetch({
      http: deps.http,
      vendor: 'GitHub',
      limits: githubRateLimits,
      gate: deps.gate,
      gateKey: `${ctx.tenantId}/${ctx.connectionId}`,
      idempotent: (method) =>
        method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE',
      signal: ctx.signal,
      logger: ctx.logger,
      timeoutMs: ctx.config.timeoutMs,
      maxResponseBytes: 4 * 1024 * 1024,
      ...(deps.retry && { retry: deps.retry }),
      ...(deps.timing && { timing: deps.timing }),
    });
    const octokit = new Octokit({
      auth: token,
      baseUrl: ctx.config.apiUrl.replace(/\/+$/, ''),
      userAgent: 'Switchboard',
      request: { fetch },
      // Octokit's default logger writes deprecation notices to the console; ours goes to the pack log.
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => ctx.logger.warn('octokit', { message }),
        error: (message: string) => ctx.logger.warn('octokit', { message }),
      },
    });
    return { session: new GithubSession(octokit, ctx.config), secretValues: [token] };
  },
  mapError: githubError,
};
