import type { ToolDefinition } from '@switchboard/integration-kit';
import { structuredResult } from '@switchboard/integration-kit';
import * as z from 'zod';

import type { DatabaseConfig, Dialect } from '../database.config.js';
import { DatabaseToolError } from '../database.errors.js';
import type { CallLimits, DatabaseDriver, SqlParam, TableDescription, WriteResult } from '../driver.js';
import { assertWriteSql, placeholder, quoteIdent } from '../sql-guard.js';
import { renderWrite, rowSetOutput } from './render.js';
import { parseArgs, toolCall, withDatabase, type DatabasesPackDeps } from './tool-runtime.js';
import {
  columnValues,
  schemaArg,
  sqlParam,
  tableArg,
  writeAnnotations,
  writeOutput,
  type WriteOutput,
} from './tool-schemas.js';

/** PostgreSQL and SQLite report the rows a write touched; MySQL has no RETURNING for updates. */
const RETURNING: Record<Dialect, string> = { postgres: ' RETURNING *', sqlite: ' RETURNING *', mysql: '' };

const insertInput = z
  .object({ table: tableArg, schema: schemaArg, values: columnValues.describe('Column → value.') })
  .strict();
const updateInput = z
  .object({
    table: tableArg,
    schema: schemaArg,
    key: columnValues.describe(
      'The full primary key (or a unique key) of the one row to change: column → value.',
    ),
    values: columnValues.describe('Columns to set: column → new value.'),
  })
  .strict();
const deleteInput = z
  .object({
    table: tableArg,
    schema: schemaArg,
    key: columnValues.describe(
      'The full primary key (or a unique key) of the one row to delete: column → value.',
    ),
  })
  .strict();
const executeInput = z
  .object({
    sql: z
      .string()
      .min(1)
      .max(100_000)
      .describe('Exactly one INSERT, UPDATE, DELETE (or MERGE/REPLACE) statement.'),
    params: z.array(sqlParam).max(100).default([]).describe('Values for the placeholders, in order.'),
    max_affected_rows: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .describe('If the statement would change more rows than this, it is rolled back and nothing changes.'),
  })
  .strict();

function toOutput(result: WriteResult): WriteOutput {
  const id = result.insertId;
  return {
    affectedRows: result.affectedRows,
    insertId: typeof id === 'string' || typeof id === 'number' ? id : null,
    returned: result.returned ? rowSetOutput(result.returned) : null,
  };
}

async function tableOrFail(
  driver: DatabaseDriver,
  schema: string | undefined,
  table: string,
  limits: CallLimits,
): Promise<TableDescription> {
  const found = await driver.describeTable(schema ?? null, table, limits);
  if (!found) {
    throw new DatabaseToolError(
      'not_found',
      `No table named ${JSON.stringify(table)} in ${schema ? JSON.stringify(schema) : 'the default schema'}. Use db_list_tables to see the names.`,
    );
  }
  return found;
}

/** Column names must be the table's own: they are quoted from the catalog, never taken as SQL. */
function checkColumns(table: TableDescription, names: readonly string[], what: string): void {
  const known = new Set(table.columns.map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new DatabaseToolError(
      'rejected',
      `Unknown ${what} column(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')} in ${table.schema}.${table.name}; its columns are ${[...known].join(', ')}.`,
    );
  }
}

/** A key must pin down one row: exactly the primary key's columns, or a unique index's, all non-null. */
function checkKey(table: TableDescription, key: Record<string, SqlParam>): void {
  const names = Object.keys(key).sort();
  checkColumns(table, names, 'key');
  const same = (cols: readonly string[]) =>
    cols.length === names.length && [...cols].sort().every((c, i) => c === names[i]);
  const candidates = [
    table.primaryKey,
    ...table.indexes.filter((i) => i.unique).map((i) => i.columns),
  ].filter((c) => c.length > 0);
  if (!candidates.some(same)) {
    const options = candidates.map((c) => `(${c.join(', ')})`).join(' or ');
    throw new DatabaseToolError(
      'rejected',
      options
        ? `The key must name exactly the columns of the primary key or a unique index of ${table.schema}.${table.name}: ${options}.`
        : `${table.schema}.${table.name} has no primary key or unique index; use db_execute with a WHERE clause instead.`,
    );
  }
  const nulls = names.filter((n) => key[n] === null);
  if (nulls.length > 0)
    throw new DatabaseToolError('rejected', `Key values may not be null (${nulls.join(', ')}).`);
}

function target(table: TableDescription, dialect: Dialect): string {
  return `${quoteIdent(table.schema, dialect)}.${quoteIdent(table.name, dialect)}`;
}

export function writeTools(deps: DatabasesPackDeps, config: DatabaseConfig): ToolDefinition[] {
  const dialect = config.dialect;
  const ph = (n: number) => placeholder(n, dialect);
  const runWrite = (
    ctx: Parameters<ToolDefinition['handler']>[1],
    tool: string,
    build: (
      driver: DatabaseDriver,
      limits: CallLimits,
    ) => Promise<{ sql: string; params: SqlParam[]; maxAffectedRows: number }>,
  ) =>
    toolCall(ctx, tool, () =>
      withDatabase(deps, ctx, async ({ driver, limits }) => {
        const statement = await build(driver, limits);
        const result = toOutput(
          await driver.execute(statement.sql, statement.params, {
            ...limits,
            maxAffectedRows: statement.maxAffectedRows,
          }),
        );
        return structuredResult(result, renderWrite(result, limits.maxRows, limits.maxBytes));
      }),
    );

  const insertRow: ToolDefinition = {
    name: 'db_insert_row',
    title: 'Insert a row',
    description: `Inserts one row into a table and returns it${RETURNING[dialect] ? ' as stored (with generated keys and defaults)' : ' (and its generated id)'}. Column names must be the table's (see db_describe_table); omit columns the database fills in. Example: {"table": "customers", "values": {"name": "Ada Lovelace", "email": "ada@example.com"}}.`,
    inputSchema: insertInput,
    outputSchema: writeOutput,
    annotations: writeAnnotations(false),
    permission: 'write',
    handler: (args, ctx) =>
      runWrite(ctx, 'db_insert_row', async (driver, limits) => {
        const input = parseArgs(insertInput, args);
        const table = await tableOrFail(driver, input.schema, input.table, limits);
        const names = Object.keys(input.values);
        checkColumns(table, names, 'value');
        return {
          sql: `INSERT INTO ${target(table, dialect)} (${names.map((n) => quoteIdent(n, dialect)).join(', ')}) VALUES (${names.map((_, i) => ph(i + 1)).join(', ')})${RETURNING[dialect]}`,
          params: names.map((n) => input.values[n] as SqlParam),
          maxAffectedRows: 1,
        };
      }),
  };

  const updateRow: ToolDefinition = {
    name: 'db_update_row',
    title: 'Update one row by key',
    description: `Changes columns of exactly one row, found by its full primary key (or a unique key). It refuses a key that could match several rows. Example: {"table": "orders", "key": {"id": 1042}, "values": {"status": "shipped"}}.`,
    inputSchema: updateInput,
    outputSchema: writeOutput,
    annotations: writeAnnotations(true),
    permission: 'write',
    handler: (args, ctx) =>
      runWrite(ctx, 'db_update_row', async (driver, limits) => {
        const input = parseArgs(updateInput, args);
        const table = await tableOrFail(driver, input.schema, input.table, limits);
        checkKey(table, input.key);
        const sets = Object.keys(input.values);
        checkColumns(table, sets, 'value');
        const keys = Object.keys(input.key);
        return {
          sql: `UPDATE ${target(table, dialect)} SET ${sets.map((n, i) => `${quoteIdent(n, dialect)} = ${ph(i + 1)}`).join(', ')} WHERE ${keys.map((n, i) => `${quoteIdent(n, dialect)} = ${ph(sets.length + i + 1)}`).join(' AND ')}${RETURNING[dialect]}`,
          params: [
            ...sets.map((n) => input.values[n] as SqlParam),
            ...keys.map((n) => input.key[n] as SqlParam),
          ],
          maxAffectedRows: 1,
        };
      }),
  };

  const deleteRow: ToolDefinition = {
    name: 'db_delete_row',
    title: 'Delete one row by key',
    description: `Deletes exactly one row, found by its full primary key (or a unique key), and returns it${RETURNING[dialect] ? '' : "'s count"}. It refuses a key that could match several rows. Example: {"table": "sessions", "key": {"id": "9f1c…"}}.`,
    inputSchema: deleteInput,
    outputSchema: writeOutput,
    annotations: writeAnnotations(true),
    permission: 'write',
    handler: (args, ctx) =>
      runWrite(ctx, 'db_delete_row', async (driver, limits) => {
        const input = parseArgs(deleteInput, args);
        const table = await tableOrFail(driver, input.schema, input.table, limits);
        checkKey(table, input.key);
        const keys = Object.keys(input.key);
        return {
          sql: `DELETE FROM ${target(table, dialect)} WHERE ${keys.map((n, i) => `${quoteIdent(n, dialect)} = ${ph(i + 1)}`).join(' AND ')}${RETURNING[dialect]}`,
          params: keys.map((n) => input.key[n] as SqlParam),
          maxAffectedRows: 1,
        };
      }),
  };

  const execute: ToolDefinition = {
    name: 'db_execute',
    title: 'Run a write statement',
    description: `Runs one INSERT, UPDATE or DELETE statement${dialect === 'postgres' ? ' (or MERGE, or WITH … that writes)' : ''} in a transaction and commits it, unless it would change more than max_affected_rows rows (default 100), in which case nothing changes. Schema changes (CREATE, ALTER, DROP, TRUNCATE, GRANT) are refused. Prefer db_insert_row / db_update_row / db_delete_row for single rows. Example: {"sql": "UPDATE orders SET status = ${ph(1)} WHERE status = ${ph(2)} AND created_at < ${ph(3)}", "params": ["expired", "pending", "2024-01-01"], "max_affected_rows": 500}.`,
    inputSchema: executeInput,
    outputSchema: writeOutput,
    annotations: writeAnnotations(false),
    permission: 'write',
    handler: (args, ctx) =>
      runWrite(ctx, 'db_execute', async () => {
        const input = parseArgs(executeInput, args);
        assertWriteSql(input.sql, dialect);
        return { sql: input.sql, params: input.params, maxAffectedRows: input.max_affected_rows };
      }),
  };

  return [insertRow, updateRow, deleteRow, execute];
}
