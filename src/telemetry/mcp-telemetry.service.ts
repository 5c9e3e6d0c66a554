import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ToolHandlerResult } from '@switchboard/integration-kit';
import type { Response } from 'express';

// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { McpInterceptors } from '../mcp/mcp-interceptors.js';
import type { McpRequestInfo, ToolCallInfo, ToolCallOutcome } from '../mcp/index.js';
import { setRequestTrace } from '../logging/request-context.js';
import { methodLabel, parentContextFor } from './mcp-method.js';
import type { TelemetryRuntime } from './otel.js';
import * as A from './semconv.js';
import { TELEMETRY_RUNTIME } from './telemetry.tokens.js';

const SCOPE = 'switchboard.mcp';

/** How an HTTP request on an MCP URL ended, from its status code. */
export type RequestOutcome = 'ok' | 'rejected' | 'client_error' | 'error';

function requestOutcome(status: number): RequestOutcome {
  if (status === 429) return 'rejected';
  if (status >= 500) return 'error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/**
 * Telemetry on the MCP path: a span per HTTP request on an MCP URL and a child span per tool call, and
 * the request, tool-call, error and rate-limit metrics. Registered first on the interceptor chain
 * (order 0) so its spans and timings include the rate limiter and the audit write.
 *
 * What goes on a span or a label: tenant, endpoint, method, tool, principal type, outcome, error code.
 * Never arguments, results, credentials or the session id.
 */
@Injectable()
export class McpTelemetry implements OnModuleInit {
  static readonly ORDER = 0;

  private readonly tracer: Tracer;
  private readonly requests: Counter;
  private readonly requestDuration: Histogram;
  private readonly errors: Counter;
  private readonly toolCalls: Counter;
  private readonly toolDuration: Histogram;
  private readonly rateLimited: Counter;

  constructor(
    private readonly interceptors: McpInterceptors,
    @Inject(TELEMETRY_RUNTIME) runtime: TelemetryRuntime,
  ) {
    this.tracer = runtime.tracer(SCOPE);
    const meter = runtime.meter(SCOPE);
    const seconds = { unit: 's', advice: { explicitBucketBoundaries: A.DURATION_BUCKETS_SECONDS } };
    this.requests = meter.createCounter('switchboard.mcp.requests', {
      description: 'HTTP requests on MCP URLs that passed authentication, by method, tenant and outcome',
    });
    this.requestDuration = meter.createHistogram('switchboard.mcp.request.duration', {
      ...seconds,
      description: 'Time to answer an HTTP request on an MCP URL (for streams: until the stream closed)',
    });
    this.errors = meter.createCounter('switchboard.mcp.errors', {
      description: 'MCP requests answered with a server error and tool calls that failed unexpectedly',
    });
    this.toolCalls = meter.createCounter('switchboard.tool.calls', {
      description:
        'Tool calls by pack, tool, tenant and outcome (ok, tool_error, denied, failed, input_required, rejected)',
    });
    this.toolDuration = meter.createHistogram('switchboard.tool.call.duration', {
      ...seconds,
      description: 'Tool call latency, including authorization, rate limiting and the audit write',
    });
    this.rateLimited = meter.createCounter('switchboard.ratelimit.rejections', {
      description: 'Requests (HTTP 429) and tool calls refused by a rate limit',
    });
  }

  onModuleInit(): void {
    this.interceptors.addRequestInterceptor({
      order: McpTelemetry.ORDER,
      intercept: (info, res, next) => this.traceRequest(info, res, next),
    });
    this.interceptors.addToolCallInterceptor({
      order: McpTelemetry.ORDER,
      intercept: (call, next) => this.traceToolCall(call, next),
    });
  }

  async traceRequest(info: McpRequestInfo, res: Response, next: () => Promise<void>): Promise<void> {
    const method = methodLabel(info);
    const { tenant, endpoint } = info.endpoint;
    const attributes: Attributes = {
      [A.ATTR_MCP_METHOD_NAME]: method,
      [A.ATTR_TENANT_ID]: tenant.id,
      [A.ATTR_TENANT]: tenant.slug,
      [A.ATTR_ENDPOINT_ID]: endpoint.id,
      [A.ATTR_ENDPOINT]: endpoint.slug,
      [A.ATTR_PRINCIPAL_TYPE]: info.principal.kind,
    };
    const version = info.req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(version)) {
      attributes[A.ATTR_MCP_PROTOCOL_VERSION] = version;
    }
    const { parent, link, server } = parentContextFor(info.req.body, info.req.headers);
    if (server) {
      attributes[A.ATTR_HTTP_REQUEST_METHOD] = info.req.method;
      const route: unknown = (info.req.route as { path?: unknown } | undefined)?.path;
      if (typeof route === 'string') attributes[A.ATTR_HTTP_ROUTE] = route;
    }
    const linked = link ? trace.getSpanContext(link) : undefined;
    const span = this.tracer.startSpan(
      method,
      {
        kind: server ? SpanKind.SERVER : SpanKind.INTERNAL,
        attributes,
        links: linked ? [{ context: linked }] : [],
      },
      parent,
    );
    if (server) {
      const ids = span.spanContext();
      if (isSpanContextValid(ids)) setRequestTrace(ids.traceId, ids.spanId);
    }
    const started = performance.now();
    let failed = false;
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const finish = () => this.endRequest(span, res, method, tenant.slug, started, failed);
      // A stream (SSE) stays open after the handler returns: time it until it closes.
      if (res.writableEnded || res.destroyed) finish();
      else res.once('close', finish);
    }
  }

  private endRequest(
    span: Span,
    res: Response,
    method: string,
    tenant: string,
    started: number,
    failed: boolean,
  ): void {
    const status = failed ? 500 : res.statusCode;
    const outcome = requestOutcome(status);
    span.setAttribute(A.ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    span.setAttribute(A.ATTR_OUTCOME, outcome);
    if (outcome === 'error') {
      span.setAttribute(A.ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
    this.requests.add(1, {
      [A.ATTR_MCP_METHOD_NAME]: method,
      [A.ATTR_TENANT]: tenant,
      [A.ATTR_OUTCOME]: outcome,
    });
    this.requestDuration.record((performance.now() - started) / 1000, {
      [A.ATTR_MCP_METHOD_NAME]: method,
      [A.ATTR_OUTCOME]: outcome,
    });
    if (outcome === 'error') {
      this.errors.add(1, { [A.ATTR_MCP_METHOD_NAME]: method, [A.ATTR_ERROR_TYPE]: String(status) });
    }
    if (outcome === 'rejected') {
      this.rateLimited.add(1, { [A.ATTR_RATE_LIMIT_SCOPE]: 'request', [A.ATTR_TENANT]: tenant });
    }
  }

  async traceToolCall(
    call: ToolCallInfo,
    next: () => Promise<ToolHandlerResult>,
  ): Promise<ToolHandlerResult> {
    const { tenant, endpoint } = call.endpoint;
    const attributes: Attributes = {
      [A.ATTR_MCP_METHOD_NAME]: 'tools/call',
      [A.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
      [A.ATTR_GEN_AI_TOOL_NAME]: call.toolName,
      [A.ATTR_TOOL_PACK]: call.packId,
      [A.ATTR_TOOL_PACK_NAME]: call.packToolName,
      [A.ATTR_CONNECTION_ID]: call.connectionId,
      [A.ATTR_TENANT_ID]: tenant.id,
      [A.ATTR_TENANT]: tenant.slug,
      [A.ATTR_ENDPOINT_ID]: endpoint.id,
      [A.ATTR_ENDPOINT]: endpoint.slug,
      [A.ATTR_PRINCIPAL_TYPE]: call.principal.kind,
    };
    // Client-chosen text: bounded, so a client cannot inflate every span it causes.
    if (call.client) attributes[A.ATTR_CLIENT_NAME] = call.client.name.slice(0, 128);
    const span = this.tracer.startSpan(`tools/call ${call.toolName}`, {
      kind: SpanKind.INTERNAL,
      attributes,
    });
    const started = performance.now();
    let outcome: ToolCallOutcome = 'failed';
    try {
      const result = await context.with(trace.setSpan(context.active(), span), next);
      outcome = call.outcome ?? ('isError' in result && result.isError ? 'tool_error' : 'ok');
      return result;
    } finally {
      this.endToolCall(span, call, outcome, started);
    }
  }

  private endToolCall(span: Span, call: ToolCallInfo, outcome: ToolCallOutcome, started: number): void {
    span.setAttribute(A.ATTR_OUTCOME, outcome);
    if (outcome !== 'ok' && outcome !== 'input_required') {
      span.setAttribute(A.ATTR_ERROR_TYPE, call.errorCode ?? outcome);
    }
    if (call.correlationId) span.setAttribute(A.ATTR_CORRELATION_ID, call.correlationId);
    // A tool's own error result is an answer, not a fault of the platform; only unexpected failures are errors.
    if (outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    const tenant = call.endpoint.tenant.slug;
    const tool = { [A.ATTR_TOOL_PACK]: call.packId, [A.ATTR_TOOL_PACK_NAME]: call.packToolName };
    this.toolCalls.add(1, { ...tool, [A.ATTR_TENANT]: tenant, [A.ATTR_OUTCOME]: outcome });
    this.toolDuration.record((performance.now() - started) / 1000, { ...tool, [A.ATTR_OUTCOME]: outcome });
    if (outcome === 'failed') {
      this.errors.add(1, {
        [A.ATTR_MCP_METHOD_NAME]: 'tools/call',
        [A.ATTR_ERROR_TYPE]: call.errorCode ?? 'failed',
      });
    }
    if (outcome === 'rejected') {
      this.rateLimited.add(1, { [A.ATTR_RATE_LIMIT_SCOPE]: 'tool', [A.ATTR_TENANT]: tenant });
    }
  }
}
