import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, type NestMiddleware } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';

import { requestContextOf, requestIdOf } from './request-context.js';

/** Whatever was read off the request when it arrived; the rest is read when the response finishes. */
interface Pending {
  readonly req: IncomingMessage;
  readonly started: number;
  readonly traceId?: string;
  readonly spanId?: string;
}

/**
 * The access log of the MCP URLs, the platform's hot path. pino-http builds a child logger per request
 * (serialising and redacting its bindings even when nothing is logged); here nothing is built unless
 * the line is written, and the line has the same shape: `request completed` / `request errored` with
 * `req` (id, method, path — never the query), `res.statusCode`, `responseTime`, and the request's id,
 * tenant and trace.
 */
@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const span = trace.getActiveSpan()?.spanContext();
    const pending: Pending =
      span && isSpanContextValid(span)
        ? { req, started: performance.now(), traceId: span.traceId, spanId: span.spanId }
        : { req, started: performance.now() };
    res.once('finish', () => writeAccessLine(pending, res, false));
    res.once('close', () => {
      if (!res.writableFinished) writeAccessLine(pending, res, true);
    });
    next();
  }
}

function writeAccessLine(p: Pending, res: ServerResponse, aborted: boolean): void {
  const errored = aborted || res.statusCode >= 500;
  const logger = PinoLogger.root;
  if (!logger.isLevelEnabled(errored ? 'error' : 'info')) return;
  const ctx = requestContextOf(p.req);
  const requestId = ctx?.requestId ?? requestIdOf(p.req);
  const line = {
    requestId,
    ...(ctx?.tenantId !== undefined ? { tenantId: ctx.tenantId, tenant: ctx.tenantSlug } : {}),
    ...(ctx?.traceId
      ? { traceId: ctx.traceId, spanId: ctx.spanId }
      : p.traceId
        ? { traceId: p.traceId, spanId: p.spanId }
        : {}),
    req: { id: requestId, method: p.req.method, path: (p.req.url ?? '').split('?')[0] },
    res: { statusCode: res.statusCode },
    responseTime: Math.round(performance.now() - p.started),
  };
  if (errored) logger.error(line, aborted ? 'request aborted' : 'request errored');
  else logger.info(line, 'request completed');
}
