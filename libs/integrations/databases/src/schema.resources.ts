import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import type {
  ConnectionContext,
  ResourceDefinition,
  ResourceTemplateDefinition,
} from '@switchboard/integration-kit';

import type { DatabaseConfig } from './database.config.js';
import { DatabaseToolError } from './database.errors.js';
import type { SchemaInfo } from './driver.js';
import { describeOutput } from './tools/read.tools.js';
import { withDatabase, type DatabasesPackDeps } from './tools/tool-runtime.js';

/** `db://<connection id>/…`: the connection id keeps URIs unique when an endpoint has several databases. */
export function schemaUri(connectionId: string, schema?: string, table?: string): string {
  let uri = `db://${encodeURIComponent(connectionId)}/schemas`;
  if (schema !== undefined) uri += `/${encodeURIComponent(schema)}`;
  if (table !== undefined) uri += `/tables/${encodeURIComponent(table)}`;
  return uri;
}

function json(uri: URL, value: unknown): ReadResourceResult {
  return {
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
  };
}

function variable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Resource reads have no tool-error channel: database failures become protocol errors with the same message. */
async function guarded<T>(uri: URL, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DatabaseToolError) {
      if (error.kind === 'not_found') throw new ResourceNotFoundError(uri.href, error.message);
      throw new ProtocolError(ProtocolErrorCode.InternalError, error.message);
    }
    throw error;
  }
}

/**
 * The connected database's structure as resources: an overview of every schema, one resource per schema
 * listing its tables (the schemas known when the surface was built), and a template for any table's full
 * description. Content is read live on every read, so it follows schema changes.
 */
export function schemaResources(
  deps: DatabasesPackDeps,
  ctx: ConnectionContext<DatabaseConfig>,
  schemas: readonly SchemaInfo[],
): {
  resources: ResourceDefinition<DatabaseConfig>[];
  templates: ResourceTemplateDefinition<DatabaseConfig>[];
} {
  const label = ctx.connectionName;
  const overview: ResourceDefinition<DatabaseConfig> = {
    uri: schemaUri(ctx.connectionId),
    name: 'db_schemas',
    title: `${label}: schemas`,
    description: `Every schema of the ${label} database with its tables (kind, row estimate, comment).`,
    mimeType: 'application/json',
    permission: 'read',
    read: (uri, call) =>
      guarded(uri, () =>
        withDatabase(deps, call, async ({ driver, limits }) => {
          const all = await driver.listSchemas(limits);
          const out = [];
          for (const s of all) out.push({ schema: s.name, tables: await driver.listTables(s.name, limits) });
          return json(uri, { defaultSchema: await driver.defaultSchema(limits), schemas: out });
        }),
      ),
  };

  const perSchema = schemas.map((s): ResourceDefinition<DatabaseConfig> => ({
    uri: schemaUri(ctx.connectionId, s.name),
    name: `db_schema_${s.name}`,
    title: `${label}: schema ${s.name}`,
    description: `Tables and views in the ${s.name} schema of ${label}, with kinds, row estimates and comments.`,
    mimeType: 'application/json',
    permission: 'read',
    read: (uri, call) =>
      guarded(uri, () =>
        withDatabase(deps, call, async ({ driver, limits }) =>
          json(uri, { schema: s.name, tables: await driver.listTables(s.name, limits) }),
        ),
      ),
  }));

  const tableTemplate: ResourceTemplateDefinition<DatabaseConfig> = {
    uriTemplate: `db://${encodeURIComponent(ctx.connectionId)}/schemas/{schema}/tables/{table}`,
    name: 'db_table',
    title: `${label}: table`,
    description: `The full description of one table of ${label}: columns, types, keys, indexes, foreign keys, row estimate.`,
    mimeType: 'application/json',
    permission: 'read',
    read: (uri, variables, call) =>
      guarded(uri, () =>
        withDatabase(deps, call, async ({ driver, limits }) => {
          const schema = variable(variables.schema);
          const table = variable(variables.table);
          const found = await driver.describeTable(schema, table, limits);
          if (!found)
            throw new DatabaseToolError(
              'not_found',
              `No table ${JSON.stringify(table)} in schema ${JSON.stringify(schema)}.`,
            );
          return json(uri, describeOutput(found));
        }),
      ),
    complete: {
      schema: async (value) => {
        const names = schemas.map((s) => s.name);
        return names.filter((n) => n.startsWith(value)).slice(0, 100);
      },
      // Completion has no call context: it uses the connection's own, and answers nothing on failure.
      table: async (value) => {
        try {
          return await withDatabase(deps, ctx, async ({ driver, limits }) =>
            (await driver.listTables(null, limits))
              .map((t) => t.name)
              .filter((n) => n.startsWith(value))
              .slice(0, 100),
          );
        } catch {
          return [];
        }
      },
    },
  };

  return { resources: [overview, ...perSchema], templates: [tableTemplate] };
}
