export { OpenApiModule } from './openapi.module.js';
export { createOpenApiPack, OPENAPI_PACK_ID, type OpenApiPackDeps } from './openapi.pack.js';
export { OAuthTokenCache } from './auth.js';
export { OpenApiError } from './openapi.errors.js';
export {
  openApiConfigSchema,
  MAX_OPERATIONS,
  API_KEY_SECRET,
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  PASSWORD_SECRET,
  TOKEN_SECRET,
  USERNAME_SECRET,
  type OpenApiAuth,
  type OpenApiConfig,
} from './openapi.config.js';
