import { fromJsonSchema, type JsonSchemaType, type ToolAnnotations } from '@modelcontextprotocol/server';
import { HttpClientError, type GuardedHttpClient, type HttpResponse } from '@switchboard/http-client';
import {
  toolError,
  type ConnectionContext,
  type PackSurface,
  type ToolDefinition,
  type ToolHandlerResult,
  type ToolPack,
  type ToolPermission,
} from '@switchboard/integration-kit';

import { applyAuth, OAuthTokenCache } from './auth.js';
import { parseDocument, type OpenApiDocument } from './document.js';
import {
  API_KEY_SECRET,
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  MAX_DOCUMENT_BYTES,
  MAX_OPERATIONS,
  openApiConfigSchema,
  PASSWORD_SECRET,
  TOKEN_SECRET,
  USERNAME_SECRET,
  type OpenApiConfig,
} from './openapi.config.js';
import { OpenApiError } from './openapi.errors.js';
import { extractOperations, type OperationSpec } from './operations.js';
import { buildRequest, renderResponse } from './request.js';

export const OPENAPI_PACK_ID = 'openapi';

const MAX_DESCRIPTION_CHARS = 2_000;

export interface OpenApiPackDeps {
  /** The process's guarded client: every request of this pack (document, token, API) goes through it. */
  readonly http: GuardedHttpClient;
  /** Shared OAuth token cache; one per pack when omitted. */
  readonly tokens?: OAuthTokenCache;
}

export function parseConfig(config: unknown): OpenApiConfig {
  const parsed = openApiConfigSchema.safeParse(config);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new OpenApiError(
      `The connection's configuration is invalid${first ? ` (${first.path.join('.') || 'config'}: ${first.message})` : ''}.`,
    );
  }
  return parsed.data;
}

/** The document, inline or fetched through the guarded client (size-capped, every redirect re-checked). */
export async function loadDocument(
  http: GuardedHttpClient,
  config: OpenApiConfig,
): Promise<{ doc: OpenApiDocument; source: string | null }> {
  if ('text' in config.document) return { doc: parseDocument(config.document.text), source: null };
  let response: HttpResponse;
  try {
    response = await http.request(config.document.url, {
      headers: { accept: 'application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.5' },
      maxResponseBytes: MAX_DOCUMENT_BYTES,
      onOversize: 'error',
      timeoutMs: Math.max(config.timeoutMs, 10_000),
    });
  } catch (error) {
    if (error instanceof HttpClientError) {
      throw new OpenApiError(`Could not fetch the OpenAPI document: ${error.message}`);
    }
    throw error;
  }
  if (response.status !== 200) {
    throw new OpenApiError(`Could not fetch the OpenAPI document: HTTP ${response.status}.`);
  }
  return { doc: parseDocument(response.text()), source: response.url };
}

/** The configured base URL, else the document's first server (variables at their defaults). */
export function resolveBaseUrl(config: OpenApiConfig, doc: OpenApiDocument, source: string | null): string {
  if (config.baseUrl) return config.baseUrl;
  const server = doc.servers?.[0];
  if (!server || typeof server.url !== 'string') {
    throw new OpenApiError("The document lists no server; set the connection's baseUrl.");
  }
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = server.variables?.[name]?.default;
    return typeof value === 'string' ? value : whole;
  });
  let resolved: URL;
  try {
    // A relative server URL is relative to where the document came from (OpenAPI 3 §4.8.5).
    resolved = source ? new URL(url, source) : new URL(url);
  } catch {
    throw new OpenApiError(`The document's server URL "${url.slice(0, 200)}" is not absolute; set baseUrl.`);
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new OpenApiError("The document's server URL is not http(s); set baseUrl.");
  }
  return resolved.href;
}

function annotationsFor(spec: OperationSpec): ToolAnnotations {
  const safe = spec.method === 'GET' || spec.method === 'HEAD' || spec.method === 'OPTIONS';
  return {
    title: spec.summary || spec.operationId,
    readOnlyHint: safe,
    destructiveHint: spec.method === 'DELETE',
    idempotentHint: safe || spec.method === 'PUT' || spec.method === 'DELETE',
    openWorldHint: true,
  };
}

function permissionFor(spec: OperationSpec): ToolPermission {
  return spec.method === 'GET' || spec.method === 'HEAD' || spec.method === 'OPTIONS' ? 'read' : 'write';
}

function describe(spec: OperationSpec, apiTitle: string): string {
  const lead = [spec.summary, spec.description].filter(Boolean).join('\n\n') || `Calls ${spec.operationId}.`;
  const tail = `\n\n${spec.deprecated ? 'DEPRECATED. ' : ''}Calls ${spec.method} ${spec.path} on ${apiTitle}.${spec.body ? ` The request body goes in "body" (${spec.body.mediaType}).` : ''}`;
  const room = MAX_DESCRIPTION_CHARS - tail.length;
  return `${lead.length > room ? `${lead.slice(0, room - 1)}…` : lead}${tail}`;
}

function issuesText(issues: readonly { message: string; path?: readonly unknown[] | undefined }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const path = (i.path ?? [])
        .map((p) => (typeof p === 'object' && p !== null && 'key' in p ? String(p.key) : String(p)))
        .join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

function toolFor(
  deps: Required<OpenApiPackDeps>,
  ctx: ConnectionContext<OpenApiConfig>,
  config: OpenApiConfig,
  baseUrl: string,
  apiTitle: string,
  spec: OperationSpec,
): ToolDefinition<OpenApiConfig> {
  const inputSchema = fromJsonSchema<Record<string, unknown>>(spec.inputSchema as JsonSchemaType);
  const connectionKey = `${ctx.tenant.id}/${ctx.connectionId}`;
  return {
    name: spec.toolName,
    title: spec.summary || spec.operationId,
    description: describe(spec, apiTitle),
    inputSchema,
    annotations: annotationsFor(spec),
    permission: permissionFor(spec),
    async handler(args, call): Promise<ToolHandlerResult> {
      // The host validates too; handlers are also called directly, and nothing is sent for bad input.
      const checked = await inputSchema['~standard'].validate(args);
      if (checked.issues) return toolError(`Invalid arguments: ${issuesText(checked.issues)}.`);
      try {
        const request = buildRequest(spec, baseUrl, checked.value);
        const send = async (retried: boolean): Promise<ToolHandlerResult> => {
          const auth = await applyAuth(config.auth, call.secrets, deps.tokens, connectionKey, call.signal);
          const response = await deps.http.request(request.url, {
            method: spec.method,
            headers: { ...request.headers, ...auth.headers },
            ...(request.body !== undefined && { body: request.body }),
            signal: call.signal,
            timeoutMs: config.timeoutMs,
            maxResponseBytes: config.maxResponseBytes,
            sensitiveHeaders: auth.sensitiveHeaders,
          });
          // A cached token can be revoked before its stated expiry: fetch a new one once.
          if (response.status === 401 && auth.oauthToken !== null && !retried) {
            deps.tokens.invalidate(auth.oauthToken);
            return send(true);
          }
          return renderResponse(spec, response, config.maxResponseBytes);
        };
        return await send(false);
      } catch (error) {
        if (error instanceof OpenApiError || error instanceof HttpClientError) {
          call.logger.info('openapi call failed', { operation: spec.operationId, error: error.message });
          return toolError(error.message);
        }
        throw error;
      }
    },
  };
}

/**
 * Any REST API described by an OpenAPI 3.0/3.1 document: each chosen operation becomes a tool whose input
 * is its parameters and body, called on the configured base URL with the connection's credentials.
 */
export function createOpenApiPack(deps: OpenApiPackDeps): ToolPack<OpenApiConfig> {
  const full: Required<OpenApiPackDeps> = {
    http: deps.http,
    tokens: deps.tokens ?? new OAuthTokenCache(deps.http),
  };
  return {
    id: OPENAPI_PACK_ID,
    title: 'REST API (OpenAPI)',
    description:
      'Call a REST API described by an OpenAPI 3.0/3.1 document: each chosen operation becomes a tool, authenticated with a bearer token, an API key header, HTTP Basic or OAuth client credentials.',
    version: '1.0.0',
    configSchema: openApiConfigSchema as unknown as ToolPack<OpenApiConfig>['configSchema'],
    secrets: [
      { name: TOKEN_SECRET, description: 'Bearer token (auth kind "bearer").', required: false },
      {
        name: API_KEY_SECRET,
        description: 'API key sent in the configured header (auth kind "apiKeyHeader").',
        required: false,
      },
      { name: USERNAME_SECRET, description: 'HTTP Basic user name (auth kind "basic").', required: false },
      { name: PASSWORD_SECRET, description: 'HTTP Basic password (auth kind "basic").', required: false },
      {
        name: CLIENT_ID_SECRET,
        description: 'OAuth client id (auth kind "oauth2ClientCredentials").',
        required: false,
      },
      {
        name: CLIENT_SECRET_SECRET,
        description: 'OAuth client secret (auth kind "oauth2ClientCredentials").',
        required: false,
      },
    ],
    exposeByDefault: false,
    async surface(ctx): Promise<PackSurface<OpenApiConfig>> {
      const config = parseConfig(ctx.config);
      const { doc, source } = await loadDocument(full.http, config);
      const baseUrl = resolveBaseUrl(config, doc, source);
      const { operations, skipped } = extractOperations(doc, {
        ...(config.operations && { only: config.operations }),
        max: MAX_OPERATIONS,
      });
      for (const s of skipped) {
        ctx.logger.warn('openapi operation left out', { operation: s.operationId, reason: s.reason });
      }
      const apiTitle = typeof doc.info?.title === 'string' ? doc.info.title.slice(0, 100) : 'the API';
      return { tools: operations.map((spec) => toolFor(full, ctx, config, baseUrl, apiTitle, spec)) };
    },
  };
}
