import type { IncomingHttpHeaders } from 'node:http';

import {
  context,
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
} from '@opentelemetry/api';

import type { McpRequestInfo } from '../mcp/index.js';
import { hasValidSpan } from './instrumentations.js';

/** MCP methods a client may send; anything else is reported as "other" so a client cannot mint label values. */
const CLIENT_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'server/discover',
  'subscriptions/listen',
  'tasks/get',
  'tasks/list',
  'tasks/result',
  'tasks/cancel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
  'notifications/elicitation/complete',
  'notifications/tasks/status',
]);

/**
 * The method an HTTP request on an MCP URL carries, as a bounded label: the JSON-RPC method of a single
 * message, "batch" for several (legacy clients), and the HTTP method for GET (open a stream) and DELETE
 * (end a session) or a body with no method (a response to a server request).
 */
export function methodLabel(info: Pick<McpRequestInfo, 'rpcMethods' | 'req'>): string {
  const { rpcMethods } = info;
  if (rpcMethods.length === 1) return CLIENT_METHODS.has(rpcMethods[0]!) ? rpcMethods[0]! : 'other';
  if (rpcMethods.length > 1) return 'batch';
  return info.req.method;
}

const carrierGetter = {
  get: (carrier: Record<string, unknown>, key: string): string | undefined => {
    const v = carrier[key];
    return typeof v === 'string' ? v : undefined;
  },
  keys: (carrier: Record<string, unknown>): string[] => Object.keys(carrier),
};

/**
 * The trace context a client put in the request's `_meta` (traceparent/tracestate, as MCP 2026-07-28
 * allows), or null. Only for a single message: a batch has no one parent.
 */
export function metaTraceContext(body: unknown): Context | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const params = (body as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return null;
  const meta = (params as { _meta?: unknown })._meta;
  if (
    typeof meta !== 'object' ||
    meta === null ||
    typeof (meta as { traceparent?: unknown }).traceparent !== 'string'
  ) {
    return null;
  }
  const extracted = propagation.extract(ROOT_CONTEXT, meta as Record<string, unknown>, carrierGetter);
  return trace.getSpanContext(extracted) ? extracted : null;
}

/**
 * Where the MCP request span starts. Inside a span of the HTTP layer (not the case on MCP URLs, which
 * the generic HTTP instrumentation leaves alone, but kept for servers instrumented otherwise) it is a
 * step of that span. Otherwise it is the server span: its parent is the caller's W3C trace context from
 * the HTTP headers, else the one in the request's `_meta`; a `_meta` context that is not the parent is
 * linked.
 */
export function parentContextFor(
  body: unknown,
  headers: IncomingHttpHeaders,
): { readonly parent: Context; readonly link: Context | null; readonly server: boolean } {
  const active = context.active();
  const fromMeta = metaTraceContext(body);
  if (hasValidSpan(active)) return { parent: active, link: fromMeta, server: false };
  const fromHeaders = propagation.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  if (hasValidSpan(fromHeaders)) return { parent: fromHeaders, link: fromMeta, server: true };
  return { parent: fromMeta ?? ROOT_CONTEXT, link: null, server: true };
}
