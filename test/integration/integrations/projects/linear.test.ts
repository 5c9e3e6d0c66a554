/**
 * The Linear contract against a local GraphQL server built on Linear's schema (subset), reached through
 * the guarded HTTP client with the operator allow-list opened for loopback only.
 */
import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';
import { createLinearPack, trackerDeps, type LinearConfig } from '@switchboard/projects';

import { linearContract } from './linear.contract.js';
import { startLinearServer } from './linear.server.js';
import type { ContractTarget } from './support.js';

linearContract(
  async (): Promise<ContractTarget<LinearConfig>> => {
    const server = await startLinearServer();
    const http = new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) });
    const pack = createLinearPack(
      trackerDeps(http, { retry: { maxAttempts: 3, maxWaitMs: 5_000, baseDelayMs: 20 } }),
    );
    const config = { apiUrl: server.graphqlUrl, auth: 'api_key' as const, timeoutMs: 10_000 };
    return {
      label: 'local Linear',
      pack,
      config,
      secrets: { api_key: server.apiKey },
      badSecrets: { api_key: 'lin_api_revokedrevokedrevokedrevoked0000' },
      local: server,
      async cleanup(keys) {
        for (const id of keys) {
          await http.request(server.graphqlUrl, {
            method: 'POST',
            headers: { authorization: server.apiKey, 'content-type': 'application/json' },
            body: JSON.stringify({
              query: 'mutation A($id: String!) { issueArchive(id: $id) { success } }',
              variables: { id },
            }),
          });
        }
      },
      async close() {
        await http.close();
        await server.close();
      },
    };
  },
  { team: 'ENG', local: true },
);
