import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { pino } from 'pino';

import { loadConfig } from '../config/index.js';
import { logCorrelation, pinoHttpOptions, REDACT_PATHS } from './pino-options.js';
import { requestIdOf, runWithRequestContext, setRequestTenant } from './request-context.js';

const CANARY = 'canary-5ecret-value-do-not-log';

/** A logger built from the server's real pino options, writing parsed lines into an array. */
function capture(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const opts = pinoHttpOptions(loadConfig({ LOG_LEVEL: 'info', LOG_PRETTY: 'false' }));
  const log = pino({ level: opts.level, redact: opts.redact, mixin: opts.mixin }, sink);
  return { log, lines };
}

function fakeRequest(headers: Record<string, string> = {}): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('log redaction', () => {
  it.each(REDACT_PATHS.filter((p) => !p.includes('*')))('redacts %s', (path) => {
    const { log, lines } = capture();
    // Build an object holding the canary at exactly this path (dots and ["quoted"] segments).
    const segments = [...path.matchAll(/([^.[\]"]+)|\["([^"]+)"\]/g)].map((m) => m[1] ?? m[2]!);
    const obj: Record<string, unknown> = {};
    let cursor = obj;
    segments.forEach((s, i) => {
      if (i === segments.length - 1) cursor[s] = CANARY;
      else cursor = (cursor[s] = {}) as Record<string, unknown>;
    });
    log.info(obj, 'line');
    expect(JSON.stringify(lines)).not.toContain(CANARY);
    expect(JSON.stringify(lines)).toContain('[redacted]');
  });

  it('redacts secret-named fields at the top level and one or two levels down', () => {
    const { log, lines } = capture();
    log.info(
      { password: CANARY, user: { token: CANARY }, connection: { config: { apiKey: CANARY } } },
      'nested',
    );
    log.info(
      { err: { client_secret: CANARY }, tokens: { refresh_token: CANARY, access_token: CANARY } },
      'oauth',
    );
    expect(JSON.stringify(lines)).not.toContain(CANARY);
    expect(lines[0]).toMatchObject({ password: '[redacted]', user: { token: '[redacted]' } });
  });

  it('redacts credentials in logged request headers', () => {
    const { log, lines } = capture();
    log.info(
      {
        req: {
          headers: {
            authorization: `Bearer ${CANARY}`,
            cookie: `sid=${CANARY}`,
            'x-api-key': CANARY,
            'mcp-session-id': CANARY,
            'proxy-authorization': CANARY,
          },
        },
        res: { headers: { 'set-cookie': `sid=${CANARY}` } },
      },
      'request',
    );
    expect(JSON.stringify(lines)).not.toContain(CANARY);
  });

  it('keeps ordinary fields', () => {
    const { log, lines } = capture();
    log.info({ tool: 'search', tenantSlug: 'acme', count: 3 }, 'kept');
    expect(lines[0]).toMatchObject({ tool: 'search', tenantSlug: 'acme', count: 3, msg: 'kept' });
  });
});

describe('log correlation', () => {
  it('adds nothing outside a request', () => {
    expect(logCorrelation()).toEqual({});
  });

  it('adds the request id, then the tenant once it is known', () => {
    const { log, lines } = capture();
    const req = fakeRequest({ 'x-request-id': 'req-123' });
    runWithRequestContext(req, () => {
      log.info('before auth');
      setRequestTenant({ id: 'tenant-uuid', slug: 'acme' }, 'endpoint-uuid');
      log.info('after auth');
    });
    expect(lines[0]).toMatchObject({ requestId: 'req-123', msg: 'before auth' });
    expect(lines[0]).not.toHaveProperty('tenant');
    expect(lines[1]).toMatchObject({ requestId: 'req-123', tenantId: 'tenant-uuid', tenant: 'acme' });
  });

  it('adds the active trace and span ids', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const { log, lines } = capture();
      const spanContext = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
      };
      context.with(trace.setSpanContext(context.active(), spanContext), () => log.info('traced'));
      expect(lines[0]).toMatchObject({ traceId: spanContext.traceId, spanId: spanContext.spanId });
    } finally {
      context.disable();
    }
  });

  it('keeps a plain caller request id and replaces anything else', () => {
    expect(requestIdOf(fakeRequest({ 'x-request-id': 'abc-1.2_3' }))).toBe('abc-1.2_3');
    const forged = requestIdOf(fakeRequest({ 'x-request-id': 'bad id\n{"level":60}' }));
    expect(forged).toMatch(/^[0-9a-f-]{36}$/);
    const req = fakeRequest();
    expect(requestIdOf(req)).toBe(requestIdOf(req));
  });
});
