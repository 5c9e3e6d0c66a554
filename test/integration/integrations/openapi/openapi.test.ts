import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { EgressPolicy, GuardedHttpClient, systemResolver } from '@switchboard/http-client';
import type { CallContext, PackSurface, ToolPack } from '@switchboard/integration-kit';

import { createOpenApiPack, OAuthTokenCache, type OpenApiConfig } from '@switchboard/openapi';
import { petstoreDocument, startPetstore, type Petstore } from './petstore.js';

function context(config: unknown, secrets: Record<string, string> = {}): CallContext<OpenApiConfig> {
  const noop = () => undefined;
  return {
    tenant: { id: 'tenant-openapi-tests', slug: 'openapi-tests' },
    connectionId: `conn-${randomBytes(4).toString('hex')}`,
    connectionName: 'Petstore',
    config: config as OpenApiConfig,
    secrets: {
      get: async (name) => {
        const value = secrets[name];
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      has: async (name) => secrets[name] !== undefined,
    },
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    principal: {
      kind: 'api_key',
      id: 'k1',
      tenantId: 'tenant-openapi-tests',
      userId: null,
      role: 'admin',
      scopes: [],
    },
    signal: new AbortController().signal,
    progress: async () => undefined,
    protocol: {} as ServerContext,
  };
}

async function call(
  surface: PackSurface<OpenApiConfig>,
  name: string,
  args: Record<string, unknown>,
  ctx: CallContext<OpenApiConfig>,
): Promise<{ result: CallToolResult; text: string; data: Record<string, unknown> }> {
  const tool = surface.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${surface.tools.map((t) => t.name).join(', ')}`);
  const result = (await tool.handler(args, ctx)) as CallToolResult;
  const first = result.content[0];
  return {
    result,
    text: first?.type === 'text' ? first.text : '',
    data: (result.structuredContent ?? {}) as Record<string, unknown>,
  };
}

let api: Petstore;
/** The operator allow-listed exactly the test server's address, nothing else. */
let http: GuardedHttpClient;
/** No allow-list at all: what a default installation does. */
let strictHttp: GuardedHttpClient;
let pack: ToolPack<OpenApiConfig>;

beforeAll(async () => {
  api = await startPetstore();
  http = new GuardedHttpClient({ policy: EgressPolicy.fromList(['127.0.0.1']) });
  strictHttp = new GuardedHttpClient({
    policy: new EgressPolicy({
      // A public-looking name whose DNS answer is loopback (a rebinding-style trick).
      resolver: async (host) =>
        host === 'api.rebind.example' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(host),
    }),
  });
  pack = createOpenApiPack({ http });
});

afterAll(async () => {
  await Promise.all([http.close(), strictHttp.close(), api.close()]);
});

beforeEach(() => {
  api.seen.length = 0;
  api.tokenRequests.length = 0;
  api.revokeOld = false;
});

const inline = (extra: Record<string, unknown> = {}) => ({
  document: { text: JSON.stringify(petstoreDocument(api.url)) },
  ...extra,
});

describe('openapi pack: operations as tools', () => {
  it('turns each operation into a tool with a derived schema, annotations and permission', async () => {
    const ctx = context(inline());
    const surface = await pack.surface(ctx);
    expect(surface.tools.map((t) => t.name)).toEqual([
      'list_pets',
      'create_pet',
      'get_pet_by_id',
      'update_pet',
      'delete_pet',
      'who_am_i',
      'big_report',
      'broken_report',
      'follow_me',
    ]);
    const byName = Object.fromEntries(surface.tools.map((t) => [t.name, t]));
    expect(byName.list_pets?.annotations).toEqual({
      title: 'List pets',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(byName.list_pets?.permission).toBe('read');
    expect(byName.delete_pet?.annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: true,
      readOnlyHint: false,
    });
    expect(byName.delete_pet?.permission).toBe('write');
    expect(byName.create_pet?.annotations).toMatchObject({ idempotentHint: false, readOnlyHint: false });
    expect(byName.update_pet?.annotations).toMatchObject({ idempotentHint: true });
    expect(byName.list_pets?.description).toContain('Pets in the store, newest first.');
    expect(byName.list_pets?.description).toContain('GET /pets on Petstore');

    const schema = byName.create_pet?.inputSchema['~standard'].jsonSchema.input({ target: 'draft-07' }) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(schema.required).toEqual(['body']);
    const body = schema.properties.body as { properties: Record<string, unknown>; required: string[] };
    // The read-only id is not something a caller sends; the $refs are inlined; nullable became a type list.
    expect(Object.keys(body.properties)).toEqual(['name', 'kind', 'tag', 'owner']);
    expect(body.properties.tag).toEqual({ type: ['string', 'null'] });
    expect(JSON.stringify(schema)).not.toContain('$ref');
    const getSchema = byName.get_pet_by_id?.inputSchema['~standard'].jsonSchema.input({ target: 'draft-07' });
    expect(getSchema).toMatchObject({
      properties: { petId: { type: 'integer', minimum: 1 } },
      required: ['petId'],
      additionalProperties: false,
    });
  });

  it('calls every operation against the base URL from the document', async () => {
    const ctx = context(inline());
    const surface = await pack.surface(ctx);

    const list = await call(
      surface,
      'list_pets',
      { limit: 5, tag: ['a', 'b'], 'X-Request-Id': '0b9c1f0e-3a59-4f4b-9a55-8f4d25a2c0de' },
      ctx,
    );
    expect(list.result.isError).toBeUndefined();
    expect(list.data).toEqual({
      items: [{ id: 1, name: 'Rex', kind: 'dog', tag: null }],
      tags: ['a', 'b'],
      requestId: '0b9c1f0e-3a59-4f4b-9a55-8f4d25a2c0de',
    });
    expect(api.seen[0]?.url).toBe('/v1/pets?limit=5&tag=a&tag=b');

    const created = await call(surface, 'create_pet', { body: { name: 'Tom', kind: 'cat', tag: null } }, ctx);
    expect(created.data).toEqual({ name: 'Tom', kind: 'cat', tag: null, id: 2 });
    expect(api.seen[1]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(api.seen[1]?.body ?? '')).toEqual({ name: 'Tom', kind: 'cat', tag: null });

    const got = await call(surface, 'get_pet_by_id', { petId: 2 }, ctx);
    expect(got.data).toMatchObject({ id: 2, name: 'Tom' });
    expect(JSON.parse(got.text)).toEqual(got.data);

    const updated = await call(
      surface,
      'update_pet',
      { petId: 2, body: { name: 'Tom II', kind: 'cat' } },
      ctx,
    );
    expect(updated.data).toEqual({ name: 'Tom II', kind: 'cat', id: 2 });
    expect(api.seen[3]?.method).toBe('PUT');

    const deleted = await call(surface, 'delete_pet', { petId: 2 }, ctx);
    expect(deleted.result.isError).toBeUndefined();
    expect(deleted.text).toBe('HTTP 204 from DELETE /pets/{petId}, with an empty body.');
    expect(api.seen[4]).toMatchObject({ method: 'DELETE', url: '/v1/pets/2' });
  });

  it('exposes only the chosen operations, and refuses an unknown one', async () => {
    const surface = await pack.surface(context(inline({ operations: ['getPetById', 'listPets'] })));
    expect(surface.tools.map((t) => t.name)).toEqual(['list_pets', 'get_pet_by_id']);
    await expect(pack.surface(context(inline({ operations: ['getPetById', 'nope'] })))).rejects.toThrow(
      'The document has no operation "nope".',
    );
  });

  it('fetches the document by URL and honours a base URL override', async () => {
    const surface = await pack.surface(context({ document: { url: `${api.url}/openapi.json` } }));
    expect(surface.tools).toHaveLength(9);
    const ctx = context({ document: { url: `${api.url}/openapi.json` }, baseUrl: `${api.url}/v1/` });
    const overridden = await pack.surface(ctx);
    await call(overridden, 'get_pet_by_id', { petId: 1 }, ctx);
    expect(api.seen.at(-1)?.url).toBe('/v1/pets/1');
  });
});

describe('openapi pack: arguments are checked before any request', () => {
  it.each([
    ['get_pet_by_id', {}, 'petId'],
    ['get_pet_by_id', { petId: 'abc' }, 'integer'],
    ['get_pet_by_id', { petId: 0 }, '>= 1'],
    ['list_pets', { limit: 500 }, '<= 50'],
    ['list_pets', { unknown: 1 }, 'additional'],
    ['create_pet', { body: { name: 'x' } }, 'kind'],
    ['create_pet', { body: { name: 'x', kind: 'lizard' } }, 'allowed values'],
    ['update_pet', { petId: 1 }, 'body'],
  ])('%s rejects %j', async (tool, args, fragment) => {
    const ctx = context(inline());
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, tool, args, ctx);
    expect(result.isError).toBe(true);
    expect(text).toMatch(/^Invalid arguments: /);
    expect(text.toLowerCase()).toContain(fragment.toLowerCase());
    expect(api.seen).toHaveLength(0);
  });
});

describe('openapi pack: authentication', () => {
  it('sends a bearer token, an API key header, or HTTP Basic from the secrets', async () => {
    const cases: [
      OpenApiConfig['auth'] | { kind: string; header?: string },
      Record<string, string>,
      object,
    ][] = [
      [{ kind: 'bearer' }, { token: 's3cr3t-token' }, { authorization: 'Bearer s3cr3t-token', apiKey: null }],
      [
        { kind: 'apiKeyHeader', header: 'X-API-Key' },
        { api_key: 'k-123' },
        { authorization: null, apiKey: 'k-123' },
      ],
      [
        { kind: 'basic' },
        { username: 'ann', password: 'p:w' },
        { authorization: `Basic ${Buffer.from('ann:p:w').toString('base64')}`, apiKey: null },
      ],
    ];
    for (const [auth, secrets, expected] of cases) {
      const ctx = context(inline({ auth, operations: ['whoAmI'] }), secrets);
      const surface = await pack.surface(ctx);
      expect((await call(surface, 'who_am_i', {}, ctx)).data).toEqual(expected);
    }
  });

  it('names a missing secret without sending anything', async () => {
    const ctx = context(inline({ auth: { kind: 'bearer' }, operations: ['whoAmI'] }));
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'who_am_i', {}, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe('The connection uses bearer authentication but has no "token" secret.');
    expect(api.seen).toHaveLength(0);
  });

  it('gets an OAuth client-credentials token, caches it until expiry, and replaces a revoked one', async () => {
    let now = 1_000_000;
    const oauthPack = createOpenApiPack({ http, tokens: new OAuthTokenCache(http, () => now) });
    const auth = {
      kind: 'oauth2ClientCredentials',
      tokenUrl: `${api.url}/oauth/token`,
      scopes: ['pets:read', 'pets:write'],
    };
    const ctx = context(inline({ auth, operations: ['whoAmI'] }), {
      client_id: 'svc-client',
      client_secret: 'svc-secret',
    });
    const surface = await oauthPack.surface(ctx);
    const issuedBefore = api.issued.length;

    const first = await call(surface, 'who_am_i', {}, ctx);
    const second = await call(surface, 'who_am_i', {}, ctx);
    expect(first.data.authorization).toBe(`Bearer tok-${issuedBefore + 1}`);
    expect(second.data.authorization).toBe(first.data.authorization);
    expect(api.tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(api.tokenRequests[0]?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'pets:read pets:write',
    });

    // 3600 s later (minus the safety margin) the cached token is stale.
    now += 3_600_000;
    expect((await call(surface, 'who_am_i', {}, ctx)).data.authorization).toBe(
      `Bearer tok-${issuedBefore + 2}`,
    );
    expect(api.tokenRequests).toHaveLength(2);

    // The API revokes tokens early: the next call gets a 401, fetches a new token once and succeeds.
    api.issued.push('tok-rotated-elsewhere');
    api.revokeOld = true;
    const afterRevoke = await call(surface, 'who_am_i', {}, ctx);
    expect(afterRevoke.result.isError).toBeUndefined();
    expect(api.tokenRequests).toHaveLength(3);
  });

  it('shares one token request between concurrent calls', async () => {
    const oauthPack = createOpenApiPack({ http });
    const auth = { kind: 'oauth2ClientCredentials', tokenUrl: `${api.url}/oauth/token`, clientAuth: 'basic' };
    const ctx = context(inline({ auth, operations: ['whoAmI'] }), {
      client_id: 'svc-client',
      client_secret: 'svc-secret',
    });
    const surface = await oauthPack.surface(ctx);
    const results = await Promise.all([1, 2, 3, 4].map(() => call(surface, 'who_am_i', {}, ctx)));
    expect(new Set(results.map((r) => r.data.authorization)).size).toBe(1);
    expect(api.tokenRequests).toHaveLength(1);
    expect(api.seen).toHaveLength(4);
  });

  it('turns a refused client credential into a tool error without the secret', async () => {
    const auth = { kind: 'oauth2ClientCredentials', tokenUrl: `${api.url}/oauth/token` };
    const ctx = context(inline({ auth, operations: ['whoAmI'] }), {
      client_id: 'svc-client',
      client_secret: 'wrong-secret',
    });
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'who_am_i', {}, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe(
      'The OAuth token endpoint refused the client credentials (HTTP 401, invalid_client: Client authentication failed).',
    );
    expect(text).not.toContain('wrong-secret');
    expect(api.seen).toHaveLength(0);
  });
});

describe('openapi pack: responses', () => {
  it('maps non-2xx to a tool error with the status and a short body', async () => {
    const ctx = context(inline());
    const surface = await pack.surface(ctx);
    const missing = await call(surface, 'get_pet_by_id', { petId: 999 }, ctx);
    expect(missing.result.isError).toBe(true);
    expect(missing.text).toBe(
      'The API answered HTTP 404 to GET /pets/{petId}: {"error":"not_found","message":"No pet 999"}',
    );
    const broken = await call(surface, 'broken_report', {}, ctx);
    expect(broken.result.isError).toBe(true);
    expect(
      broken.text.startsWith('The API answered HTTP 503 to GET /reports/broken: Service unavailable: xxx'),
    ).toBe(true);
    expect(broken.text.length).toBeLessThan(600);
  });

  it('cuts an oversize response and says so', async () => {
    const ctx = context(inline({ maxResponseBytes: 2048 }));
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'big_report', {}, ctx);
    expect(result.isError).toBeUndefined();
    expect(text).toContain('[Response truncated: only the first 2048 bytes were kept.]');
    expect(text.length).toBeLessThan(2048 + 100);
  });
});

describe('openapi pack: SSRF', () => {
  it('refuses a base URL on a private address that is not allow-listed', async () => {
    const ctx = context(inline({ baseUrl: 'http://10.0.0.7:8080/v1' }));
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'get_pet_by_id', { petId: 1 }, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe('Refused to connect to 10.0.0.7: it is a private address.');
  });

  it('refuses loopback without an allow-list, including a name that resolves to loopback', async () => {
    const strictPack = createOpenApiPack({ http: strictHttp });
    const port = new URL(api.url).port;
    await expect(
      strictPack.surface(context({ document: { url: `http://api.rebind.example:${port}/openapi.json` } })),
    ).rejects.toThrow(
      'Could not fetch the OpenAPI document: Refused to connect to api.rebind.example: it resolves to 127.0.0.1, a loopback address.',
    );
    const ctx = context(inline());
    const surface = await strictPack.surface(ctx);
    const { result, text } = await call(surface, 'get_pet_by_id', { petId: 1 }, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe('Refused to connect to 127.0.0.1: it is a loopback address.');
    expect(api.seen).toHaveLength(0);
  });

  it('refuses redirects to the metadata address, for calls and for the document', async () => {
    const ctx = context(inline());
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'follow_me', {}, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe('Refused to connect to 169.254.169.254: it is a cloud metadata address.');
    await expect(pack.surface(context({ document: { url: `${api.url}/openapi-redirect` } }))).rejects.toThrow(
      'Refused to connect to 169.254.169.254: it is a cloud metadata address.',
    );
  });

  it('keeps path arguments inside the operation path', async () => {
    const doc = petstoreDocument(api.url);
    doc.components.parameters.PetId.schema = { type: 'string' } as never;
    const ctx = context({ document: { text: JSON.stringify(doc) } });
    const surface = await pack.surface(ctx);
    const { result, text } = await call(surface, 'get_pet_by_id', { petId: '..' }, ctx);
    expect(result.isError).toBe(true);
    expect(text).toBe('".." is not a valid path segment value.');
    await call(surface, 'get_pet_by_id', { petId: '../whoami' }, ctx);
    expect(api.seen.at(-1)?.url).toBe('/v1/pets/..%2Fwhoami');
  });
});
