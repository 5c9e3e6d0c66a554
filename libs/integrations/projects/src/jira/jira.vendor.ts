import { jiraRateLimits } from '../core/rate-limit.js';
import { requireSecret, type TrackerVendor } from '../core/runtime.js';
import { createVendorFetch } from '../core/vendor-fetch.js';
import {
  JIRA_ACCESS_TOKEN_SECRET,
  JIRA_API_TOKEN_SECRET,
  JIRA_EMAIL_SECRET,
  parseJiraConfig,
  type JiraConfig,
} from './jira.config.js';
import { GuardedJiraClient } from './jira.client.js';
import { loadJiraApi } from './jira.api.js';
import { JiraSession } from './jira.session.js';

export const jiraVendor: TrackerVendor<JiraConfig> = {
  profile: {
    prefix: 'jira',
    name: 'Jira',
    issueKeyExample: 'PROJ-123',
    issueKeyHelp: 'its key like PROJ-123, or its numeric id.',
    projectHelp: 'Jira project key, e.g. "PROJ" (jira_list_projects lists them).',
    projectExample: 'PROJ',
    stateHelp:
      '"open" (status category not Done), "closed" (Done), or a status name of the project\'s workflow such as "To Do", "In Progress", "Done".',
    assigneeHelp:
      '"me" (the connection\'s account), "none" (unassigned), an email, a display name or an accountId.',
    priorityHelp: 'A priority name of the site, e.g. Highest, High, Medium, Low, Lowest.',
    labelHelp: 'Jira labels are free text without spaces (spaces become dashes).',
    hasTeams: false,
    hasIssueTypes: true,
    textFormat: 'plain text (blank lines separate paragraphs, ``` fences code)',
  },
  parseConfig: parseJiraConfig,
  async open(deps, ctx) {
    let authorization: string;
    let secretValues: string[];
    if (ctx.config.auth === 'oauth') {
      const token = await requireSecret(ctx.secrets, JIRA_ACCESS_TOKEN_SECRET, 'Jira OAuth access token');
      authorization = `Bearer ${token}`;
      secretValues = [token];
    } else {
      const email = await requireSecret(ctx.secrets, JIRA_EMAIL_SECRET, 'Jira account email');
      const token = await requireSecret(ctx.secrets, JIRA_API_TOKEN_SECRET, 'Jira API token');
      const basic = Buffer.from(`${email}:${token}`, 'utf8').toString('base64');
      authorization = `Basic ${basic}`;
      secretValues = [token, basic];
    }
    const fetch = createVendorFetch({
      http: deps.http,
      vendor: 'Jira',
      limits: jiraRateLimits,
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
    const client = new GuardedJiraClient(fetch, ctx.config.siteUrl, authorization, ctx.logger);
    return { session: new JiraSession(await loadJiraApi(), client, ctx.config), secretValues };
  },
  mapError: () => null,
};
