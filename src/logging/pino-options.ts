import type { IncomingMessage } from 'node:http';

import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Options as PinoHttpOptions } from 'pino-http';

import type { AppConfig } from '../config/index.js';
import { currentRequestContext, requestIdOf } from './request-context.js';

/**
 * Paths never written to a log line, whatever logs them. fast-redact matches exact paths (a `*` is one
 * level), so the usual secret-bearing names are listed at the top level, one and two levels down.
 * Tested in logging.spec.ts.
 */
const SECRET_KEYS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'key',
  'authorization',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'clientSecret',
  'code_verifier',
  'masterKey',
  'privateKey',
  'cookie',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers["mcp-session-id"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
];

/** What the mixin adds to a line: the request's id and tenant, and the active trace. */
export interface LogCorrelation {
  requestId?: string;
  tenantId?: string;
  tenant?: string;
  traceId?: string;
  spanId?: string;
}

/** Runs for every line written; reads the request context and the active span, both O(1). */
export function logCorrelation(): LogCorrelation {
  const out: LogCorrelation = {};
  const ctx = currentRequestContext();
  if (ctx) {
    out.requestId = ctx.requestId;
    if (ctx.tenantId !== undefined) {
      out.tenantId = ctx.tenantId;
      out.tenant = ctx.tenantSlug;
    }
  }
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    out.traceId = span.traceId;
    out.spanId = span.spanId;
  }
  return out;
}

/** pino-http options for the server's logger (nestjs-pino). */
export function pinoHttpOptions(config: AppConfig): PinoHttpOptions {
  return {
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: logCorrelation,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // Query strings may carry codes or state during OAuth: log the path only.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
    },
    autoLogging: {
      ignore: (req: IncomingMessage) => {
        const url = req.url ?? '';
        return url.startsWith('/health') || url.startsWith('/metrics');
      },
    },
    ...(config.log.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
}
