import { requireSecret, type TrackerVendor } from '../core/runtime.js';
import { linearRateLimits } from '../core/rate-limit.js';
import { createVendorFetch } from '../core/vendor-fetch.js';
import {
  LINEAR_ACCESS_TOKEN_SECRET,
  LINEAR_API_KEY_SECRET,
  parseLinearConfig,
  type LinearConfig,
} from './linear.config.js';
import { LinearGraphQL } from './linear.graphql.js';
import { LinearSession } from './linear.session.js';

/** Queries are safe to resend after a transient failure; mutations are not. */
function isQuery(body: string | undefined): boolean {
  if (body === undefined) return true;
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    return typeof query === 'string' && !/^\s*mutation\b/.test(query.replace(/^\s*(#[^\n]*\n\s*)*/, ''));
  } catch {
    return false;
  }
}

export const linearVendor: TrackerVendor<LinearConfig> = {
  profile: {
    prefix: 'linear',
    name: 'Linear',
    issueKeyExample: 'ENG-123',
    issueKeyHelp: 'its identifier like ENG-123 (team key + number), or its id.',
    projectHelp: 'Linear project name, e.g. "Mobile app v2" (linear_list_projects lists them).',
    projectExample: 'Mobile',
    stateHelp:
      '"open" (not done or canceled), "closed" (done or canceled), or a workflow state name of the team such as "Todo", "In Progress", "Done".',
    assigneeHelp: '"me" (the connection\'s account), "none" (unassigned), an email, or a name.',
    priorityHelp: 'One of urgent, high, medium, low, none.',
    labelHelp: 'Names as shown in Linear (team or workspace labels), case-insensitive.',
    hasTeams: true,
    hasIssueTypes: false,
    textFormat: 'Markdown',
  },
  parseConfig: parseLinearConfig,
  async open(deps, ctx) {
    const oauth = ctx.config.auth === 'oauth';
    const secret = oauth
      ? await requireSecret(ctx.secrets, LINEAR_ACCESS_TOKEN_SECRET, 'Linear OAuth access token')
      : await requireSecret(ctx.secrets, LINEAR_API_KEY_SECRET, 'Linear API key');
    const fetch = createVendorFetch({
      http: deps.http,
      vendor: 'Linear',
      limits: linearRateLimits,
      gate: deps.gate,
      gateKey: `${ctx.tenantId}/${ctx.connectionId}`,
      idempotent: (_method, body) => isQuery(body),
      signal: ctx.signal,
      logger: ctx.logger,
      timeoutMs: ctx.config.timeoutMs,
      maxResponseBytes: 4 * 1024 * 1024,
      ...(deps.retry && { retry: deps.retry }),
      ...(deps.timing && { timing: deps.timing }),
    });
    // Personal API keys go bare in Authorization; OAuth tokens as Bearer (Linear's documented forms).
    const gql = new LinearGraphQL(fetch, ctx.config.apiUrl, oauth ? `Bearer ${secret}` : secret);
    return { session: new LinearSession(gql, ctx.config), secretValues: [secret] };
  },
  mapError: () => null,
};
