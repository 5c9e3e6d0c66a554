/**
 * The Linear contract against Linear itself. Runs only when LINEAR_API_KEY is set (scripts/test.mjs lists
 * it as not run otherwise); LINEAR_TEAM picks the team to create issues in (the first team otherwise).
 * Created issues are archived afterwards.
 */
import { GuardedHttpClient } from '@switchboard/http-client';
import { createLinearPack, trackerDeps, type LinearConfig } from '@switchboard/projects';

import { linearContract } from '../integration/integrations/projects/linear.contract.js';
import type { ContractTarget } from '../integration/integrations/projects/support.js';

const apiKey = process.env.LINEAR_API_KEY;
if (!apiKey) throw new Error('LINEAR_API_KEY is required for the live Linear suite');
const apiUrl = process.env.LINEAR_API_URL ?? 'https://api.linear.app/graphql';

linearContract(
  async (): Promise<ContractTarget<LinearConfig>> => {
    const http = new GuardedHttpClient();
    return {
      label: 'Linear',
      pack: createLinearPack(trackerDeps(http)),
      config: { apiUrl, auth: 'api_key', timeoutMs: 30_000 },
      secrets: { api_key: apiKey },
      badSecrets: { api_key: 'lin_api_0000000000000000000000000000000000000000' },
      async cleanup(keys) {
        for (const id of keys) {
          await http.request(apiUrl, {
            method: 'POST',
            headers: { authorization: apiKey, 'content-type': 'application/json' },
            body: JSON.stringify({
              query: 'mutation Archive($id: String!) { issueArchive(id: $id) { success } }',
              variables: { id },
            }),
          });
        }
      },
      close: () => http.close(),
    };
  },
  { ...(process.env.LINEAR_TEAM && { team: process.env.LINEAR_TEAM }) },
);
