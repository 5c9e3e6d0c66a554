import type { IncomingMessage } from 'node:http';

import type { Request } from 'express';

import { describe, expect, it } from '@jest/globals';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import { untraced } from './instrumentations.js';
import { metaTraceContext, methodLabel, parentContextFor } from './mcp-method.js';

const req = (method: string) => ({ method }) as Request;

describe('methodLabel', () => {
  it('names a single known method, a batch, or the HTTP method when there is none', () => {
    expect(methodLabel({ rpcMethods: ['tools/call'], req: req('POST') })).toBe('tools/call');
    expect(methodLabel({ rpcMethods: ['initialize', 'tools/list'], req: req('POST') })).toBe('batch');
    expect(methodLabel({ rpcMethods: [], req: req('GET') })).toBe('GET');
    expect(methodLabel({ rpcMethods: [], req: req('DELETE') })).toBe('DELETE');
  });

  it('never turns a client-chosen method name into a label value', () => {
    expect(methodLabel({ rpcMethods: ['x/' + 'a'.repeat(200)], req: req('POST') })).toBe('other');
  });
});

describe('metaTraceContext', () => {
  it("reads a W3C trace context from the message's _meta", () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const body = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'x',
          _meta: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        },
      };
      const extracted = metaTraceContext(body);
      expect(extracted && trace.getSpanContext(extracted)).toMatchObject({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        isRemote: true,
      });
      expect(metaTraceContext({ params: { _meta: { traceparent: 'garbage' } } })).toBeNull();
    } finally {
      propagation.disable();
    }
  });

  it('ignores batches and missing or malformed _meta', () => {
    expect(metaTraceContext([{ params: { _meta: { traceparent: 'x' } } }])).toBeNull();
    expect(metaTraceContext({ params: {} })).toBeNull();
    expect(metaTraceContext({ params: { _meta: { traceparent: 42 } } })).toBeNull();
  });
});

describe('parentContextFor', () => {
  const HEADER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const META_TRACE = '0af7651916cd43dd8448eb211c80319c';
  const body = {
    method: 'tools/call',
    params: { _meta: { traceparent: `00-${META_TRACE}-b7ad6b7169203331-01` } },
  };
  const headers = { traceparent: `00-${HEADER_TRACE}-00f067aa0ba902b7-01` };

  it('makes the MCP span the server span, child of the caller’s headers, linking a different _meta', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const both = parentContextFor(body, headers);
      expect(both.server).toBe(true);
      expect(trace.getSpanContext(both.parent)?.traceId).toBe(HEADER_TRACE);
      expect(both.link && trace.getSpanContext(both.link)?.traceId).toBe(META_TRACE);

      const metaOnly = parentContextFor(body, {});
      expect(metaOnly.server).toBe(true);
      expect(trace.getSpanContext(metaOnly.parent)?.traceId).toBe(META_TRACE);
      expect(metaOnly.link).toBeNull();

      const none = parentContextFor({ method: 'ping' }, { traceparent: 'garbage' });
      expect(none).toMatchObject({ server: true, link: null });
      expect(trace.getSpanContext(none.parent)).toBeUndefined();
    } finally {
      propagation.disable();
    }
  });
});

describe('untraced', () => {
  const at = (url: string) => untraced({ url } as IncomingMessage);

  it('leaves probes, the scrape and the MCP URLs to their own telemetry', () => {
    expect(at('/health/ready')).toBe(true);
    expect(at('/metrics')).toBe(true);
    expect(at('/t/acme/mcp')).toBe(true);
    expect(at('/t/acme/e/sales/mcp')).toBe(true);
    expect(at('/t/acme/mcp?x=1')).toBe(true);
  });

  it('traces everything else, including look-alikes of an MCP URL', () => {
    expect(at('/.well-known/oauth-protected-resource/t/acme/mcp')).toBe(false);
    expect(at('/api/v1/tenants/acme/audit')).toBe(false);
    expect(at('/t/acme/mcpx')).toBe(false);
    expect(at('/t/acme/e/sales/mcp/more')).toBe(false);
    expect(at('/oauth/token')).toBe(false);
  });
});
