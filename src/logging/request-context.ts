import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What every log line written while serving a request says about it. One mutable object per request:
 * the HTTP middleware creates it with the request id, and later steps (the MCP request path once the
 * tenant is resolved) fill in the rest, so lines logged after that — including pino-http's
 * "request completed" — carry the tenant too.
 */
export interface RequestContext {
  readonly requestId: string;
  tenantId?: string;
  tenantSlug?: string;
  endpointId?: string;
  /** The request's server span, when it is started below the HTTP layer (the MCP URLs). */
  traceId?: string;
  spanId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
/** The context of a request object, for code that has the request but runs outside its async scope. */
const byRequest = new WeakMap<IncomingMessage, RequestContext>();

/** A caller-chosen X-Request-Id is kept when it is short and plain (it ends up in logs and headers). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request's id: the caller's X-Request-Id when acceptable, otherwise a new UUID. Memoised on the
 * request, so pino-http's `genReqId` and the context middleware agree whichever runs first.
 */
export function requestIdOf(req: IncomingMessage): string {
  const known = byRequest.get(req)?.requestId ?? (req as IncomingMessage & { id?: unknown }).id;
  if (typeof known === 'string') return known;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** The context of the request being served, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function requestContextOf(req: IncomingMessage): RequestContext | undefined {
  return byRequest.get(req);
}

/** Runs `fn` (the rest of the request) inside a context for `req`, creating it once per request. */
export function runWithRequestContext<T>(req: IncomingMessage, fn: () => T): T {
  let ctx = byRequest.get(req);
  if (!ctx) {
    ctx = { requestId: requestIdOf(req) };
    byRequest.set(req, ctx);
  }
  return storage.run(ctx, fn);
}

/** Records the tenant the current request acts for (no-op outside a request). */
export function setRequestTenant(
  tenant: { readonly id: string; readonly slug: string },
  endpointId?: string,
): void {
  const ctx = storage.getStore();
  if (!ctx) return;
  ctx.tenantId = tenant.id;
  ctx.tenantSlug = tenant.slug;
  if (endpointId !== undefined) ctx.endpointId = endpointId;
}

/** Records the trace of the current request's server span (no-op outside a request). */
export function setRequestTrace(traceId: string, spanId: string): void {
  const ctx = storage.getStore();
  if (!ctx) return;
  ctx.traceId = traceId;
  ctx.spanId = spanId;
}
