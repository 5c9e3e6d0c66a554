export { UpstreamMcpModule, type UpstreamMcpModuleOptions } from './upstream-mcp.module.js';
export {
  createUpstreamMcpPack,
  namespacedName,
  UPSTREAM_MCP_PACK_ID,
  type UpstreamMcpPackDeps,
} from './upstream.pack.js';
export {
  UpstreamClients,
  type UpstreamCatalog,
  type UpstreamChangeListener,
  type UpstreamClientStats,
  type UpstreamClientsOptions,
  type UpstreamListKind,
} from './upstream-clients.js';
export {
  upstreamConfigSchema,
  parseUpstreamConfig,
  configDigest,
  TOKEN_SECRET,
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  type UpstreamConfig,
  type UpstreamAuth,
} from './upstream.config.js';
export { createGuardedFetch, type GuardedFetch } from './guarded-fetch.js';
export { classifyUpstreamError, redact, UpstreamUnavailableError } from './upstream.errors.js';
