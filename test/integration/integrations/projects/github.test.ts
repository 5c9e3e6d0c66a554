/** The GitHub Issues contract against a local GitHub REST API, through the guarded client (loopback allow-listed). */
import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';
import { createGithubPack, trackerDeps, type GithubConfig } from '@switchboard/projects';

import { githubContract } from './github.contract.js';
import { startGithubServer } from './github.server.js';
import type { ContractTarget } from './support.js';

githubContract(
  async (): Promise<ContractTarget<GithubConfig>> => {
    const server = await startGithubServer();
    const http = new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) });
    const pack = createGithubPack(
      trackerDeps(http, { retry: { maxAttempts: 3, maxWaitMs: 5_000, baseDelayMs: 20 } }),
    );
    return {
      label: 'local GitHub',
      pack,
      config: { apiUrl: server.apiUrl, repositories: ['octocat/hello-world'], timeoutMs: 10_000 },
      secrets: { token: server.token },
      badSecrets: { token: 'ghp_revokedrevokedrevokedrevoked000000' },
      local: server,
      async cleanup(keys) {
        for (const key of keys) {
          const [repo, number] = key.split('#');
          await http.request(`${server.apiUrl}/repos/${repo}/issues/${number}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ state: 'closed', state_reason: 'not_planned' }),
          });
        }
      },
      async close() {
        await http.close();
        await server.close();
      },
    };
  },
  { repository: 'octocat/hello-world', label: 'bug', local: true },
);
