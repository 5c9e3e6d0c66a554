import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { McpHostService } from '../mcp/mcp-host.service.js';
import { McpInterceptors, type McpRequestInfo, type ToolCallInfo } from '../mcp/mcp-interceptors.js';
import { protectedResourceMetadataUrlFor } from '../oauth/oauth-urls.js';
import { RbacService } from '../rbac/rbac.service.js';

/** After rate limits (100), before the host: a refused request still counts against the caller's limits. */
const ORDER = 150;
const JSONRPC_FORBIDDEN = -32003;

/**
 * Authorization decisions the MCP host cannot make well by itself, taken before the SDK sees a request:
 *
 * - HTTP 403 `insufficient_scope` (RFC 6750 §3.1, MCP authorization "scope challenge") when the role and
 *   access rules would allow the request but the credential's scopes do not: the client can ask for the
 *   scope named in the challenge and retry. Endpoint access denied by a rule is a plain 403.
 * - A `tools/call` for a tool the principal may not call: the host never registers such tools (they are
 *   not listed), so the SDK would answer "unknown tool". This answers a precise JSON-RPC error instead and
 *   runs the tool-call interceptors with outcome `denied`, so the refusal is counted and audited.
 */
@Injectable()
export class McpAuthorizationInterceptor implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly interceptors: McpInterceptors,
    private readonly host: McpHostService,
    private readonly rbac: RbacService,
  ) {}

  onModuleInit(): void {
    this.interceptors.addRequestInterceptor({
      order: ORDER,
      intercept: (info, res, next) => this.intercept(info, res, next),
    });
  }

  async intercept(info: McpRequestInfo, res: Response, next: () => Promise<void>): Promise<void> {
    const { principal, endpoint } = info;
    const endpointId = endpoint.endpoint.id;
    if (!this.rbac.can(principal, 'endpoint:use', { endpointId })) {
      const scope = this.rbac.missingScope(principal, 'endpoint:use', { endpointId });
      this.forbid(res, info, scope, 'This credential may not use this endpoint');
      return;
    }
    const call = singleToolCall(info.req.body);
    if (call) {
      // Unknown here (not built on this process yet, or no such tool): the host's own checks decide.
      const tool = this.host.findTool(endpointId, call.name);
      if (tool) {
        const target = { endpointId, name: tool.name, permission: tool.def.permission };
        if (!this.rbac.can(principal, 'tool:call', target)) {
          const scope = this.rbac.missingScope(principal, 'tool:call', target);
          if (scope) {
            this.forbid(res, info, scope, `The ${tool.name} tool needs the ${scope} scope`);
            return;
          }
          await this.deny(info, res, call, tool, principal);
          return;
        }
      }
    }
    await next();
  }

  private forbid(res: Response, info: McpRequestInfo, scope: string | null, message: string): void {
    const metadata = protectedResourceMetadataUrlFor(this.config.publicUrl, info.endpoint.path);
    const challenge = scope
      ? `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${metadata}", error_description="${message}"`
      : null;
    res
      .status(403)
      .set({ 'Content-Type': 'application/json', ...(challenge ? { 'WWW-Authenticate': challenge } : {}) })
      .send(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: JSONRPC_FORBIDDEN, message: `Forbidden: ${message}` },
          id: null,
        }),
      );
  }

  private async deny(
    info: McpRequestInfo,
    res: Response,
    call: { id: string | number; name: string; args: Record<string, unknown> },
    tool: NonNullable<ReturnType<McpHostService['findTool']>>,
    principal: Principal,
  ): Promise<void> {
    const message = `Permission denied: ${tool.name} needs the ${tool.def.permission} permission, which ${
      principal.kind === 'anonymous'
        ? 'anonymous callers do not have'
        : `your role (${principal.role}) or access rules do not grant`
    }.`;
    const callInfo: ToolCallInfo = {
      endpoint: info.endpoint,
      principal,
      connectionId: tool.connection.connectionId,
      packId: tool.connection.pack.id,
      toolName: tool.name,
      packToolName: tool.def.name,
      permission: tool.def.permission,
      annotations: tool.def.annotations,
      args: call.args,
      client: null,
      startedAt: Date.now(),
    };
    await this.interceptors.runToolCall(callInfo, async () => {
      callInfo.outcome = 'denied';
      callInfo.errorCode = 'forbidden';
      return { content: [{ type: 'text', text: message }], isError: true };
    });
    res
      .status(200)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: JSONRPC_FORBIDDEN, message } }));
  }
}

/** The one `tools/call` of a single-message POST body (batches go to the host, which checks each call). */
function singleToolCall(
  body: unknown,
): { id: string | number; name: string; args: Record<string, unknown> } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const m = body as { method?: unknown; id?: unknown; params?: { name?: unknown; arguments?: unknown } };
  if (m.method !== 'tools/call' || typeof m.params?.name !== 'string') return null;
  if (typeof m.id !== 'string' && typeof m.id !== 'number') return null;
  const args =
    typeof m.params.arguments === 'object' && m.params.arguments !== null
      ? (m.params.arguments as Record<string, unknown>)
      : {};
  return { id: m.id, name: m.params.name, args };
}
