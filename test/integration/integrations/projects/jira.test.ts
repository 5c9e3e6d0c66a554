/** The Jira contract against a local Jira Cloud site, reached through the guarded client (loopback allow-listed). */
import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';
import { createJiraPack, trackerDeps, type JiraConfig } from '@switchboard/projects';

import { jiraContract } from './jira.contract.js';
import { startJiraServer } from './jira.server.js';
import type { ContractTarget } from './support.js';

jiraContract(
  async (): Promise<ContractTarget<JiraConfig>> => {
    const server = await startJiraServer();
    const http = new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) });
    const pack = createJiraPack(
      trackerDeps(http, { retry: { maxAttempts: 3, maxWaitMs: 5_000, baseDelayMs: 20 } }),
    );
    const auth = `Basic ${Buffer.from(`${server.email}:${server.token}`).toString('base64')}`;
    return {
      label: 'local Jira',
      pack,
      config: { siteUrl: server.url, auth: 'basic', defaultIssueType: 'Task', timeoutMs: 10_000 },
      secrets: { email: server.email, api_token: server.token },
      badSecrets: { email: server.email, api_token: 'ATATT3xFfGF0-revoked-revoked-revoked' },
      local: server,
      async cleanup(keys) {
        for (const key of keys)
          await http.request(`${server.url}/rest/api/3/issue/${key}`, {
            method: 'DELETE',
            headers: { authorization: auth },
          });
      },
      async close() {
        await http.close();
        await server.close();
      },
    };
  },
  { project: 'PROJ', local: true },
);
