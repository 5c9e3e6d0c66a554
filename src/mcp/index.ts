export * from './mcp.types.js';
export { McpModule } from './mcp.module.js';
export { McpHostService } from './mcp-host.service.js';
export { McpController } from './mcp.controller.js';
export { mcpBodyParser, isHostAllowed, isOriginAllowed } from './mcp-http.js';
export { toAuthInfo, hostAuthOf, type HostAuthExtra } from './surface-server.js';
export * from './mcp-interceptors.js';
