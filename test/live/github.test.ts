/**
 * The GitHub Issues contract against GitHub (or GitHub Enterprise with GITHUB_API_URL). Runs only when
 * GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name, a repository the token may write issues in) are set;
 * GITHUB_LABEL names an existing label to set. Created issues are closed as not planned afterwards.
 */
import { GuardedHttpClient } from '@switchboard/http-client';
import { createGithubPack, trackerDeps, type GithubConfig } from '@switchboard/projects';

import { githubContract } from '../integration/integrations/projects/github.contract.js';
import type { ContractTarget } from '../integration/integrations/projects/support.js';

const token = process.env.GITHUB_TOKEN;
const repository = process.env.GITHUB_REPOSITORY;
if (!token || !repository)
  throw new Error('GITHUB_TOKEN and GITHUB_REPOSITORY are required for the live GitHub suite');
const apiUrl = (process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');

githubContract(
  async (): Promise<ContractTarget<GithubConfig>> => {
    const http = new GuardedHttpClient();
    return {
      label: 'GitHub',
      pack: createGithubPack(trackerDeps(http)),
      config: { apiUrl, repositories: [repository], timeoutMs: 30_000 },
      secrets: { token },
      badSecrets: { token: 'ghp_000000000000000000000000000000000000' },
      async cleanup(keys) {
        for (const key of keys) {
          const [repo, number] = key.split('#');
          await http.request(`${apiUrl}/repos/${repo}/issues/${number}`, {
            method: 'PATCH',
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/vnd.github+json',
              'content-type': 'application/json',
            },
            body: JSON.stringify({ state: 'closed', state_reason: 'not_planned' }),
          });
        }
      },
      close: () => http.close(),
    };
  },
  { repository, ...(process.env.GITHUB_LABEL && { label: process.env.GITHUB_LABEL }) },
);
