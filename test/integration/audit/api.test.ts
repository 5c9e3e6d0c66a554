/**
 * The audit log in the running server: every tool call made with the official MCP client is recorded
 * (refused and failed ones too) before the answer goes back; the REST API lists, filters, exports and
 * verifies, behind an admin-scoped API key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { PackRegistry } from '@switchboard/integration-kit';
import { parse } from 'csv-parse/sync';
import type { AuditEventView } from '../../../src/audit/audit-export.js';
import { REDACTED } from '../../../src/audit/audit-json.js';
import { startTestApp, uniqueSlug, type TestApp } from '../../support/app.js';
import { AUDIT_TEST_PACK_ID, createAuditTestPack } from './audit-test-pack.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  app.running.app.get(PackRegistry).register(createAuditTestPack());
});

afterAll(async () => {
  await app?.close();
});

interface Fixture {
  readonly slug: string;
  readonly mcpKey: string;
  readonly viewerKey: string;
  readonly adminKey: string;
  readonly mcpKeyId: string;
}

async function fixture(): Promise<Fixture> {
  const slug = uniqueSlug('aud');
  await app.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  await app.tenancy.enablePack(slug, AUDIT_TEST_PACK_ID, { endpointSlug: 'default' });
  await app.tenancy.addMember(slug, `viewer@${slug}.example`, 'viewer');
  const mcp = await app.apiKeys.create(slug, { scopes: ['mcp'] });
  const viewer = await app.apiKeys.create(slug, { userEmail: `viewer@${slug}.example`, scopes: ['mcp'] });
  const admin = await app.apiKeys.create(slug, { scopes: ['admin'] });
  return { slug, mcpKey: mcp.key, viewerKey: viewer.key, adminKey: admin.key, mcpKeyId: mcp.view.id };
}

async function connect(f: Fixture, key: string): Promise<Client> {
  const client = new Client({ name: 'audit-jest', version: '7.1.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${app.url}/t/${f.slug}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

function api(f: Fixture, path: string, init: RequestInit = {}, key = f.adminKey): Promise<Response> {
  return fetch(`${app.url}/api/v1/tenants/${f.slug}/audit${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
  });
}

async function toolEvents(f: Fixture): Promise<AuditEventView[]> {
  const res = await api(f, '?action=tool.call&limit=100');
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: AuditEventView[] }).events.reverse();
}

describe('audit of tool calls in the running server', () => {
  it('records each tool call before the client gets its answer, with digest, outcome and latency', async () => {
    const f = await fixture();
    const client = await connect(f, f.mcpKey);
    try {
      const args = {
        query: 'acme',
        apiKey: 'sk-live-abcdefghijklmnopqrstuvwxyz',
        options: { password: 'p@ss', limit: 3 },
      };
      const result = await client.callTool({ name: 'lookup', arguments: args });
      expect(result.isError).toBeFalsy();
      // The answer is back, so the event must already be there (no waiting, no polling).
      const [first] = await toolEvents(f);
      expect(first).toMatchObject({
        kind: 'tool_call',
        action: 'tool.call',
        actor: { type: 'api_key', id: f.mcpKeyId },
        target: 'lookup',
        outcome: 'success',
      });
      expect(first!.data).toMatchObject({
        endpoint: { slug: 'default' },
        pack: AUDIT_TEST_PACK_ID,
        toolOutcome: 'ok',
        errorCode: null,
        principal: { kind: 'api_key', id: f.mcpKeyId, role: 'owner' },
        argsDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect(typeof first!.data.latencyMs).toBe('number');
      // Set when a span is active (the telemetry SDK), null otherwise; never anything else.
      expect(first!.data.traceId === null || /^[0-9a-f]{32}$/.test(String(first!.data.traceId))).toBe(true);
      expect(first!.data).not.toHaveProperty('args');
      expect(JSON.stringify(first)).not.toMatch(/p@ss|sk-live/);

      await client.callTool({ name: 'not_found', arguments: {} });
      await client.callTool({ name: 'explode', arguments: {} });
      const events = await toolEvents(f);
      expect(events.map((e) => [e.target, e.outcome, e.data.toolOutcome])).toEqual([
        ['lookup', 'success', 'ok'],
        ['not_found', 'failure', 'tool_error'],
        ['explode', 'error', 'failed'],
      ]);
      expect(events[2]!.data).toMatchObject({ errorCode: 'internal', correlationId: expect.any(String) });
    } finally {
      await client.close();
    }
  });

  it('records raw arguments, secrets redacted, once the tenant opts in', async () => {
    const f = await fixture();
    const put = await api(f, '/settings', {
      method: 'PUT',
      body: JSON.stringify({ recordRawArguments: true }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      recordRawArguments: true,
      retentionDays: 365,
      retentionIsDefault: true,
    });
    const client = await connect(f, f.mcpKey);
    try {
      await client.callTool({
        name: 'lookup',
        arguments: {
          query: 'acme',
          apiKey: 'sk-live-abcdefghijklmnopqrstuvwxyz',
          options: { password: 'p@ss', limit: 3 },
        },
      });
    } finally {
      await client.close();
    }
    const [event] = await toolEvents(f);
    expect(event!.data.args).toEqual({
      query: 'acme',
      apiKey: REDACTED,
      options: { password: REDACTED, limit: 3 },
    });
    const changes = await api(f, '?action=audit.settings.update');
    const [change] = ((await changes.json()) as { events: AuditEventView[] }).events;
    expect(change).toMatchObject({
      kind: 'admin',
      actor: { type: 'api_key' },
      data: { before: { recordRawArguments: false }, after: { recordRawArguments: true } },
    });
  });
});

describe('audit REST API', () => {
  it('needs an admin-scoped key of the same tenant; another tenant looks like a missing one', async () => {
    const f = await fixture();
    const other = await fixture();
    const none = await fetch(`${app.url}/api/v1/tenants/${f.slug}/audit`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await api(f, '', {}, other.adminKey)).status).toBe(404);
    expect((await api(f, '', {}, f.mcpKey)).status).toBe(403);
    expect(
      (
        await fetch(`${app.url}/api/v1/tenants/no-such-tenant/audit`, {
          headers: { Authorization: `Bearer ${f.adminKey}` },
        })
      ).status,
    ).toBe(404);
    expect((await api(f, '')).status).toBe(200);
  });

  it('answers bad filters with a structured 400', async () => {
    const f = await fixture();
    const res = await api(f, '?outcome=maybe&from=yesterday');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { issues: string[] } } };
    expect(body.error.code).toBe('invalid_argument');
    expect(body.error.details.issues.join(' ')).toMatch(/outcome/);
  });

  it('pages with a cursor, exports JSON Lines and CSV, and verifies', async () => {
    const f = await fixture();
    const client = await connect(f, f.mcpKey);
    try {
      for (let i = 0; i < 5; i++) await client.callTool({ name: 'lookup', arguments: { query: `q${i}` } });
    } finally {
      await client.close();
    }
    const page1 = (await (await api(f, '?tool=lookup&limit=3')).json()) as {
      events: AuditEventView[];
      nextCursor: string;
    };
    expect(page1.events).toHaveLength(3);
    const page2 = (await (await api(f, `?tool=lookup&limit=3&cursor=${page1.nextCursor}`)).json()) as {
      events: AuditEventView[];
      nextCursor: string | null;
    };
    expect(page2.events).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();

    const jsonl = await api(f, '/export?format=jsonl&kind=tool_call');
    expect(jsonl.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await jsonl.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEventView);
    expect(lines.map((e) => e.target)).toEqual(['lookup', 'lookup', 'lookup', 'lookup', 'lookup']);
    expect(lines.map((e) => e.seq)).toEqual([...page1.events, ...page2.events].map((e) => e.seq).reverse());

    const csv = await api(f, '/export?format=csv&kind=tool_call');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.hash)).toEqual(lines.map((e) => e.hash));

    // The export itself is on the log.
    const exports = (await (await api(f, '?action=audit.export')).json()) as { events: AuditEventView[] };
    expect(exports.events.map((e) => e.data.format)).toEqual(['csv', 'jsonl']);

    const verify = await api(f, '/verify');
    expect(await verify.json()).toMatchObject({ ok: true, break: null });
    expect((await api(f, '/export?format=xml')).status).toBe(400);
  });
});
