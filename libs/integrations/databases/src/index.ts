export { DatabasesModule, type DatabasesModuleOptions } from './databases.module.js';
export { createDatabasesPack, DATABASES_PACK_ID } from './databases.pack.js';
export { DatabasePools, type DatabasePoolsOptions } from './database-pools.js';
export {
  databaseConfigSchema,
  CLIENT_KEY_SECRET,
  PASSWORD_SECRET,
  type DatabaseConfig,
  type Dialect,
} from './database.config.js';
export { schemaUri } from './schema.resources.js';
export type { DatabasesPackDeps } from './tools/tool-runtime.js';
