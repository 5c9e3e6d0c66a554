export { CrmModule } from './crm.module.js';
export { createHubSpotPack, HUBSPOT_PACK_ID } from './hubspot/hubspot.pack.js';
export { HubSpotTokenCache } from './hubspot/hubspot-auth.js';
export { RateLimitGate, type Sleep } from './hubspot/rate-limit-gate.js';
export type { HubSpotDeps } from './hubspot/hubspot-session.js';
export {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  hubspotConfigSchema,
  PRIVATE_APP_TOKEN_SECRET,
  REFRESH_TOKEN_SECRET,
  type HubSpotConfig,
} from './hubspot/hubspot.config.js';
export { propertiesUri } from './resources.js';
export { CrmError, type CrmErrorKind } from './core/crm.errors.js';
export type * from './core/crm.types.js';
