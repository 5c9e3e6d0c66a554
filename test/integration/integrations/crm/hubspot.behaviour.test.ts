/**
 * Upstream behaviour only a local server can provoke: HubSpot rate limiting and its headers, outages and
 * retries, malformed answers, OAuth token exchange and refresh, missing scopes, secrets echoed back, egress
 * refusal, size-capped pages, and the exact request shapes the pack sends.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  createHubSpotPack,
  HubSpotTokenCache,
  PRIVATE_APP_TOKEN_SECRET,
  RateLimitGate,
  REFRESH_TOKEN_SECRET,
  type HubSpotConfig,
} from '@switchboard/crm';
import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';
import type { PackSurface, ToolPack } from '@switchboard/integration-kit';

import { FakeHubSpot } from './hubspot-server/server.js';
import { callContext, callTool, ok, type LogLine } from './support.js';

const TOKEN = `pat-na1-${randomBytes(16).toString('hex')}`;
const RATE_LIMITED = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'TEN_SECONDLY_ROLLING',
};

let server: FakeHubSpot;
let http: GuardedHttpClient;
let clock = Date.now();
const waits: number[] = [];
const sleep = async (ms: number) => void waits.push(ms);
let pack: ToolPack<HubSpotConfig>;
let surface: PackSurface<HubSpotConfig>;
let logs: LogLine[] = [];

const ctx = (
  config: Record<string, unknown> = {},
  secrets: Record<string, string> = { [PRIVATE_APP_TOKEN_SECRET]: TOKEN },
) => callContext({ baseUrl: server.url, ...config }, secrets, logs);
const call = (name: string, args: Record<string, unknown>, c = ctx()) => callTool(surface, name, args, c);

beforeAll(async () => {
  server = await new FakeHubSpot().start();
  server.addToken(TOKEN);
  http = new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) });
  pack = createHubSpotPack({
    http,
    gate: new RateLimitGate(() => clock, sleep),
    tokens: new HubSpotTokenCache(() => clock),
    sleep,
    random: () => 0.5,
  });
  surface = await pack.surface(ctx());
});

afterAll(async () => {
  await http.close();
  await server.close();
});

beforeEach(() => {
  server.seen.length = 0;
  server.faults.length = 0;
  server.rateLimitRemaining = 99;
  waits.length = 0;
  logs = [];
});

describe('rate limits', () => {
  it('backs off a 429 for as long as Retry-After asks, then succeeds', async () => {
    server.inject({
      path: /\/search$/,
      times: 1,
      reply: { status: 429, headers: { 'retry-after': '1' }, body: RATE_LIMITED },
    });
    const found = ok(await call('crm_find_contacts', { query: 'nobody' }));
    expect(found.data.total).toBe(0);
    expect(server.requests('POST', /\/search$/)).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThan(1500);
  });

  it('retries a rejected create after a 429 (HubSpot did not process it) and creates it once', async () => {
    server.inject({
      method: 'POST',
      path: /\/objects\/companies$/,
      times: 1,
      reply: { status: 429, body: RATE_LIMITED },
    });
    const created = ok(await call('crm_create_company', { name: `Retry ${randomBytes(3).toString('hex')}` }));
    expect(server.requests('POST', /\/objects\/companies$/)).toHaveLength(2);
    expect(server.store.get('companies', (created.data.record as { id: string }).id)).toBeDefined();
    expect(waits).toHaveLength(1);
  });

  it('stops after a bounded number of retries with a message the model can relay', async () => {
    server.inject({
      path: /\/search$/,
      times: 10,
      reply: { status: 429, headers: { 'retry-after': '2' }, body: RATE_LIMITED },
    });
    const r = await call('crm_find_deals', { query: 'x' });
    expect(r.result.isError).toBe(true);
    expect(r.text).toContain('HubSpot is rate limiting this account (TEN_SECONDLY_ROLLING)');
    expect(server.requests('POST', /\/search$/)).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('does not retry once the daily limit is used up, and says when it resets', async () => {
    server.inject({
      path: /\/search$/,
      times: 5,
      reply: {
        status: 429,
        body: { ...RATE_LIMITED, message: 'You have reached your daily limit.', policyName: 'DAILY' },
      },
    });
    const r = await call('crm_find_companies', { query: 'x' });
    expect(r.text).toContain("HubSpot's daily API limit for this account is used up");
    expect(server.requests('POST', /\/search$/)).toHaveLength(1);
    expect(waits).toHaveLength(0);
  });

  it("pauses the next request when HubSpot's headers say the window is used up", async () => {
    // The state is per connection (HubSpot's limits are per account): both calls use the same one.
    const c = ctx();
    server.rateLimitRemaining = 0;
    ok(await call('crm_list_pipelines', {}, c));
    expect(waits).toEqual([]);
    server.rateLimitRemaining = 50;
    ok(await call('crm_list_pipelines', {}, c));
    expect(waits).toEqual([10_000]);
    // The window it waited for is over: the next call goes straight out.
    clock += 10_000;
    ok(await call('crm_list_pipelines', {}, c));
    expect(waits).toEqual([10_000]);
  });
});

describe('outages and malformed answers', () => {
  it('retries idempotent reads after a 5xx, but never a create', async () => {
    server.inject({
      path: /\/pipelines\/deals$/,
      times: 1,
      reply: { status: 503, body: '<html>Service Unavailable</html>' },
    });
    ok(await call('crm_list_pipelines', {}));
    expect(server.requests('GET', /\/pipelines\/deals$/)).toHaveLength(2);

    const before = server.store.objects.get('contacts')!.size;
    server.inject({
      method: 'POST',
      path: /\/objects\/contacts$/,
      times: 1,
      reply: { status: 502, body: '<html>Bad Gateway</html>' },
    });
    const r = await call('crm_create_contact', {
      email: `once.${randomBytes(3).toString('hex')}@example.com`,
    });
    expect(r.result.isError).toBe(true);
    expect(r.text).toBe('HubSpot had a problem answering (HTTP 502); try again later.');
    expect(server.requests('POST', /\/objects\/contacts$/)).toHaveLength(1);
    expect(server.store.objects.get('contacts')!.size).toBe(before);
  });

  it.each([
    ['an HTML page with status 200', { status: 200, body: '<html>maintenance</html>' }],
    ['JSON of the wrong shape', { status: 200, body: { total: 1, results: 'nope' } }],
    ['records without ids', { status: 200, body: { total: 1, results: [{ properties: {} }] } }],
    [
      'truncated JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"total": 1, "results": [' },
    ],
  ])('turns %s into a clear tool error', async (_what, reply) => {
    server.inject({ path: /\/search$/, times: 1, reply });
    const r = await call('crm_find_contacts', { query: 'x' });
    expect(r.result.isError).toBe(true);
    expect(r.text).toContain(
      'HubSpot answered the search with a response that does not follow its documented format',
    );
  });
});

describe('authentication and scopes', () => {
  it('names the missing scope, and still shows what it can of a record', async () => {
    const limited = `pat-na1-${randomBytes(16).toString('hex')}`;
    server.addToken(limited, [
      'crm.objects.contacts.read',
      'crm.objects.companies.read',
      'crm.objects.owners.read',
    ]);
    const c = ctx({}, { [PRIVATE_APP_TOKEN_SECRET]: limited });
    const deals = await call('crm_find_deals', { query: 'x' }, c);
    expect(deals.text).toContain("the connection's app is missing the scope crm.objects.deals.read");
    expect(deals.text).toContain('reconnect "Sales HubSpot"');

    const contact = server.store.create('contacts', {
      email: `scoped.${randomBytes(3).toString('hex')}@example.com`,
    });
    const email = server.store.create('emails', {
      hs_timestamp: new Date().toISOString(),
      hs_email_subject: 'Hi',
    });
    server.store.associate('emails', email.id, 'contacts', contact.id, 198);
    const detail = ok(await call('crm_get_record', { type: 'contact', id: contact.id }, c));
    expect((detail.data.notes as string[]).join(' ')).toContain('sales-email-read');
    expect(detail.text).toContain('Note: Emails not shown');

    const test = await pack.test!(c);
    expect(test.ok).toBe(false);
    expect(test.message).toContain('crm.objects.deals.read');
  });

  it('exchanges the OAuth refresh token once for concurrent calls and caches the access token until near expiry', async () => {
    const secrets = {
      [CLIENT_ID_SECRET]: server.oauth.clientId,
      [CLIENT_SECRET_SECRET]: server.oauth.clientSecret,
      [REFRESH_TOKEN_SECRET]: server.oauth.refreshToken,
    };
    const c = ctx({ auth: 'oauth' }, secrets);
    await Promise.all([1, 2, 3].map(() => call('crm_list_pipelines', {}, c).then(ok)));
    const tokenRequests = server.requests('POST', /^\/oauth\/v1\/token$/);
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      client_id: server.oauth.clientId,
      client_secret: server.oauth.clientSecret,
      refresh_token: server.oauth.refreshToken,
    });
    const issued = server.oauth.issued.at(-1)!;
    expect(
      server
        .requests('GET', /\/pipelines\/deals$/)
        .every((r) => r.headers.authorization === `Bearer ${issued}`),
    ).toBe(true);

    clock += (server.oauth.expiresIn - 120) * 1000;
    ok(await call('crm_list_pipelines', {}, c));
    expect(server.requests('POST', /^\/oauth\/v1\/token$/)).toHaveLength(1);
    clock += 90 * 1000;
    ok(await call('crm_list_pipelines', {}, c));
    expect(server.requests('POST', /^\/oauth\/v1\/token$/)).toHaveLength(2);

    // A token revoked before its stated expiry: one 401, one new token, the call succeeds.
    server.tokens.delete(server.oauth.issued.at(-1)!);
    ok(await call('crm_list_pipelines', {}, c));
    expect(server.requests('POST', /^\/oauth\/v1\/token$/)).toHaveLength(3);
    expect(JSON.stringify(logs)).not.toContain(server.oauth.clientSecret);
  });

  it('tells the admin to reconnect when HubSpot refuses the refresh token, without showing any secret', async () => {
    const wrong = `refresh-${randomBytes(12).toString('hex')}`;
    const c = ctx(
      { auth: 'oauth' },
      {
        [CLIENT_ID_SECRET]: server.oauth.clientId,
        [CLIENT_SECRET_SECRET]: server.oauth.clientSecret,
        [REFRESH_TOKEN_SECRET]: wrong,
      },
    );
    const r = await call('crm_find_contacts', { query: 'x' }, c);
    expect(r.result.isError).toBe(true);
    expect(r.text).toContain('HubSpot refused to issue an access token (HTTP 400, BAD_REFRESH_TOKEN');
    expect(r.text).toContain('must reconnect the HubSpot connection "Sales HubSpot"');
    const shown = JSON.stringify([r.result, logs]);
    expect(shown).not.toContain(wrong);
    expect(shown).not.toContain(server.oauth.clientSecret);
  });

  it('asks for the missing secret by name', async () => {
    const r = await call('crm_find_contacts', { query: 'x' }, ctx({}, {}));
    expect(r.text).toBe(
      'The HubSpot connection "Sales HubSpot" uses private app authentication but has no "private_app_token" secret; an admin must add it.',
    );
  });

  it('scrubs the token from an upstream message that echoes it', async () => {
    server.inject({
      path: /\/search$/,
      times: 1,
      reply: (req) => ({
        status: 400,
        body: {
          status: 'error',
          message: `bad header ${String(req.headers.authorization)}`,
          category: 'VALIDATION_ERROR',
        },
      }),
    });
    const r = await call('crm_find_contacts', { query: 'x' });
    expect(r.text).toContain('bad header Bearer [redacted]');
    expect(JSON.stringify([r.result, logs])).not.toContain(TOKEN);
  });
});

describe('egress', () => {
  it('refuses a loopback base URL unless the operator allow-listed it', async () => {
    const strict = new GuardedHttpClient();
    try {
      const strictPack = createHubSpotPack({
        http: strict,
        gate: new RateLimitGate(),
        tokens: new HubSpotTokenCache(),
      });
      const s = await strictPack.surface(ctx());
      const r = await callTool(s, 'crm_list_pipelines', {}, ctx());
      expect(r.text).toContain("The platform's egress policy does not allow reaching HubSpot here");
      expect(server.seen).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});

describe('requests and pages', () => {
  it('sends searches in the documented shape: filters, stage ids for names, dates as milliseconds, one sort', async () => {
    ok(
      await call('crm_find_deals', {
        stage: 'Contract Sent',
        filters: [
          {
            property: 'closedate',
            operator: 'between',
            value: '2024-07-01',
            high_value: '2024-07-31T23:59:59Z',
          },
        ],
        limit: 5,
      }),
    );
    const search = server.requests('POST', /\/objects\/deals\/search$/)[0]!;
    expect(search.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(search.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(search.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'closedate',
              operator: 'BETWEEN',
              value: String(Date.parse('2024-07-01T00:00:00Z')),
              highValue: String(Date.parse('2024-07-31T23:59:59Z')),
            },
            // "Contract Sent" is a stage of both pipelines: both ids are searched.
            { propertyName: 'dealstage', operator: 'IN', values: ['contractsent', '16284202'] },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
      limit: 5,
    });
  });

  it('refuses a cursor it did not issue', async () => {
    const r = await call('crm_find_contacts', { query: 'x', cursor: 'c1.bm9wZQ' });
    expect(r.text).toBe('The cursor is not one this tool returned; start again without a cursor.');
  });

  it('cuts a page that would be too large and resumes exactly where it stopped', async () => {
    const tag = `big${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 120; i++) {
      server.store.create('contacts', {
        lastname: tag,
        firstname: `P${i}`,
        jobtitle: 'x'.repeat(480),
        company: 'y'.repeat(480),
      });
    }
    const ids: string[] = [];
    let cursor: unknown;
    let pages = 0;
    do {
      const page = ok(
        await call('crm_find_contacts', { query: tag, limit: 100, ...(cursor ? { cursor } : {}) }),
      );
      const records = page.data.records as { id: string }[];
      expect(JSON.stringify(page.data).length).toBeLessThan(70_000);
      ids.push(...records.map((r) => r.id));
      cursor = page.data.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
  });
});
