import type { PackSurface, ToolPack } from '@switchboard/integration-kit';

import {
  CLIENT_KEY_SECRET,
  databaseConfigSchema,
  PASSWORD_SECRET,
  type DatabaseConfig,
} from './database.config.js';
import type { SchemaInfo } from './driver.js';
import { schemaResources } from './schema.resources.js';
import { readTools } from './tools/read.tools.js';
import { parseConfig, withDatabase, type DatabasesPackDeps } from './tools/tool-runtime.js';
import { writeTools } from './tools/write.tools.js';

export const DATABASES_PACK_ID = 'databases';

/** Building a surface must not hang on an unreachable database: the schema resources wait this long at most. */
const SURFACE_TIMEOUT_MS = 5_000;

/**
 * SQL databases (PostgreSQL, MySQL/MariaDB, SQLite) as tools and resources. Read tools are always there;
 * the write tools only when the connection's `allowWrites` is on, and they need the `write` permission.
 */
export function createDatabasesPack(deps: DatabasesPackDeps): ToolPack<DatabaseConfig> {
  return {
    id: DATABASES_PACK_ID,
    title: 'SQL databases',
    description:
      'Query and explore a PostgreSQL, MySQL/MariaDB or SQLite database: list schemas and tables, describe tables, run read-only queries with bound parameters, explain plans; optionally insert, update and delete rows.',
    version: '1.0.0',
    configSchema: databaseConfigSchema as unknown as ToolPack<DatabaseConfig>['configSchema'],
    secrets: [
      { name: PASSWORD_SECRET, description: "The database user's password.", required: false },
      {
        name: CLIENT_KEY_SECRET,
        description:
          'PEM private key of the TLS client certificate (tls.clientCert), when the server requires one.',
        required: false,
      },
    ],
    exposeByDefault: false,
    async surface(ctx): Promise<PackSurface<DatabaseConfig>> {
      const config = parseConfig(ctx.config);
      const tools = [...readTools(deps, config), ...(config.allowWrites ? writeTools(deps, config) : [])];
      // Per-schema resources need the schema names now; an unreachable database still gets its tools
      // and the overview resource, and the next surface build tries again.
      let schemas: SchemaInfo[] = [];
      try {
        schemas = await withDatabase(deps, ctx, ({ driver, limits }) => driver.listSchemas(limits), {
          timeoutMs: Math.min(config.statementTimeoutMs, SURFACE_TIMEOUT_MS),
          maxRows: 200,
        });
      } catch (error) {
        ctx.logger.warn('could not list the database schemas for its resources', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      const { resources, templates } = schemaResources(deps, ctx, schemas);
      return { tools, resources, resourceTemplates: templates };
    },
  };
}
