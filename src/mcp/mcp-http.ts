import type { NextFunction, Request, Response } from 'express';

import type { AppConfig } from '../config/index.js';

/** JSON-RPC codes the HTTP layer answers with before any MCP server sees the request. */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
/** Implementation-defined server error (the SDK uses it for transport-level refusals too). */
export const JSONRPC_SERVER_ERROR = -32000;

export function sendJsonRpcError(
  res: Response,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.status(status).set({ 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The platform's plain JSON error shape, used before the request is known to be MCP (404, 401). */
export function sendPlainError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.status(status).set({ 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

function hostnameOf(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * DNS-rebinding protection: the Host header must be one we serve. `allowedHosts` entries may carry a port
 * (`localhost:3000`, matched exactly) or not (`localhost`, any port).
 */
export function isHostAllowed(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  if (allowedHosts.includes(host)) return true;
  const hostname = hostnameOf(host);
  return hostname !== null && allowedHosts.includes(hostname);
}

/**
 * A browser page may only call an MCP URL from an allowed origin: the configured list, or (when none is
 * configured) the server's own origin. Requests without Origin (native clients) are not browser requests.
 */
export function isOriginAllowed(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowedOrigins: readonly string[] | null,
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (allowedOrigins !== null) {
    return allowedOrigins.some((allowed) => {
      try {
        return new URL(allowed).origin === parsed.origin;
      } catch {
        return false;
      }
    });
  }
  return hostHeader !== undefined && parsed.host === hostHeader.toLowerCase();
}

function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * JSON body parser for the MCP URLs. Mounted ahead of Nest's own parsers so that body errors come back as
 * JSON-RPC errors (413 / -32700) instead of Nest's HTML or generic JSON, and so the limit is ours.
 * Non-JSON POSTs are left unread: the controller answers them 415.
 */
export function mcpBodyParser(config: Pick<AppConfig, 'http'>) {
  const limit = config.http.maxBodyBytes;
  return function mcpJsonBody(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'POST' || !isJsonMediaType(req.headers['content-type'])) {
      next();
      return;
    }
    const tooLarge = (): void =>
      sendJsonRpcError(
        res,
        413,
        JSONRPC_SERVER_ERROR,
        `Payload Too Large: request body must not exceed ${limit} bytes`,
        {
          Connection: 'close',
        },
      );
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      tooLarge();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > limit) {
        done = true;
        tooLarge();
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      sendJsonRpcError(res, 400, JSONRPC_PARSE_ERROR, 'Parse error: the request body could not be read');
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        req.body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      } catch {
        sendJsonRpcError(res, 400, JSONRPC_PARSE_ERROR, 'Parse error: the request body is not valid JSON');
        return;
      }
      next();
    });
  };
}

export { isJsonMediaType };
