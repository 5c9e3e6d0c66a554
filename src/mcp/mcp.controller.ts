import { randomUUID } from 'node:crypto';

import { Controller, Delete, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { McpHostService } from './mcp-host.service.js';
import {
  isHostAllowed,
  isJsonMediaType,
  isOriginAllowed,
  JSONRPC_SERVER_ERROR,
  sendJsonRpcError,
  sendPlainError,
} from './mcp-http.js';
import { MCP_REQUEST_GATE, type McpRequestGate } from './mcp.types.js';
import { McpInterceptors } from './mcp-interceptors.js';

function rpcMethodsOf(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) =>
    typeof m === 'object' && m !== null && typeof (m as { method?: unknown }).method === 'string'
      ? [(m as { method: string }).method]
      : [],
  );
}

const TENANT_PATH = 't/:tenant/mcp';
const ENDPOINT_PATH = 't/:tenant/e/:endpoint/mcp';

/**
 * The MCP URLs. Thin on purpose: transport-level checks, then tenancy and auth through the gate, then the
 * host. Responses are written directly (SSE streams must not pass through Nest's interceptors).
 */
@Controller()
export class McpController {
  private readonly logger = new Logger(McpController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MCP_REQUEST_GATE) private readonly gate: McpRequestGate,
    private readonly host: McpHostService,
    private readonly interceptors: McpInterceptors,
  ) {}

  @Post([TENANT_PATH, ENDPOINT_PATH])
  post(
    @Param('tenant') tenant: string,
    @Param('endpoint') endpoint: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.serve(tenant, endpoint ?? null, req, res);
  }

  @Get([TENANT_PATH, ENDPOINT_PATH])
  get(
    @Param('tenant') tenant: string,
    @Param('endpoint') endpoint: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.serve(tenant, endpoint ?? null, req, res);
  }

  @Delete([TENANT_PATH, ENDPOINT_PATH])
  delete(
    @Param('tenant') tenant: string,
    @Param('endpoint') endpoint: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.serve(tenant, endpoint ?? null, req, res);
  }

  private async serve(
    tenantSlug: string,
    endpointSlug: string | null,
    req: Request,
    res: Response,
  ): Promise<void> {
    try {
      const hostHeader = req.headers.host;
      if (!isHostAllowed(hostHeader, this.config.http.allowedHosts)) {
        sendJsonRpcError(res, 403, JSONRPC_SERVER_ERROR, 'Forbidden: Host header not allowed');
        return;
      }
      if (!isOriginAllowed(req.headers.origin, hostHeader, this.config.http.allowedOrigins)) {
        sendJsonRpcError(res, 403, JSONRPC_SERVER_ERROR, 'Forbidden: Origin not allowed');
        return;
      }
      const endpoint = await this.gate.resolveEndpoint(tenantSlug, endpointSlug);
      if (!endpoint) {
        if (this.gate.isSuspended?.(tenantSlug)) {
          sendPlainError(
            res,
            403,
            'tenant_suspended',
            'This organisation’s Switchboard account is suspended, so its MCP endpoints are unavailable. Contact its administrators.',
          );
          return;
        }
        // The same answer whether the tenant exists or not: URLs must not reveal tenants.
        sendPlainError(res, 404, 'not_found', 'No MCP endpoint at this URL');
        return;
      }
      const principal = await this.gate.authenticate(req.headers.authorization, endpoint);
      if (!principal) {
        sendPlainError(res, 401, 'unauthorized', 'A valid credential is required', {
          'WWW-Authenticate': this.gate.challenge(endpoint, req.headers.authorization),
        });
        return;
      }
      if (req.method === 'POST' && !isJsonMediaType(req.headers['content-type'])) {
        sendJsonRpcError(
          res,
          415,
          JSONRPC_SERVER_ERROR,
          'Unsupported Media Type: Content-Type must be application/json',
        );
        return;
      }
      const info = { endpoint, principal, req, rpcMethods: rpcMethodsOf(req.body) };
      await this.interceptors.runRequest(info, res, () => this.host.handle(req, res, endpoint, principal));
    } catch (error) {
      const correlationId = randomUUID();
      this.logger.error({
        msg: 'MCP request failed',
        correlationId,
        err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
      });
      sendJsonRpcError(res, 500, -32603, `Internal error (correlation id ${correlationId})`);
    }
  }
}
