import { Injectable } from '@nestjs/common';
import type { Principal, ToolHandlerResult, ToolPermission } from '@switchboard/integration-kit';
import type { ToolAnnotations } from '@modelcontextprotocol/server';
import type { Request, Response } from 'express';
import type { EndpointDescriptor } from './mcp.types.js';

/** One authenticated HTTP request on an MCP URL, before the SDK sees it. */
export interface McpRequestInfo {
  readonly endpoint: EndpointDescriptor;
  readonly principal: Principal;
  readonly req: Request;
  /** JSON-RPC methods in the body (a POST may batch several in legacy clients); empty for GET/DELETE. */
  readonly rpcMethods: readonly string[];
}

export type ToolCallOutcome = 'ok' | 'tool_error' | 'denied' | 'failed' | 'input_required' | 'rejected';

/** One tool call, as interceptors see it. `outcome` and `errorCode` are filled in when the call ends. */
export interface ToolCallInfo {
  readonly endpoint: EndpointDescriptor;
  readonly principal: Principal;
  readonly connectionId: string;
  readonly packId: string;
  /** The name the client used (after collision prefixing). */
  readonly toolName: string;
  /** The pack's own tool name. */
  readonly packToolName: string;
  readonly permission: ToolPermission;
  readonly annotations: ToolAnnotations;
  readonly args: Readonly<Record<string, unknown>>;
  /** Client name and version from the session or the request's _meta, when known. */
  readonly client: { readonly name: string; readonly version: string } | null;
  readonly startedAt: number;
  outcome?: ToolCallOutcome;
  errorCode?: string;
  correlationId?: string;
}

/**
 * Wraps every authenticated request on an MCP URL. Call `next()` to continue; answering `res` without
 * calling it ends the request (rate limits do that with 429).
 */
export interface McpRequestInterceptor {
  /** Lower runs outside higher: telemetry 0, rate limits 100. */
  readonly order: number;
  intercept(info: McpRequestInfo, res: Response, next: () => Promise<void>): Promise<void>;
}

/**
 * Wraps every tool call, including ones refused by authorization. Returning a result without calling
 * `next()` refuses the call with that result (a per-tool rate limit does that).
 */
export interface ToolCallInterceptor {
  /** Lower runs outside higher: telemetry 0, rate limits 100, audit 200. */
  readonly order: number;
  intercept(call: ToolCallInfo, next: () => Promise<ToolHandlerResult>): Promise<ToolHandlerResult>;
}

/**
 * The request path's extension points. Controls (telemetry, rate limits, audit) register here at module
 * init, so the MCP host does not depend on them and each can be measured on its own.
 */
@Injectable()
export class McpInterceptors {
  private request: McpRequestInterceptor[] = [];
  private toolCall: ToolCallInterceptor[] = [];

  addRequestInterceptor(i: McpRequestInterceptor): void {
    this.request = [...this.request, i].sort((a, b) => a.order - b.order);
  }

  addToolCallInterceptor(i: ToolCallInterceptor): void {
    this.toolCall = [...this.toolCall, i].sort((a, b) => a.order - b.order);
  }

  runRequest(info: McpRequestInfo, res: Response, last: () => Promise<void>): Promise<void> {
    const chain = this.request;
    const step = (i: number): Promise<void> =>
      i < chain.length ? chain[i]!.intercept(info, res, () => step(i + 1)) : last();
    return step(0);
  }

  runToolCall(call: ToolCallInfo, last: () => Promise<ToolHandlerResult>): Promise<ToolHandlerResult> {
    const chain = this.toolCall;
    const step = (i: number): Promise<ToolHandlerResult> =>
      i < chain.length ? chain[i]!.intercept(call, () => step(i + 1)) : last();
    return step(0);
  }
}
