/**
 * The HubSpot contract suite against the real API (api.hubapi.com, or HUBSPOT_BASE_URL), with a private
 * app token in HUBSPOT_TOKEN that has the CRM scopes the pack uses (crm.objects.contacts/companies/deals
 * read and write, crm.schemas.contacts/companies/deals.read, crm.objects.owners.read). scripts/test.mjs runs
 * this file only when HUBSPOT_TOKEN is set and lists it as not run otherwise. The suite creates its own
 * records, tagged with a run id, and archives them afterwards.
 */
import { GuardedHttpClient } from '@switchboard/http-client';

import { describeHubSpotContract } from '../integration/integrations/crm/hubspot.contract.js';

const token = process.env.HUBSPOT_TOKEN;
if (!token) {
  throw new Error(
    'HUBSPOT_TOKEN is not set: this suite runs only against a real HubSpot account (npm test lists it as not run).',
  );
}

describeHubSpotContract(
  'the real HubSpot API',
  async () => ({
    name: 'HubSpot',
    baseUrl: process.env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com',
    token,
    // The real API is public: the default egress policy, with no allow-list, reaches it.
    http: new GuardedHttpClient(),
    // HubSpot's search index trails writes by a few seconds.
    searchLagMs: 60_000,
  }),
  async (target) => {
    await target.http.close();
  },
);
