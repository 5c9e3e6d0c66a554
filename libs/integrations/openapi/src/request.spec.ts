import { describe, expect, it } from '@jest/globals';
import type { HttpResponse } from '@switchboard/http-client';

import type { OperationSpec } from './operations.js';
import { buildRequest, renderResponse } from './request.js';

const spec: OperationSpec = {
  operationId: 'search',
  toolName: 'search',
  method: 'POST',
  path: '/orgs/{org}/search',
  summary: '',
  description: '',
  deprecated: false,
  parameters: [
    { key: 'org', name: 'org', in: 'path', required: true, explode: false },
    { key: 'tags', name: 'tags', in: 'query', required: false, explode: false },
    { key: 'ids', name: 'id', in: 'query', required: false, explode: true },
    { key: 'trace', name: 'X-Trace', in: 'header', required: false, explode: false },
  ],
  body: { mediaType: 'application/x-www-form-urlencoded', required: true },
  inputSchema: { type: 'object' },
};

function response(status: number, type: string, body: string, truncated = false): HttpResponse {
  const buf = Buffer.from(body);
  return {
    status,
    headers: { 'content-type': type },
    body: buf,
    truncated,
    url: 'https://api.example.com/x',
    redirects: [],
    text: () => body,
    json: () => JSON.parse(body) as unknown,
  };
}

describe('buildRequest', () => {
  it('serialises path, query, header and form arguments', () => {
    const built = buildRequest(spec, 'https://api.example.com/v2/', {
      org: 'a b/c',
      tags: ['x', 'y'],
      ids: [1, 2],
      trace: 't-1',
      body: { q: 'cats & dogs', page: 2 },
    });
    expect(built.url).toBe('https://api.example.com/v2/orgs/a%20b%2Fc/search?tags=x%2Cy&id=1&id=2');
    expect(built.headers).toMatchObject({
      'x-trace': 't-1',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(built.body).toBe('q=cats+%26+dogs&page=2');
  });

  it('refuses dot segments and header injection', () => {
    expect(() => buildRequest(spec, 'https://a.example', { org: '..' })).toThrow('not a valid path segment');
    expect(() => buildRequest(spec, 'https://a.example', { org: 'o', trace: 'a\r\nX-Evil: 1' })).toThrow(
      'line breaks',
    );
  });
});

describe('renderResponse', () => {
  const get = { ...spec, method: 'GET' as const, path: '/things' };

  it('returns JSON objects as structured content with their text', () => {
    const result = renderResponse(get, response(200, 'application/json; charset=utf-8', '{"a":1}'), 1024);
    expect(result).toEqual({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } });
    expect(renderResponse(get, response(200, 'application/json', '[1,2]'), 1024)).toEqual({
      content: [{ type: 'text', text: '[1,2]' }],
    });
  });

  it('states truncation, describes binary bodies and maps errors', () => {
    const cut = renderResponse(get, response(200, 'application/json', '{"a":[1,2,', true), 10);
    expect(cut.structuredContent).toBeUndefined();
    expect(cut.content[0]).toEqual({
      type: 'text',
      text: '{"a":[1,2,\n\n[Response truncated: only the first 10 bytes were kept.]',
    });
    expect(renderResponse(get, response(200, 'image/png', 'PNG...'), 1024).content[0]).toEqual({
      type: 'text',
      text: 'HTTP 200 from GET /things: a binary image/png body of 6 bytes, not shown.',
    });
    const error = renderResponse(get, response(500, 'text/html', `<h1>Oops</h1>\n${'y'.repeat(2000)}`), 4096);
    expect(error.isError).toBe(true);
    expect(error.content[0]?.type === 'text' && error.content[0].text.length).toBeLessThan(560);
  });
});
