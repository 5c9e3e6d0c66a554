import { PassThrough } from 'node:stream';

import { describe, expect, it, jest } from '@jest/globals';
import type { Request, Response } from 'express';

import { isHostAllowed, isOriginAllowed, mcpBodyParser } from './mcp-http.js';

describe('isHostAllowed', () => {
  const allowed = ['localhost', 'mcp.example.com:443', '[::1]'];
  it.each([
    ['localhost', true],
    ['localhost:3000', true],
    ['LOCALHOST:1', true],
    ['mcp.example.com:443', true],
    ['mcp.example.com', false],
    ['[::1]:8080', true],
    ['evil.example', false],
    [undefined, false],
  ])('%s → %s', (host, expected) => {
    expect(isHostAllowed(host, allowed)).toBe(expected);
  });
});

describe('isOriginAllowed', () => {
  it('accepts requests without Origin', () => {
    expect(isOriginAllowed(undefined, 'x', null)).toBe(true);
  });
  it('with no list, only the same origin', () => {
    expect(isOriginAllowed('http://localhost:3000', 'localhost:3000', null)).toBe(true);
    expect(isOriginAllowed('http://evil.example', 'localhost:3000', null)).toBe(false);
    expect(isOriginAllowed('null', 'localhost:3000', null)).toBe(false);
  });
  it('with a list, only listed origins', () => {
    expect(isOriginAllowed('https://claude.ai', 'mcp.example.com', ['https://claude.ai'])).toBe(true);
    expect(isOriginAllowed('https://mcp.example.com', 'mcp.example.com', ['https://claude.ai'])).toBe(false);
  });
});

function fakeReq(body: string, headers: Record<string, string>): Request {
  const stream = new PassThrough();
  Object.assign(stream, { method: 'POST', headers });
  queueMicrotask(() => stream.end(body));
  return stream as unknown as Request;
}

function fakeRes() {
  const sent: { status?: number; body?: string } = {};
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return res;
    },
    set() {
      return res;
    },
    end(body: string) {
      sent.body = body;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('mcpBodyParser', () => {
  const parser = mcpBodyParser({ http: { allowedHosts: [], allowedOrigins: null, maxBodyBytes: 16 } });

  it('parses JSON into req.body', async () => {
    const req = fakeReq('{"a":1}', { 'content-type': 'application/json' });
    const { res } = fakeRes();
    await new Promise<void>((resolve) => parser(req, res, () => resolve()));
    expect(req.body).toEqual({ a: 1 });
  });

  it('maps malformed JSON to -32700', async () => {
    const req = fakeReq('{"a":', { 'content-type': 'application/json' });
    const { res, sent } = fakeRes();
    const next = jest.fn();
    parser(req, res, next);
    await new Promise((r) => setTimeout(r, 10));
    expect(next).not.toHaveBeenCalled();
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.body!)).toMatchObject({ error: { code: -32700 } });
  });

  it('maps an oversize body to 413', async () => {
    const req = fakeReq('{"a":"0123456789abcdef"}', { 'content-type': 'application/json' });
    const { res, sent } = fakeRes();
    parser(req, res, jest.fn());
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.status).toBe(413);
  });

  it('leaves non-JSON requests to the controller', () => {
    const next = jest.fn();
    parser(fakeReq('x', { 'content-type': 'text/plain' }), fakeRes().res, next);
    expect(next).toHaveBeenCalled();
  });
});
