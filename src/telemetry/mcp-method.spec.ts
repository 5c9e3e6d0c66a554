import type { Request } from 'express';

import { describe, expect, it } from '@jest/globals';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import { metaTraceContext, methodLabel } from './mcp-method.js';

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
