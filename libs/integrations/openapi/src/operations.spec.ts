import { describe, expect, it } from '@jest/globals';

import { parseDocument, toJsonSchema } from './document.js';
import { openApiConfigSchema } from './openapi.config.js';
import { extractOperations, toolNameFor } from './operations.js';

const doc = (paths: Record<string, unknown>, components: Record<string, unknown> = {}, openapi = '3.0.3') =>
  parseDocument(JSON.stringify({ openapi, info: { title: 't', version: '1' }, paths, components }));

describe('toolNameFor', () => {
  it.each([
    ['getPetById', 'get_pet_by_id'],
    ['listHTTPServers', 'list_http_servers'],
    ['pets.list', 'pets.list'],
    ['Delete Pet (v2)!', 'delete_pet_v2'],
    ['___', 'operation'],
    ['x'.repeat(80), 'x'.repeat(64)],
  ])('%s -> %s', (id, name) => {
    expect(toolNameFor(id)).toBe(name);
    expect(name).toMatch(/^[a-z0-9_.-]{1,64}$/);
  });
});

describe('parseDocument', () => {
  it('reads YAML and JSON, and refuses Swagger 2.0 and non-documents', () => {
    expect(parseDocument('openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n').openapi).toBe(
      '3.1.0',
    );
    expect(() => parseDocument('{"swagger":"2.0","paths":{}}')).toThrow('Swagger 2.0');
    expect(() => parseDocument('openapi: 4.0.0\npaths: {}')).toThrow('Only OpenAPI 3.0 and 3.1');
    expect(() => parseDocument('{ not json')).toThrow('not valid JSON or YAML');
    expect(() => parseDocument('- a\n- b')).toThrow('not an object');
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['openapi: 3.0.0', 'paths: {}', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(() => parseDocument(lines.join('\n'))).toThrow('not valid JSON or YAML');
  });
});

describe('toJsonSchema', () => {
  const components = {
    schemas: {
      Node: {
        type: 'object',
        properties: {
          value: { type: 'integer' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        },
      },
      Age: { type: 'integer', minimum: 0, exclusiveMinimum: true, nullable: true, example: 3 },
    },
  };

  it('inlines refs, keeps recursion finite and rewrites 3.0 keywords', () => {
    const d = doc({}, components);
    const node = toJsonSchema(d, { $ref: '#/components/schemas/Node' }, true);
    expect(node).toEqual({
      type: 'object',
      properties: {
        value: { type: 'integer' },
        children: { type: 'array', items: { description: '(recursive Node)' } },
      },
    });
    expect(toJsonSchema(d, { $ref: '#/components/schemas/Age' }, true)).toEqual({
      type: ['integer', 'null'],
      exclusiveMinimum: 0,
      examples: [3],
    });
  });

  it('refuses external and dangling refs', () => {
    const d = doc({}, components);
    expect(() => toJsonSchema(d, { $ref: 'http://169.254.169.254/schema.json' }, true)).toThrow(
      'External $ref',
    );
    expect(() => toJsonSchema(d, { $ref: '#/components/schemas/Missing' }, true)).toThrow(
      'Unresolvable $ref',
    );
  });
});

describe('extractOperations', () => {
  it('skips what it cannot call faithfully, and names operations without an id', () => {
    const d = doc({
      '/files/{id}': {
        put: {
          operationId: 'upload',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/octet-stream': {} } },
        },
        get: { parameters: [{ name: 'id', in: 'path', required: true }] },
        delete: {
          operationId: 'needsCookie',
          parameters: [
            { name: 'id', in: 'path' },
            { name: 's', in: 'cookie', required: true },
          ],
        },
      },
      '/broken/{x}': { get: { operationId: 'broken' } },
    });
    const { operations, skipped } = extractOperations(d, { max: 100 });
    expect(operations.map((o) => [o.operationId, o.toolName])).toEqual([['get_files_id', 'get_files_id']]);
    expect(skipped).toEqual([
      {
        operationId: 'upload',
        reason: 'takes a application/octet-stream request body; only JSON and form bodies are supported',
      },
      { operationId: 'needsCookie', reason: 'needs the cookie parameter "s"' },
      { operationId: 'broken', reason: 'has no parameter for the path variable "x"' },
    ]);
  });

  it('caps the number of operations and de-duplicates tool names', () => {
    const paths = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `/r${i}`,
        { get: { operationId: i % 2 ? 'getThing' : 'get_thing' } },
      ]),
    );
    const { operations, skipped } = extractOperations(doc(paths), { max: 3 });
    expect(operations.map((o) => o.toolName)).toEqual(['get_thing', 'get_thing_2', 'get_thing_3']);
    expect(skipped).toHaveLength(2);
  });

  it('renames a parameter that collides, and leaves out headers the platform owns', () => {
    const d = doc({
      '/items': {
        post: {
          operationId: 'add',
          parameters: [
            { name: 'body', in: 'query', schema: { type: 'string' } },
            { name: 'Authorization', in: 'header', schema: { type: 'string' } },
            { name: 'id', in: 'query', schema: { type: 'string' } },
            { name: 'id', in: 'header', schema: { type: 'string' } },
          ],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    });
    const [op] = extractOperations(d, { max: 10 }).operations;
    expect(op?.parameters.map((p) => [p.key, p.in, p.name])).toEqual([
      ['query_body', 'query', 'body'],
      ['id', 'query', 'id'],
      ['header_id', 'header', 'id'],
    ]);
    expect(Object.keys(op?.inputSchema.properties as object)).toEqual([
      'query_body',
      'id',
      'header_id',
      'body',
    ]);
  });
});

describe('openApiConfigSchema', () => {
  it('applies defaults and rejects unsafe or malformed settings', () => {
    expect(
      openApiConfigSchema.parse({ document: { url: 'https://api.example.com/openapi.yaml' } }),
    ).toMatchObject({
      auth: { kind: 'none' },
      timeoutMs: 30_000,
      maxResponseBytes: 262_144,
    });
    expect(openApiConfigSchema.safeParse({ document: { url: 'file:///etc/passwd' } }).success).toBe(false);
    expect(openApiConfigSchema.safeParse({ document: { url: 'https://u:p@api.example.com/' } }).success).toBe(
      false,
    );
    expect(
      openApiConfigSchema.safeParse({
        document: { text: '{}' },
        auth: { kind: 'apiKeyHeader', header: 'X Bad' },
      }).success,
    ).toBe(false);
    expect(
      openApiConfigSchema.safeParse({ document: { text: '{}' }, operations: Array(101).fill('op') }).success,
    ).toBe(false);
  });
});
