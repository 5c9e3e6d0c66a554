import type { Dialect } from './database.config.js';
import type { JsonValue, ResultCaps, RowSet } from './result-set.js';

/** A bound parameter value. Values never become part of the SQL text. */
export type SqlParam = string | number | boolean | null;

/** What one database call may use. */
export interface CallLimits extends ResultCaps {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface SchemaInfo {
  readonly name: string;
  readonly tables: number;
}

export type TableKind = 'table' | 'view' | 'materialized_view' | 'partitioned_table' | 'foreign_table';

export interface TableInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: TableKind;
  /** The planner's estimate (PostgreSQL, MySQL) or a bounded count (SQLite); null when unknown. */
  readonly rowEstimate: number | null;
  readonly comment: string | null;
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly primaryKey: boolean;
  /** Identity, auto-increment or generated: the database fills it in. */
  readonly generated: boolean;
  readonly comment: string | null;
}

export interface IndexInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly primary: boolean;
  readonly definition: string | null;
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
}

export interface TableDescription {
  readonly schema: string;
  readonly name: string;
  readonly kind: TableKind;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
  readonly rowEstimate: number | null;
  /** True when `rowEstimate` is an exact count (small SQLite tables). */
  readonly rowEstimateExact: boolean;
  readonly comment: string | null;
}

export interface ExplainResult {
  /** The plan as the database prints it (text, or JSON text for MySQL/MariaDB). */
  readonly plan: string;
  readonly format: 'text' | 'json';
  readonly analyzed: boolean;
}

export interface WriteResult {
  readonly affectedRows: number;
  /** Rows the statement returned (RETURNING), when the dialect supports it. */
  readonly returned: RowSet | null;
  /** MySQL's generated key of an insert. */
  readonly insertId: JsonValue;
}

export interface WriteOptions extends CallLimits {
  /** Roll back and fail when the statement changes more rows than this. */
  readonly maxAffectedRows: number;
}

/**
 * One connected database. Reads run in a read-only transaction that is always rolled back; writes in a
 * read-write transaction committed only when within `maxAffectedRows`. Every call has a statement
 * timeout and capped results. Implementations are shared by concurrent calls (they own a pool).
 */
export interface DatabaseDriver {
  readonly dialect: Dialect;
  /** The schema unqualified names resolve in (`public`, the MySQL database, `main`). */
  defaultSchema(limits: CallLimits): Promise<string>;
  listSchemas(limits: CallLimits): Promise<SchemaInfo[]>;
  listTables(schema: string | null, limits: CallLimits): Promise<TableInfo[]>;
  describeTable(schema: string | null, table: string, limits: CallLimits): Promise<TableDescription | null>;
  query(sql: string, params: readonly SqlParam[], limits: CallLimits): Promise<RowSet>;
  explain(
    sql: string,
    params: readonly SqlParam[],
    analyze: boolean,
    limits: CallLimits,
  ): Promise<ExplainResult>;
  execute(sql: string, params: readonly SqlParam[], options: WriteOptions): Promise<WriteResult>;
  close(): Promise<void>;
}
