import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';

// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { McpInterceptors } from '../mcp/mcp-interceptors.js';
import { setRequestTenant } from './request-context.js';

/**
 * Puts the tenant of an MCP request into its log context as soon as the request is authenticated, so
 * every later line (rate-limit refusals, tool failures, the access log) says which tenant it was.
 * Outermost on the chain so it also covers requests that a control refuses. Not a control: it stays on
 * when SWITCHBOARD_CONTROLS turns telemetry off.
 */
@Injectable()
export class McpLogContext implements OnModuleInit {
  static readonly ORDER = -100;

  constructor(@Optional() private readonly interceptors?: McpInterceptors) {}

  onModuleInit(): void {
    this.interceptors?.addRequestInterceptor({
      order: McpLogContext.ORDER,
      intercept: (info, _res, next) => {
        setRequestTenant(info.endpoint.tenant, info.endpoint.endpoint.id);
        return next();
      },
    });
  }
}
