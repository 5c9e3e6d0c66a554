import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

import type { SqliteConfig } from '../database.config.js';
import { DatabaseToolError } from '../database.errors.js';
import type {
  CallLimits,
  DatabaseDriver,
  ExplainResult,
  SchemaInfo,
  SqlParam,
  TableDescription,
  TableInfo,
  WriteOptions,
  WriteResult,
} from '../driver.js';
import { RowCollector, toJsonValue, type RowSet } from '../result-set.js';
import { quoteIdent, tokenize } from '../sql-guard.js';
import { cappedText, type DriverLogger } from './driver-support.js';
import { SqliteProcessPool, type SqliteCall } from './sqlite-process-pool.js';
import type { SqliteResponse } from './sqlite.process.js';

/** Tables up to this size get an exact count in describe; larger ones are reported as "more than". */
const COUNT_CAP = 100_000;

type Ok = Extract<SqliteResponse, { ok: true }>;

/**
 * Resolves a connection's file inside the operator's SQLite directory; symbolic links are followed first,
 * so neither `..` nor a link can reach the platform's own files.
 */
export async function resolveSqlitePath(directory: string, path: string): Promise<string> {
  let root: string;
  let file: string;
  try {
    root = await realpath(directory);
    file = await realpath(resolve(root, path));
  } catch {
    throw new DatabaseToolError('configuration', `SQLite database "${path}" does not exist.`);
  }
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new DatabaseToolError(
      'configuration',
      `SQLite database "${path}" is outside the SQLite directory.`,
    );
  }
  return file;
}

/**
 * SQLite through better-sqlite3, one process per connection slot (see `sqlite.process.ts`). A connection
 * whose writes are off opens the file read-only; every read runs with `PRAGMA query_only`.
 */
export class SqliteDriver implements DatabaseDriver {
  readonly dialect = 'sqlite' as const;

  private constructor(private readonly pool: SqliteProcessPool) {}

  static async open(
    config: SqliteConfig,
    directory: string | null,
    logger: DriverLogger,
  ): Promise<SqliteDriver> {
    if (directory === null) {
      throw new DatabaseToolError(
        'configuration',
        'SQLite connections are disabled on this installation: the operator has not configured a SQLite directory.',
      );
    }
    const path = await resolveSqlitePath(directory, config.path);
    const pool = new SqliteProcessPool(
      { path, readOnly: !config.allowWrites, busyTimeoutMs: Math.min(config.statementTimeoutMs, 5000) },
      config.poolSize,
      config.idleTimeoutSeconds * 1000,
      logger,
    );
    return new SqliteDriver(pool);
  }

  async defaultSchema(): Promise<string> {
    return 'main';
  }

  async listSchemas(limits: CallLimits): Promise<SchemaInfo[]> {
    const schemas = await this.schemaNames(limits);
    const out: SchemaInfo[] = [];
    for (const name of schemas.slice(0, limits.maxRows)) {
      const rows = await this.read(
        `SELECT count(*) FROM ${quoteIdent(name, 'sqlite')}.sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
        [],
        limits,
      );
      out.push({ name, tables: Number(rows.rows[0]?.[0] ?? 0) });
    }
    return out;
  }

  async listTables(schema: string | null, limits: CallLimits): Promise<TableInfo[]> {
    const name = await this.checkSchema(schema, limits);
    if (name === null) return [];
    const result = await this.read(
      `SELECT name, type FROM ${quoteIdent(name, 'sqlite')}.sqlite_schema
        WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name LIMIT ?`,
      [limits.maxRows],
      limits,
    );
    return result.rows.map((r) => ({
      schema: name,
      name: String(r[0]),
      kind: r[1] === 'view' ? 'view' : 'table',
      rowEstimate: null,
      comment: null,
    }));
  }

  async describeTable(
    schema: string | null,
    table: string,
    limits: CallLimits,
  ): Promise<TableDescription | null> {
    const schemaName = await this.checkSchema(schema, limits);
    if (schemaName === null) return null;
    const q = quoteIdent(schemaName, 'sqlite');
    const found = await this.read(
      `SELECT name, type FROM ${q}.sqlite_schema WHERE type IN ('table', 'view') AND name = ?`,
      [table],
      limits,
    );
    const rel = found.rows[0];
    if (!rel) return null;
    const name = String(rel[0]);
    const kind = rel[1] === 'view' ? 'view' : 'table';
    // Table-valued pragmas take the table and schema as bound parameters: no name is ever spliced in.
    const columns = await this.read(
      'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid',
      [name, schemaName],
      limits,
    );
    const indexList = await this.read(
      'SELECT name, "unique", origin FROM pragma_index_list(?, ?) ORDER BY name',
      [name, schemaName],
      limits,
    );
    const fks = await this.read(
      'SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq',
      [name, schemaName],
      limits,
    );
    const pkColumns = columns.rows
      .filter((c) => Number(c[4]) > 0)
      .sort((a, b) => Number(a[4]) - Number(b[4]))
      .map((c) => String(c[0]));
    const indexes = [];
    for (const row of indexList.rows) {
      const indexName = String(row[0]);
      const cols = await this.read(
        'SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno',
        [indexName, schemaName],
        limits,
      );
      indexes.push({
        name: indexName,
        columns: cols.rows.map((c) => String(c[0])),
        unique: Number(row[1]) === 1,
        primary: row[2] === 'pk',
        definition: null,
      });
    }
    const foreignKeys = new Map<
      string,
      {
        name: string;
        columns: string[];
        referencedSchema: string;
        referencedTable: string;
        referencedColumns: string[];
      }
    >();
    for (const fk of fks.rows) {
      const id = `fk_${String(fk[0])}`;
      const entry = foreignKeys.get(id) ?? {
        name: id,
        columns: [],
        referencedSchema: schemaName,
        referencedTable: String(fk[1]),
        referencedColumns: [],
      };
      entry.columns.push(String(fk[2]));
      entry.referencedColumns.push(fk[3] === null ? '(primary key)' : String(fk[3]));
      foreignKeys.set(id, entry);
    }
    const counted = await this.read(
      `SELECT count(*) FROM (SELECT 1 FROM ${q}.${quoteIdent(name, 'sqlite')} LIMIT ${COUNT_CAP + 1})`,
      [],
      limits,
    );
    const count = Number(counted.rows[0]?.[0] ?? 0);
    const rowidAlias =
      pkColumns.length === 1 &&
      columns.rows.some((c) => String(c[0]) === pkColumns[0] && /^INTEGER$/i.test(String(c[1])));
    return {
      schema: schemaName,
      name,
      kind,
      columns: columns.rows.map((c) => ({
        name: String(c[0]),
        type: String(c[1] ?? ''),
        nullable: Number(c[2]) === 0 && Number(c[4]) === 0,
        default: c[3] === null ? null : String(c[3]),
        primaryKey: Number(c[4]) > 0,
        // hidden 2/3: generated columns; an INTEGER PRIMARY KEY is the rowid, assigned by SQLite.
        generated: Number(c[5]) >= 2 || (rowidAlias && String(c[0]) === pkColumns[0]),
        comment: null,
      })),
      primaryKey: pkColumns,
      indexes,
      foreignKeys: [...foreignKeys.values()],
      rowEstimate: Math.min(count, COUNT_CAP),
      rowEstimateExact: count <= COUNT_CAP,
      comment: null,
    };
  }

  async query(sql: string, params: readonly SqlParam[], limits: CallLimits): Promise<RowSet> {
    return this.read(sql, params, limits);
  }

  async explain(
    sql: string,
    params: readonly SqlParam[],
    analyze: boolean,
    limits: CallLimits,
  ): Promise<ExplainResult> {
    if (analyze) {
      throw new DatabaseToolError(
        'rejected',
        'SQLite has no EXPLAIN ANALYZE; run the query with db_query to measure it.',
      );
    }
    const result = await this.read(`EXPLAIN QUERY PLAN ${sql}`, params, { ...limits, maxRows: 10_000 });
    // Rows are (id, parent, notused, detail); indent each step under its parent.
    const depth = new Map<number, number>([[0, -1]]);
    const lines = result.rows.map((r) => {
      const level = (depth.get(Number(r[1])) ?? -1) + 1;
      depth.set(Number(r[0]), level);
      return `${'  '.repeat(level)}${String(r[3])}`;
    });
    return { plan: cappedText(lines.join('\n'), limits.maxBytes), format: 'text', analyzed: false };
  }

  async execute(sql: string, params: readonly SqlParam[], options: WriteOptions): Promise<WriteResult> {
    const response = await this.call(
      {
        kind: 'write',
        sql,
        params,
        maxRows: options.maxRows,
        maxBytes: options.maxBytes,
        maxAffectedRows: options.maxAffectedRows,
      },
      options,
    );
    const collector = new RowCollector(options);
    for (const row of response.rows) collector.add(row);
    if (response.more) collector.markTruncated();
    const note = { cut: false };
    return {
      affectedRows: response.changes,
      returned: response.columns.length > 0 ? collector.finish(response.columns.map(columnMeta)) : null,
      insertId:
        response.lastInsertRowid === null || !isInsert(sql)
          ? null
          : toJsonValue(BigInt(response.lastInsertRowid), 64, note),
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async read(sql: string, params: readonly SqlParam[], limits: CallLimits): Promise<RowSet> {
    const response = await this.call(
      {
        kind: 'read',
        sql,
        params,
        maxRows: limits.maxRows + 1,
        maxBytes: limits.maxBytes * 2,
        maxAffectedRows: 0,
      },
      limits,
    );
    const collector = new RowCollector(limits);
    for (const row of response.rows) if (!collector.add(row)) break;
    if (response.more) collector.markTruncated();
    return collector.finish(response.columns.map(columnMeta));
  }

  private async call(call: SqliteCall, limits: CallLimits | WriteOptions): Promise<Ok> {
    const response = await this.pool.run(call, limits);
    if (response.ok) return response;
    if (response.error.tooManyRows !== undefined) {
      const max = 'maxAffectedRows' in limits ? limits.maxAffectedRows : 0;
      throw new DatabaseToolError(
        'too_many_rows',
        `The statement would change ${response.error.tooManyRows} rows, more than the limit of ${max}; it was rolled back and nothing changed.`,
      );
    }
    throw Object.assign(
      new Error(response.error.message),
      response.error.code ? { code: response.error.code } : {},
    );
  }

  private async schemaNames(limits: CallLimits): Promise<string[]> {
    const rows = await this.read('SELECT name FROM pragma_database_list ORDER BY seq', [], limits);
    return rows.rows.map((r) => String(r[0]));
  }

  private async checkSchema(schema: string | null, limits: CallLimits): Promise<string | null> {
    if (schema === null) return 'main';
    const names = await this.schemaNames(limits);
    return names.includes(schema) ? schema : null;
  }
}

/** SQLite's last_insert_rowid() is left over from an earlier insert after an UPDATE or DELETE. */
function isInsert(sql: string): boolean {
  const first = tokenize(sql, 'sqlite')[0]?.find((t) => t.kind === 'word');
  return first?.value === 'INSERT' || first?.value === 'REPLACE';
}

function columnMeta(c: { name: string; type: string | null }) {
  return { name: c.name, type: c.type ?? 'unknown' };
}
