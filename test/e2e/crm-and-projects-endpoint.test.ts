/**
 * A tenant admin's whole path for the ready-made packs, through the admin API only (an API key with the
 * `admin` scope, as automation would use it): connect HubSpot and Linear (local servers that follow the
 * vendors' documented APIs, on loopback the operator allow-listed), store their credentials write-only,
 * test both connections, create an endpoint exposing two CRM tools and the Linear pack; then the official
 * MCP client on that endpoint sees exactly that surface and uses tools of both and a prompt, in both eras.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { ApiKeyService } from '../../src/auth/api-key.service.js';
import { FakeHubSpot } from '../integration/integrations/crm/hubspot-server/server.js';
import { startLinearServer, type LinearLocal } from '../integration/integrations/projects/linear.server.js';
import { startTestApp, uniqueSlug, type TestApp } from '../support/app.js';

const HUBSPOT_TOKEN = `pat-na1-${randomBytes(16).toString('hex')}`;
const CRM_TOOLS = ['crm_find_deals', 'crm_get_record'];

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

describe('HubSpot and Linear on one endpoint, configured through the admin API', () => {
  let app: TestApp;
  let linear: LinearLocal;
  const hubspot = new FakeHubSpot();
  let dealId = '';

  beforeAll(async () => {
    await hubspot.start();
    hubspot.addToken(HUBSPOT_TOKEN);
    const company = hubspot.store.create('companies', { name: 'Acme Robotics', domain: 'acme.example' });
    const deal = hubspot.store.create('deals', {
      dealname: 'Acme Robotics renewal',
      amount: '24000.00',
      closedate: '2031-03-31T12:00:00.000Z',
      pipeline: 'default',
      dealstage: 'contractsent',
    });
    hubspot.store.associate('deals', deal.id, 'companies', company.id, 341);
    dealId = deal.id;
    linear = await startLinearServer();
    app = await startTestApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await linear?.close();
    await hubspot.close();
  });

  it('exposes exactly the chosen surface, and the client uses both packs and a prompt', async () => {
    const slug = uniqueSlug('rev');
    await app.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
    const { key } = await app.running.app.get(ApiKeyService).create(slug, { scopes: ['admin', 'mcp'] });
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${app.url}/api/v1/tenants/${slug}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      expect({ method, path, status: res.status, ok: res.ok }).toMatchObject({ ok: true });
      return (text ? JSON.parse(text) : {}) as T;
    };

    const crm = await api<{ id: string }>('POST', '/connections', {
      packId: 'hubspot',
      name: 'Sales HubSpot',
      config: { baseUrl: hubspot.url, portalId: 4242 },
    });
    await api('PUT', `/connections/${crm.id}/secrets/private_app_token`, { value: HUBSPOT_TOKEN });
    const tracker = await api<{ id: string }>('POST', '/connections', {
      packId: 'linear',
      name: 'Product Linear',
      config: { apiUrl: linear.graphqlUrl, defaultTeam: 'ENG' },
    });
    await api('PUT', `/connections/${tracker.id}/secrets/api_key`, { value: linear.apiKey });
    for (const id of [crm.id, tracker.id]) {
      expect(await api('POST', `/connections/${id}/test`)).toMatchObject({ ok: true });
    }
    // Write-only: the secrets list names them, never their values.
    const secrets = JSON.stringify(await api('GET', `/connections/${crm.id}/secrets`));
    expect(secrets).toContain('private_app_token');
    expect(secrets).not.toContain(HUBSPOT_TOKEN);

    await api('POST', '/endpoints', { slug: 'revenue', name: 'Revenue team' });
    await api('PUT', `/endpoints/revenue/connections/${crm.id}`, { mode: 'selected' });
    for (const tool of CRM_TOOLS) {
      await api('PATCH', `/endpoints/revenue/tools/${crm.id}/${tool}`, { enabled: true });
    }
    await api('PUT', `/endpoints/revenue/connections/${tracker.id}`, { mode: 'all' });

    const url = `${app.url}/t/${slug}/e/revenue/mcp`;
    for (const era of ['legacy', 'modern'] as const) {
      const client = new Client(
        { name: `e2e-revenue-${era}`, version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { Authorization: `Bearer ${key}` } },
        }),
      );
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names.filter((n) => n.startsWith('crm_')).sort()).toEqual(CRM_TOOLS);
        expect(names).toEqual(expect.arrayContaining(['linear_search_issues', 'linear_create_issue']));
        expect(names.every((n) => n.startsWith('crm_') || n.startsWith('linear_'))).toBe(true);

        const deals = await client.callTool({
          name: 'crm_find_deals',
          arguments: { query: 'Acme', stage: 'Contract Sent' },
        });
        expect(deals.isError).toBeFalsy();
        expect((deals.structuredContent as { records: { id: string }[] }).records.map((r) => r.id)).toEqual([
          dealId,
        ]);

        const issue = await client.callTool({
          name: 'linear_create_issue',
          arguments: { title: `Acme renewal: export of audit reports (${era})`, labels: ['Feature'] },
        });
        expect(issue.isError).toBeFalsy();
        expect(textOf(issue)).toMatch(/ENG-\d+/);

        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name)).toEqual(
          expect.arrayContaining(['crm_weekly_pipeline_review', 'linear_triage_new_issues']),
        );
        const review = await client.getPrompt({ name: 'crm_weekly_pipeline_review', arguments: {} });
        const promptText = JSON.stringify(review.messages);
        // The prompt carries the live pipeline, read through the connection's credential.
        expect(promptText).toContain('Acme Robotics renewal');
        expect(promptText).toContain('Contract Sent: 1 deal');
        expect(promptText).not.toContain(HUBSPOT_TOKEN);
      } finally {
        await client.close();
      }
    }
  });
});
