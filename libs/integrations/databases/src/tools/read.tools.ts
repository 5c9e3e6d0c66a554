import type { ToolDefinition } from '@switchboard/integration-kit';
import { structuredResult } from '@switchboard/integration-kit';
import * as z from 'zod';

import type { DatabaseConfig, Dialect } from '../database.config.js';
import { DatabaseToolError } from '../database.errors.js';
import type { TableDescription } from '../driver.js';
import { assertReadOnlySql } from '../sql-guard.js';
import { renderRowSet, renderTable, rowSetOutput } from './render.js';
import { parseArgs, toolCall, withDatabase, type DatabasesPackDeps } from './tool-runtime.js';
import {
  describeTableOutput,
  explainOutput,
  listSchemasOutput,
  listTablesOutput,
  READ_ONLY,
  rowSetSchema,
  schemaArg,
  sqlParam,
  tableArg,
  type DescribeTableOutput,
  type ListTablesOutput,
} from './tool-schemas.js';

const DIALECT_NAMES: Record<Dialect, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
};

/** How each dialect writes bound parameters, with an example the model can copy. */
const PARAMS_HELP: Record<Dialect, string> = {
  postgres:
    'Placeholders are $1, $2, … in order of `params`. Example: {"sql": "SELECT id, total FROM orders WHERE customer_id = $1 AND created_at >= $2 ORDER BY created_at DESC LIMIT 20", "params": [42, "2024-01-01"]}.',
  mysql:
    'Placeholders are ? in order of `params`. Example: {"sql": "SELECT id, total FROM orders WHERE customer_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 20", "params": [42, "2024-01-01"]}.',
  sqlite:
    'Placeholders are ? in order of `params`. Example: {"sql": "SELECT id, total FROM orders WHERE customer_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 20", "params": [42, "2024-01-01"]}.',
};

const listTablesInput = z.object({ schema: schemaArg }).strict();
const describeInput = z.object({ table: tableArg, schema: schemaArg }).strict();

function queryInput(config: DatabaseConfig) {
  return z
    .object({
      sql: z
        .string()
        .min(1)
        .max(100_000)
        .describe('Exactly one read statement (SELECT, WITH … SELECT, VALUES, SHOW…).'),
      params: z
        .array(sqlParam)
        .max(100)
        .default([])
        .describe(
          'Values for the placeholders, in order. Always pass user-supplied values here, never inside the SQL.',
        ),
      max_rows: z
        .number()
        .int()
        .min(1)
        .max(config.maxRows)
        .optional()
        .describe(`Return at most this many rows (at most ${config.maxRows}, the default).`),
    })
    .strict();
}

function explainInput() {
  return z
    .object({
      sql: z.string().min(1).max(100_000).describe('The read statement to explain.'),
      params: z.array(sqlParam).max(100).default([]).describe('Values for its placeholders, in order.'),
      analyze: z
        .boolean()
        .default(false)
        .describe(
          'Also run the query and report actual times and row counts (PostgreSQL, MySQL/MariaDB; still read-only).',
        ),
    })
    .strict();
}

export function readTools(deps: DatabasesPackDeps, config: DatabaseConfig): ToolDefinition[] {
  const dialect = config.dialect;
  const db = DIALECT_NAMES[dialect];
  const schemaWord =
    dialect === 'mysql' ? 'databases (schemas)' : dialect === 'sqlite' ? 'attached databases' : 'schemas';

  const listSchemas: ToolDefinition = {
    name: 'db_list_schemas',
    title: 'List schemas',
    description: `Lists the ${schemaWord} of this ${db} connection with how many tables each has, and which one unqualified table names resolve to. Start here when you do not know where the data lives. Takes no arguments.`,
    inputSchema: z.object({}).strict(),
    outputSchema: listSchemasOutput,
    annotations: READ_ONLY,
    permission: 'read',
    handler: (_args, ctx) =>
      toolCall(ctx, 'db_list_schemas', () =>
        withDatabase(deps, ctx, async ({ driver, limits }) => {
          const [defaultSchema, schemas] = [
            await driver.defaultSchema(limits),
            await driver.listSchemas(limits),
          ];
          const text = [
            `${schemas.length} ${schemaWord} (unqualified names resolve in "${defaultSchema}"):`,
            ...schemas.map((s) => `- ${s.name}: ${s.tables} table${s.tables === 1 ? '' : 's'}`),
          ].join('\n');
          return structuredResult({ defaultSchema, schemas: schemas.map((s) => ({ ...s })) }, text);
        }),
      ),
  };

  const listTables: ToolDefinition = {
    name: 'db_list_tables',
    title: 'List tables',
    description: `Lists tables and views${dialect === 'postgres' ? ' in one schema, or in every non-system schema when `schema` is omitted' : ` in one ${dialect === 'mysql' ? 'database' : 'attached database'} (the connection's own by default)`}, with their kind, an approximate row count and comment. Use it before writing a query to get table names right, then db_describe_table for columns. Example: {"schema": "${dialect === 'postgres' ? 'public' : dialect === 'sqlite' ? 'main' : 'shop'}"}.`,
    inputSchema: listTablesInput,
    outputSchema: listTablesOutput,
    annotations: READ_ONLY,
    permission: 'read',
    handler: (args, ctx) =>
      toolCall(ctx, 'db_list_tables', async () => {
        const input = parseArgs(listTablesInput, args);
        return withDatabase(deps, ctx, async ({ driver, limits }) => {
          const tables = await driver.listTables(input.schema ?? null, {
            ...limits,
            maxRows: limits.maxRows + 1,
          });
          const truncated = tables.length > limits.maxRows;
          const shown = tables.slice(0, limits.maxRows);
          const out: ListTablesOutput = {
            schema: input.schema ?? null,
            tables: shown.map((t) => ({ ...t })),
            truncated,
          };
          const text = [
            shown.length === 0
              ? `No tables found${input.schema ? ` in "${input.schema}" (check the name with db_list_schemas)` : ''}.`
              : `${shown.length} table${shown.length === 1 ? '' : 's'}${input.schema ? ` in ${input.schema}` : ''}:`,
            ...shown.map(
              (t) =>
                `- ${t.schema}.${t.name} (${t.kind.replace('_', ' ')}${t.rowEstimate !== null ? `, ~${t.rowEstimate} rows` : ''})${t.comment ? ` — ${t.comment}` : ''}`,
            ),
            ...(truncated
              ? [`TRUNCATED: more than ${limits.maxRows} tables; pass a schema to narrow the list.`]
              : []),
          ].join('\n');
          return structuredResult(out, text);
        });
      }),
  };

  const describeTable: ToolDefinition = {
    name: 'db_describe_table',
    title: 'Describe a table',
    description: `Describes one table or view: every column with its type, nullability, default and whether it is part of the primary key, plus indexes, foreign keys and a row-count estimate. Call it before querying an unfamiliar table. Example: {"table": "orders"${dialect === 'postgres' ? ', "schema": "public"' : ''}}.`,
    inputSchema: describeInput,
    outputSchema: describeTableOutput,
    annotations: READ_ONLY,
    permission: 'read',
    handler: (args, ctx) =>
      toolCall(ctx, 'db_describe_table', async () => {
        const input = parseArgs(describeInput, args);
        return withDatabase(deps, ctx, async ({ driver, limits }) => {
          const table = await driver.describeTable(input.schema ?? null, input.table, limits);
          if (!table) {
            throw new DatabaseToolError(
              'not_found',
              `No table or view named ${JSON.stringify(input.table)} in ${input.schema ? JSON.stringify(input.schema) : 'the default schema'}. Use db_list_tables to see the names.`,
            );
          }
          const out = describeOutput(table);
          return structuredResult(out, renderTable(out));
        });
      }),
  };

  const query = queryInput(config);
  const runQuery: ToolDefinition = {
    name: 'db_query',
    title: 'Run a read-only SQL query',
    description: `Runs one read-only ${db} SQL statement and returns its rows (columns with types, then one array per row). The database itself enforces read-only: writes, DDL and several statements in one call are refused. Results are capped at ${config.maxRows} rows and ${Math.round(config.maxResultBytes / 1024)} KiB, and the query is stopped after ${config.statementTimeoutMs / 1000} s; a cut result says so (truncated: true). ${PARAMS_HELP[dialect]}`,
    inputSchema: query,
    outputSchema: rowSetSchema,
    annotations: READ_ONLY,
    permission: 'read',
    handler: (args, ctx) =>
      toolCall(ctx, 'db_query', async () => {
        const input = parseArgs(query, args);
        assertReadOnlySql(input.sql, dialect);
        return withDatabase(
          deps,
          ctx,
          async ({ driver, limits }) => {
            const out = rowSetOutput(await driver.query(input.sql, input.params, limits));
            return structuredResult(out, renderRowSet(out, limits.maxRows, limits.maxBytes));
          },
          input.max_rows !== undefined ? { maxRows: input.max_rows } : {},
        );
      }),
  };

  const explainArgs = explainInput();
  const explain: ToolDefinition = {
    name: 'db_explain',
    title: 'Explain a query plan',
    description: `Shows how ${db} would execute a read-only query (its plan: scans, index use, joins, estimated cost), to find out why a query is slow or whether an index is used. With analyze: true the query also runs (read-only) and real timings are reported. Same placeholders as db_query. Example: {"sql": "SELECT * FROM orders WHERE customer_id = ${dialect === 'postgres' ? '$1' : '?'}", "params": [42]}.`,
    inputSchema: explainArgs,
    outputSchema: explainOutput,
    annotations: READ_ONLY,
    permission: 'read',
    handler: (args, ctx) =>
      toolCall(ctx, 'db_explain', async () => {
        const input = parseArgs(explainArgs, args);
        assertReadOnlySql(input.sql, dialect);
        return withDatabase(deps, ctx, async ({ driver, limits }) => {
          const result = await driver.explain(input.sql, input.params, input.analyze, limits);
          return structuredResult({ ...result }, result.plan);
        });
      }),
  };

  return [listSchemas, listTables, describeTable, runQuery, explain];
}

export function describeOutput(table: TableDescription): DescribeTableOutput {
  return {
    schema: table.schema,
    name: table.name,
    kind: table.kind,
    columns: table.columns.map((c) => ({ ...c })),
    primaryKey: [...table.primaryKey],
    indexes: table.indexes.map((i) => ({ ...i, columns: [...i.columns] })),
    foreignKeys: table.foreignKeys.map((f) => ({
      ...f,
      columns: [...f.columns],
      referencedColumns: [...f.referencedColumns],
    })),
    rowEstimate: table.rowEstimate,
    rowEstimateExact: table.rowEstimateExact,
    comment: table.comment,
  };
}
