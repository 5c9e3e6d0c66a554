/**
 * The CRM pack through a hosted endpoint: a tenant connects HubSpot (a local server that follows HubSpot's
 * documented API) with a private app token kept in the vault, exposes the pack on an endpoint, and the
 * official MCP client lists and calls CRM tools, reads the properties resource and gets a prompt with
 * argument completion, in both protocol eras. A viewer sees only the read tools.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { VaultService } from '../../src/vault/vault.service.js';
import { FakeHubSpot } from '../integration/integrations/crm/hubspot-server/server.js';
import { createTenant, startTestApp, type TestApp } from '../support/app.js';

const TOKEN = `pat-na1-${randomBytes(16).toString('hex')}`;

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

async function connect(url: string, key: string, era: 'legacy' | 'modern'): Promise<Client> {
  const client = new Client(
    { name: `e2e-crm-${era}`, version: '1' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

describe('HubSpot CRM pack through a hosted endpoint', () => {
  let app: TestApp;
  const hubspot = new FakeHubSpot();
  let dealId = '';

  beforeAll(async () => {
    await hubspot.start();
    hubspot.addToken(TOKEN);
    // HubSpot's documented examples: a company, its contact and deal, and a note on the deal.
    const s = hubspot.store;
    const company = s.create('companies', {
      name: 'HubSpot',
      domain: 'hubspot.com',
      city: 'Cambridge',
      industry: 'COMPUTER_SOFTWARE',
    });
    const contact = s.create('contacts', {
      email: 'example@hubspot.com',
      firstname: 'Jane',
      lastname: 'Doe',
      company: 'HubSpot',
    });
    const deal = s.create('deals', {
      dealname: 'New deal',
      amount: '1500.00',
      closedate: '2030-12-07T16:50:06.678Z',
      pipeline: 'default',
      dealstage: 'contractsent',
      hubspot_owner_id: '910901',
    });
    dealId = deal.id;
    s.associate('contacts', contact.id, 'companies', company.id, 279);
    s.associate('deals', deal.id, 'companies', company.id, 341);
    const note = s.create('notes', {
      hs_timestamp: new Date().toISOString(),
      hs_note_body: 'Spoke with decision maker Carla. Attached the proposal and draft of contract.',
    });
    s.associate('notes', note.id, 'deals', deal.id, 214);
    // The HubSpot stand-in lives on loopback, which the egress guard refuses unless the operator allows it.
    app = await startTestApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await hubspot.close();
  });

  it('serves the crm tools, resources and prompts to the official client in both eras', async () => {
    const t = await createTenant(app);
    await app.tenancy.createEndpoint(t.slug, { slug: 'sales', name: 'Sales' });
    const { connection } = await app.tenancy.enablePack(t.slug, 'hubspot', {
      endpointSlug: 'sales',
      connectionName: 'Sales HubSpot',
      config: { baseUrl: hubspot.url, portalId: 4242 },
    });
    const tenant = await app.tenancy.getTenant(t.slug);
    const vault = app.running.app.get(VaultService);
    await vault.setSecret({ tenantId: tenant.id }, connection.id, 'private_app_token', TOKEN);
    const url = `${app.url}/t/${t.slug}/e/sales/mcp`;

    for (const era of ['legacy', 'modern'] as const) {
      const client = await connect(url, t.key, era);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((x) => x.name)).toEqual(
          expect.arrayContaining([
            'crm_find_contacts',
            'crm_find_companies',
            'crm_get_record',
            'crm_log_note',
            'crm_move_deal_stage',
          ]),
        );
        expect(tools).toHaveLength(14);
        const find = tools.find((x) => x.name === 'crm_find_companies')!;
        expect(find.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
        expect(find.outputSchema).toMatchObject({ type: 'object' });
        expect(tools.find((x) => x.name === 'crm_move_deal_stage')!.annotations).toMatchObject({
          readOnlyHint: false,
          destructiveHint: true,
        });

        const found = await client.callTool({ name: 'crm_find_companies', arguments: { query: 'HubSpot' } });
        expect(found.isError).toBeFalsy();
        expect(textOf(found)).toContain('HubSpot · hubspot.com');
        const records = (found.structuredContent as { records: { id: string; url: string }[] }).records;
        expect(records[0]!.url).toMatch(/^https:\/\/app\.hubspot\.com\/contacts\/4242\/record\/0-2\//);

        const deal = await client.callTool({
          name: 'crm_get_record',
          arguments: { type: 'deal', id: dealId },
        });
        expect(deal.isError).toBeFalsy();
        expect(textOf(deal)).toContain('Stage: Contract Sent (Sales Pipeline)');
        expect(textOf(deal)).toContain('Spoke with decision maker Carla');

        const logged = await client.callTool({
          name: 'crm_log_note',
          arguments: { type: 'deal', id: dealId, body: `Follow-up sent (${era}).` },
        });
        expect(logged.isError).toBeFalsy();

        const bad = await client.callTool({
          name: 'crm_move_deal_stage',
          arguments: { deal_id: dealId, stage: 'Nowhere' },
        });
        expect(bad.isError).toBe(true);
        expect(textOf(bad)).toContain('Its stages: "Appointment Scheduled" (appointmentscheduled)');

        const { resources } = await client.listResources();
        const contactProps = resources.find((r) => r.name === 'crm_contacts_properties')!;
        expect(contactProps.uri).toBe(`crm://${connection.id}/properties/contacts`);
        const read = await client.readResource({ uri: contactProps.uri });
        expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({
          objectType: 'contact',
          custom: expect.arrayContaining([
            expect.objectContaining({ name: 'customer_tier', options: expect.any(Array) }),
          ]),
        });

        const completion = await client.complete({
          ref: { type: 'ref/prompt', name: 'crm_summarize_customer_activity' },
          argument: { name: 'customer', value: 'Hub' },
        });
        expect(completion.completion.values).toContain('HubSpot');
        const prompt = await client.getPrompt({
          name: 'crm_summarize_customer_activity',
          arguments: { customer: 'HubSpot', days: '30' },
        });
        const text = (prompt.messages[0]!.content as { text: string }).text;
        expect(text).toContain('Summarize the recent activity of the customer "HubSpot"');
        expect(text).toContain('Spoke with decision maker Carla');
        expect(text).toContain(`Follow-up sent (${era}).`);

        expect(JSON.stringify([found, deal, logged, bad, read, prompt])).not.toContain(TOKEN);
      } finally {
        await client.close();
      }
    }
    // Every call went out with the vault's token, through the guarded client, to the configured base URL.
    expect(hubspot.seen.length).toBeGreaterThan(10);
    expect(hubspot.seen.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('gives a viewer the read tools only, and tells everyone when the token is refused', async () => {
    const t = await createTenant(app, { packs: [] });
    const { connection } = await app.tenancy.enablePack(t.slug, 'hubspot', {
      endpointSlug: 'default',
      connectionName: 'Sales HubSpot',
      config: { baseUrl: hubspot.url },
    });
    const tenant = await app.tenancy.getTenant(t.slug);
    const vault = app.running.app.get(VaultService);
    await vault.setSecret({ tenantId: tenant.id }, connection.id, 'private_app_token', TOKEN);
    const viewerEmail = `viewer@${t.slug}.example`;
    await app.tenancy.addMember(t.slug, viewerEmail, 'viewer');
    const { key: viewerKey } = await app.apiKeys.create(t.slug, { userEmail: viewerEmail });

    const viewer = await connect(t.mcpUrl, viewerKey, 'modern');
    try {
      const names = (await viewer.listTools()).tools.map((x) => x.name).filter((n) => n.startsWith('crm_'));
      expect(names.sort()).toEqual([
        'crm_find_companies',
        'crm_find_contacts',
        'crm_find_deals',
        'crm_get_record',
        'crm_list_pipelines',
      ]);
      const ok = await viewer.callTool({ name: 'crm_list_pipelines', arguments: {} });
      expect(textOf(ok)).toContain('Sales Pipeline (pipeline id default)');
    } finally {
      await viewer.close();
    }

    await vault.setSecret(
      { tenantId: tenant.id },
      connection.id,
      'private_app_token',
      `pat-na1-${randomBytes(16).toString('hex')}`,
    );
    const owner = await connect(t.mcpUrl, t.key, 'legacy');
    try {
      const refused = await owner.callTool({ name: 'crm_find_contacts', arguments: { query: 'jane' } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain(
        'A Switchboard admin must reconnect the HubSpot connection "Sales HubSpot"',
      );
    } finally {
      await owner.close();
    }
  });
});
