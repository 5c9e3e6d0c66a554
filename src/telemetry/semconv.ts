/**
 * Attribute and metric names. The MCP and GenAI ones follow OpenTelemetry's (still incubating) semantic
 * conventions; they are copied here rather than imported from `semantic-conventions/incubating`, as that
 * package advises, since incubating names may move between minor versions. The rest are ours.
 */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_ROUTE = 'http.route';

export const ATTR_TENANT_ID = 'switchboard.tenant.id';
export const ATTR_TENANT = 'switchboard.tenant';
export const ATTR_ENDPOINT_ID = 'switchboard.endpoint.id';
export const ATTR_ENDPOINT = 'switchboard.endpoint';
export const ATTR_PRINCIPAL_TYPE = 'switchboard.principal.type';
export const ATTR_OUTCOME = 'switchboard.outcome';
export const ATTR_TOOL_PACK = 'switchboard.tool.pack';
export const ATTR_TOOL_PACK_NAME = 'switchboard.tool.pack_tool';
export const ATTR_CONNECTION_ID = 'switchboard.connection.id';
export const ATTR_CLIENT_NAME = 'switchboard.client.name';
export const ATTR_CORRELATION_ID = 'switchboard.correlation_id';
export const ATTR_RATE_LIMIT_SCOPE = 'switchboard.ratelimit.scope';

/** Histogram buckets in seconds, from a cache hit to a slow upstream API. */
export const DURATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
