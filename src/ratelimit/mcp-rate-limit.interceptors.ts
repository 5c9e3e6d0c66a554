import { AsyncLocalStorage } from 'node:async_hooks';

import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import type { Principal, ToolHandlerResult } from '@switchboard/integration-kit';
import type { Response } from 'express';

import { AuditRecorder } from '../audit/audit.contract.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
// Value import on purpose: Nest reads constructor parameter types at run time.
import { McpInterceptors, type McpRequestInfo, type ToolCallInfo } from '../mcp/mcp-interceptors.js';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.js';
import { principalKey, RateLimitService, type LimitState } from './rate-limit.service.js';

/** JSON-RPC "server error" (implementation-defined range); `data.code` says which. */
export const JSONRPC_RATE_LIMITED = -32000;
/** `_meta` key of a tool result refused by a per-tool limit (MCP `_meta` keys take a reverse-DNS prefix). */
export const RATE_LIMIT_META_KEY = 'io.switchboard/rate-limit';

/** What a client (or model) is told about a refusal; the same fields in HTTP and tool results. */
export interface RateLimitDetail {
  readonly code: 'rate_limited';
  readonly scope: LimitState['scope'];
  readonly limit: number;
  readonly windowSeconds: number;
  readonly retryAfterSeconds: number;
  readonly tool?: string;
}

/**
 * Puts the MCP rate limits on the request path (order 100: inside telemetry, outside audit):
 * - each HTTP request on an MCP URL counts against the tenant and the principal; over either → HTTP 429
 *   with `Retry-After`, the RateLimit fields and a JSON-RPC error body;
 * - each tool call counts against the principal's limit for that tool; over it → a tool result with
 *   `isError: true`, the wait in words for the model and in `_meta` for the client.
 *
 * Why a tool result and not a JSON-RPC error for a tool: the MCP specification reserves protocol errors
 * for requests that are malformed or name unknown tools, and reports failures of a call that was
 * understood "in the tool result" with `isError` so the model can see them and adapt (here: wait, or do
 * something else meanwhile). The SDK itself turns anything a tool callback throws into such a result;
 * a JSON-RPC error would reach the host application, not the model. The HTTP request stays 200 because
 * other messages of the same request (a batch, a session) are not affected.
 */
@Injectable()
export class McpRateLimitInterceptors implements OnModuleInit {
  private readonly logger = new Logger('RateLimit');
  /** The counting key of an anonymous caller, from its request to its tool calls (which lack the address). */
  private readonly anonymousKey = new AsyncLocalStorage<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limits: RateLimitService,
    @Optional() private readonly interceptors?: McpInterceptors,
    @Optional() private readonly audit?: AuditRecorder,
  ) {}

  onModuleInit(): void {
    // Off by configuration (benchmarks, incident response), or no MCP host here (the CLI).
    if (!this.config.controls.ratelimit || !this.interceptors) return;
    this.interceptors.addRequestInterceptor({
      order: 100,
      intercept: (info, res, next) => this.onRequest(info, res, next),
    });
    this.interceptors.addToolCallInterceptor({
      order: 100,
      intercept: (call, next) => this.onToolCall(call, next),
    });
  }

  async onRequest(info: McpRequestInfo, res: Response, next: () => Promise<void>): Promise<void> {
    const address = info.req.ip ?? info.req.socket.remoteAddress;
    const key = principalKey(info.principal, address);
    const decision = await this.limits.consumeRequest(info.endpoint.tenant.id, key);
    const headers = rateLimitHeaders(decision.states);
    if (decision.allowed) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      return info.principal.kind === 'anonymous' ? this.anonymousKey.run(key, next) : next();
    }
    const detail = detailOf(decision.denied);
    if (decision.firstDenial) {
      await this.recordDenial(
        info.endpoint.tenant.id,
        info.principal,
        'ratelimit.request',
        info.endpoint.path,
        {
          ...detail,
          endpoint: info.endpoint.endpoint.slug,
          clientAddress: address ?? null,
        },
      );
    }
    if (res.headersSent) return;
    res.status(429).set({
      ...headers,
      'Retry-After': String(detail.retryAfterSeconds),
      'Content-Type': 'application/json',
    });
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: singleRequestId(info.req.body),
        error: {
          code: JSONRPC_RATE_LIMITED,
          message: `Rate limit exceeded: at most ${detail.limit} requests per ${detail.windowSeconds} s for this ${detail.scope}. Retry after ${detail.retryAfterSeconds} s.`,
          data: detail,
        },
      }),
    );
  }

  async onToolCall(call: ToolCallInfo, next: () => Promise<ToolHandlerResult>): Promise<ToolHandlerResult> {
    const key =
      call.principal.kind === 'anonymous'
        ? (this.anonymousKey.getStore() ?? principalKey(call.principal, undefined))
        : principalKey(call.principal, undefined);
    const decision = await this.limits.consumeTool(call.endpoint.tenant.id, key, call.toolName);
    if (decision.allowed) return next();
    call.outcome = 'rejected';
    call.errorCode = 'rate_limited';
    const detail: RateLimitDetail = { ...detailOf(decision.denied), tool: call.toolName };
    if (decision.firstDenial) {
      await this.recordDenial(call.endpoint.tenant.id, call.principal, 'ratelimit.tool', call.toolName, {
        ...detail,
        endpoint: call.endpoint.endpoint.slug,
      });
    }
    return {
      content: [
        {
          type: 'text',
          text: `Rate limit exceeded: ${call.toolName} may be called at most ${detail.limit} times per ${detail.windowSeconds} s. Retry after ${detail.retryAfterSeconds} s.`,
        },
      ],
      isError: true,
      _meta: { [RATE_LIMIT_META_KEY]: detail },
    };
  }

  /**
   * One audit event per key and window (the first refusal), so a flood of refused requests cannot turn
   * into a flood of audit writes. A failing recorder must not turn a 429 into a 500: it is logged.
   */
  private async recordDenial(
    tenantId: string,
    principal: Principal,
    action: string,
    target: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (!this.audit) return;
    try {
      await this.audit.record({
        tenantId,
        kind: 'denial',
        action,
        actor: { type: principal.kind, id: principal.id },
        target,
        outcome: 'denied',
        data,
      });
    } catch (e) {
      this.logger.error(`could not audit a rate-limit denial: ${(e as Error).message}`);
    }
  }
}

function detailOf(state: LimitState): RateLimitDetail {
  return {
    code: 'rate_limited',
    scope: state.scope,
    limit: state.rule.points,
    windowSeconds: state.rule.windowSeconds,
    retryAfterSeconds: retryAfterSeconds(state.resetMs),
  };
}

/** The id of a single JSON-RPC request; null for a batch, a notification or anything else. */
function singleRequestId(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
