/**
 * Issue 6's project-tracker path through the platform: a tenant connects Linear (the local Linear server
 * built on Linear's schema, on loopback, which the operator allow-listed), keeps the API key in the vault,
 * exposes the pack on its endpoint, and the official MCP client lists and calls the tools, reads a prompt
 * and completes its team argument — in both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { VaultService } from '../../src/vault/vault.service.js';
import { startLinearServer, type LinearLocal } from '../integration/integrations/projects/linear.server.js';
import { createTenant, startTestApp, type TestApp } from '../support/app.js';

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

describe('Linear pack through a hosted endpoint', () => {
  let app: TestApp;
  let linear: LinearLocal;

  beforeAll(async () => {
    linear = await startLinearServer();
    app = await startTestApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await linear?.close();
  });

  it('lists and calls Linear tools, gets a prompt and completes its argument; the key never leaves the vault', async () => {
    const t = await createTenant(app);
    const { connection } = await app.tenancy.enablePack(t.slug, 'linear', {
      endpointSlug: 'default',
      connectionName: 'Product Linear',
      config: { apiUrl: linear.graphqlUrl, defaultTeam: 'ENG' },
    });
    const tenant = await app.tenancy.getTenant(t.slug);
    await app.running.app
      .get(VaultService)
      .setSecret({ tenantId: tenant.id }, connection.id, 'api_key', linear.apiKey);

    for (const era of ['legacy', 'modern'] as const) {
      const client = new Client(
        { name: `e2e-linear-${era}`, version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
          requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
        }),
      );
      try {
        const { tools } = await client.listTools();
        expect(tools.map((x) => x.name)).toEqual(
          expect.arrayContaining([
            'linear_search_issues',
            'linear_create_issue',
            'linear_my_open_issues',
            'linear_list_cycles',
          ]),
        );
        const search = tools.find((x) => x.name === 'linear_search_issues')!;
        expect(search.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
        expect(search.outputSchema).toBeDefined();

        const made = await client.callTool({
          name: 'linear_create_issue',
          arguments: { title: `Login loops on Safari (${era})`, labels: ['Bug'], assignee: 'me' },
        });
        expect(made.isError).toBeFalsy();
        const key = (made.structuredContent as { issue: { key: string } }).issue.key;
        expect(key).toMatch(/^ENG-\d+$/);

        const found = await client.callTool({
          name: 'linear_search_issues',
          arguments: { text: 'Login loops', label: 'bug' },
        });
        expect((found.structuredContent as { issues: { key: string }[] }).issues.map((i) => i.key)).toContain(
          key,
        );
        const mine = await client.callTool({ name: 'linear_my_open_issues', arguments: {} });
        expect(textOf(mine)).toContain(key);

        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name)).toEqual(
          expect.arrayContaining([
            'linear_bug_report_from_conversation',
            'linear_release_notes',
            'linear_triage_new_issues',
          ]),
        );
        const triage = await client.getPrompt({
          name: 'linear_triage_new_issues',
          arguments: { team: 'ENG' },
        });
        const triageText = triage.messages
          .map((m) => (m.content.type === 'text' ? m.content.text : ''))
          .join('');
        expect(triageText).toContain('open, unassigned');
        const completion = await client.complete({
          ref: { type: 'ref/prompt', name: 'linear_triage_new_issues' },
          argument: { name: 'team', value: 'E' },
        });
        expect(completion.completion.values).toContain('ENG');

        expect(JSON.stringify([made, found, mine, triage])).not.toContain(linear.apiKey);
      } finally {
        await client.close();
      }
    }
  });
});
