import { describe, expect, it } from '@jest/globals';
import {
  buildValue,
  compileSchema,
  initialDraft,
  variantDraft,
  type Draft,
  type FieldNode,
} from './schema-form';

// Shapes as zod's JSON Schema output gives them for the packs on offer.
const jira = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    siteUrl: { type: 'string', maxLength: 2048, format: 'uri', description: 'The Jira Cloud site' },
    auth: { default: 'basic', type: 'string', enum: ['basic', 'oauth'] },
    defaultProject: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,49}$' },
    timeoutMs: { default: 30000, type: 'integer', minimum: 1000, maximum: 120000 },
  },
  required: ['siteUrl'],
  additionalProperties: false,
};

const upstream = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri' },
    tools: { type: 'array', maxItems: 3, items: { type: 'string', minLength: 1 } },
    resources: { default: true, type: 'boolean' },
    auth: {
      default: { kind: 'none' },
      oneOf: [
        { type: 'object', properties: { kind: { type: 'string', const: 'none' } }, required: ['kind'] },
        {
          type: 'object',
          description: 'Sends the token secret.',
          properties: { kind: { type: 'string', const: 'bearer' } },
          required: ['kind'],
        },
        {
          type: 'object',
          properties: {
            kind: { type: 'string', const: 'apiKeyHeader' },
            header: { type: 'string', minLength: 1 },
          },
          required: ['kind', 'header'],
        },
      ],
    },
  },
  required: ['url'],
};

function fields(node: FieldNode): Record<string, FieldNode> {
  if (node.kind !== 'object') throw new Error(`not an object: ${node.kind}`);
  return Object.fromEntries(node.fields.map((f) => [f.key, f]));
}

function withValues(node: FieldNode, values: Record<string, Draft>): Draft {
  return { ...(initialDraft(node) as Record<string, Draft>), ...values };
}

describe('compileSchema', () => {
  it('turns properties into labelled fields of the right kind, with required marks and defaults', () => {
    const f = fields(compileSchema(jira));
    expect(f.siteUrl).toMatchObject({ kind: 'text', label: 'Site URL', format: 'uri', required: true });
    expect(f.auth).toMatchObject({
      kind: 'enum',
      options: ['basic', 'oauth'],
      default: 'basic',
      required: false,
    });
    expect(f.timeoutMs).toMatchObject({
      kind: 'number',
      integer: true,
      label: 'Timeout (ms)',
      minimum: 1000,
    });
    expect(f.defaultProject).toMatchObject({ kind: 'text', pattern: '^[A-Za-z][A-Za-z0-9_]{0,49}$' });
  });

  it('reads a oneOf of objects as a choice named by its constant property', () => {
    const auth = fields(compileSchema(upstream)).auth!;
    expect(auth.kind).toBe('choice');
    if (auth.kind !== 'choice') return;
    expect(auth.discriminator).toBe('kind');
    expect(auth.variants.map((v) => v.label)).toEqual(['None', 'Bearer', 'API key header']);
    expect(auth.variants[1]!.description).toBe('Sends the token secret.');
    expect(auth.defaultVariant).toBe(0);
  });

  it('reads a variant without a constant by what it requires, and unknown shapes as JSON', () => {
    const doc = compileSchema({
      type: 'object',
      properties: {
        document: {
          anyOf: [
            { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
            { type: 'object', properties: { url: { type: 'string', format: 'uri' } }, required: ['url'] },
          ],
        },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        optionalName: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    });
    const f = fields(doc);
    expect(f.document!.kind === 'choice' && f.document!.variants.map((v) => v.label)).toEqual([
      'Text',
      'URL',
    ]);
    expect(f.headers!.kind).toBe('json');
    expect(f.optionalName!.kind).toBe('text');
  });
});

describe('buildValue', () => {
  it('sends what was typed, converted, and leaves empty optional fields out', () => {
    const node = compileSchema(jira);
    const draft = withValues(node, { siteUrl: ' https://acme.atlassian.net ', timeoutMs: '5000' });
    expect(buildValue(node, draft)).toEqual({
      value: { siteUrl: 'https://acme.atlassian.net', auth: 'basic', timeoutMs: 5000 },
      errors: {},
    });
  });

  it('names each wrong field by the path the API uses', () => {
    const node = compileSchema(jira);
    const draft = withValues(node, { siteUrl: 'acme', defaultProject: '1abc', timeoutMs: '12.5' });
    expect(buildValue(node, draft).errors).toEqual({
      siteUrl: 'Enter a full URL, e.g. https://example.com.',
      defaultProject: 'This value is not in the expected form.',
      timeoutMs: 'Enter a whole number.',
    });
    expect(buildValue(node, withValues(node, { timeoutMs: '10' })).errors).toEqual({
      siteUrl: 'Required.',
      timeoutMs: 'At least 1000.',
    });
  });

  it('builds the chosen variant with its constant, and lists from lines or commas', () => {
    const node = compileSchema(upstream);
    const auth = fields(node).auth!;
    if (auth.kind !== 'choice') throw new Error('choice expected');
    const draft = withValues(node, {
      url: 'https://mcp.example.com/mcp',
      tools: 'search\nfetch, list',
      auth: { variant: 2, value: { kind: null, header: 'X-Api-Key' } },
    });
    expect(buildValue(node, draft).value).toEqual({
      url: 'https://mcp.example.com/mcp',
      tools: ['search', 'fetch', 'list'],
      resources: true,
      auth: { kind: 'apiKeyHeader', header: 'X-Api-Key' },
    });
    const tooMany = withValues(node, { url: 'https://x.example', tools: 'a\nb\nc\nd' });
    expect(buildValue(node, tooMany).errors).toEqual({ tools: 'At most 3.' });
    expect(variantDraft(auth, 1)).toEqual({ variant: 1, value: { kind: null } });
  });

  it('round-trips an existing config through the form unchanged', () => {
    const node = compileSchema(upstream);
    const config = {
      url: 'https://mcp.example.com/mcp',
      tools: ['a', 'b'],
      resources: false,
      auth: { kind: 'apiKeyHeader', header: 'X-Key' },
    };
    expect(buildValue(node, initialDraft(node, config))).toEqual({ value: config, errors: {} });
  });

  it('parses free-form JSON fields and reports JSON it cannot read', () => {
    const node = compileSchema({
      type: 'object',
      properties: { headers: { type: 'object', additionalProperties: { type: 'string' } } },
    });
    expect(buildValue(node, { headers: '{"X-A": "1"}' }).value).toEqual({ headers: { 'X-A': '1' } });
    expect(buildValue(node, { headers: '{oops' }).errors).toEqual({ headers: 'This is not valid JSON.' });
  });
});
