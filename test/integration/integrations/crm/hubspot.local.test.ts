/**
 * The HubSpot contract suite against a local server that implements HubSpot's documented API, plus the
 * upstream behaviour only a local server can provoke: rate limiting, outages, malformed answers, OAuth
 * token refresh, missing scopes and egress refusal.
 */
import { randomBytes } from 'node:crypto';

import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';

import { describeHubSpotContract } from './hubspot.contract.js';
import { FakeHubSpot } from './hubspot-server/server.js';

const servers = new Map<string, FakeHubSpot>();

describeHubSpotContract(
  'local server',
  async () => {
    const server = await new FakeHubSpot().start();
    const token = `pat-na1-${randomBytes(16).toString('hex')}`;
    server.addToken(token);
    servers.set(server.url, server);
    return {
      name: 'local',
      baseUrl: server.url,
      token,
      // The operator allow-lists exactly the loopback address the test server listens on.
      http: new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) }),
      searchLagMs: 0,
    };
  },
  async (target) => {
    await target.http.close();
    await servers.get(target.baseUrl)?.close();
  },
);
