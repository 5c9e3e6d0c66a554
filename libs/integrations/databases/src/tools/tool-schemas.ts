import type { ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export function writeAnnotations(idempotent: boolean): ToolAnnotations {
  return { readOnlyHint: false, destructiveHint: true, idempotentHint: idempotent, openWorldHint: false };
}

export const sqlParam = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const identifier = z.string().min(1).max(128);

export const schemaArg = identifier
  .optional()
  .describe(
    "Schema (PostgreSQL), database (MySQL) or attached database (SQLite); defaults to the connection's own.",
  );

export const tableArg = identifier.describe(
  'Table or view name, exactly as db_list_tables shows it (unquoted).',
);

export const columnValues = z
  .record(identifier, sqlParam)
  .refine((v) => Object.keys(v).length > 0 && Object.keys(v).length <= 200, 'give between 1 and 200 columns');

const tableKind = z.enum(['table', 'view', 'materialized_view', 'partitioned_table', 'foreign_table']);

export const columnMetaSchema = z.object({ name: z.string(), type: z.string() });

export const rowSetSchema = z.object({
  columns: z.array(columnMetaSchema),
  rows: z.array(z.array(z.unknown())).describe('One array per row, values in column order.'),
  rowCount: z.number().int().describe('Rows in this result (after truncation).'),
  truncated: z.boolean(),
  truncationReason: z.enum(['row_limit', 'size_limit']).nullable(),
  cellsTruncated: z.number().int().describe('Cell values cut because they were too long.'),
});

export const listSchemasOutput = z.object({
  defaultSchema: z.string(),
  schemas: z.array(z.object({ name: z.string(), tables: z.number().int() })),
});

const tableInfoSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: tableKind,
  rowEstimate: z.number().nullable(),
  comment: z.string().nullable(),
});

export const listTablesOutput = z.object({
  schema: z.string().nullable(),
  tables: z.array(tableInfoSchema),
  truncated: z.boolean(),
});

export const describeTableOutput = z.object({
  schema: z.string(),
  name: z.string(),
  kind: tableKind,
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      nullable: z.boolean(),
      default: z.string().nullable(),
      primaryKey: z.boolean(),
      generated: z.boolean(),
      comment: z.string().nullable(),
    }),
  ),
  primaryKey: z.array(z.string()),
  indexes: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()),
      unique: z.boolean(),
      primary: z.boolean(),
      definition: z.string().nullable(),
    }),
  ),
  foreignKeys: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()),
      referencedSchema: z.string(),
      referencedTable: z.string(),
      referencedColumns: z.array(z.string()),
    }),
  ),
  rowEstimate: z.number().nullable(),
  rowEstimateExact: z.boolean(),
  comment: z.string().nullable(),
});

export const explainOutput = z.object({
  plan: z.string(),
  format: z.enum(['text', 'json']),
  analyzed: z.boolean(),
});

export const writeOutput = z.object({
  affectedRows: z.number().int(),
  insertId: z
    .union([z.string(), z.number()])
    .nullable()
    .describe('Generated key of an insert (MySQL, SQLite rowid).'),
  returned: rowSetSchema
    .nullable()
    .describe('Rows the statement returned (RETURNING), where the database supports it.'),
});

export type RowSetOutput = z.infer<typeof rowSetSchema>;
export type ListSchemasOutput = z.infer<typeof listSchemasOutput>;
export type ListTablesOutput = z.infer<typeof listTablesOutput>;
export type DescribeTableOutput = z.infer<typeof describeTableOutput>;
export type ExplainOutput = z.infer<typeof explainOutput>;
export type WriteOutput = z.infer<typeof writeOutput>;
