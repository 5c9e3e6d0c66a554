import type { EgressPolicy } from '@switchboard/http-client';
import pg from 'pg';
import Cursor from 'pg-cursor';

import type { DatabaseSecrets, PostgresConfig } from '../database.config.js';
import { DatabaseToolError, isConnectionLost } from '../database.errors.js';
import type {
  CallLimits,
  DatabaseDriver,
  ExplainResult,
  SchemaInfo,
  SqlParam,
  TableDescription,
  TableInfo,
  TableKind,
  WriteOptions,
  WriteResult,
} from '../driver.js';
import { RowCollector, type ColumnMeta, type RowSet } from '../result-set.js';
import type { DriverLogger } from './driver-support.js';
import { GRACE_MS, asError, cappedText, connectFailure, tlsOptions, watchCall } from './driver-support.js';

/** Date and time types stay as PostgreSQL prints them: no time-zone shifts, no lost microseconds. */
const RAW_TEXT_OIDS = new Set([1082, 1083, 1114, 1184, 1186, 1266, 1182, 1183, 1115, 1185, 1187, 1270]);

/** bigint (int8) as a number when it is exact, as its text beyond 2^53 (pg's default is always text). */
function parseInt8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (RAW_TEXT_OIDS.has(oid)) return (value: string) => value;
    if (oid === 20) return parseInt8;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const KINDS: Record<string, TableKind> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  p: 'partitioned_table',
  f: 'foreign_table',
};

const BATCH = 200;

type ExtendedQuery = pg.QueryConfig & { queryMode: 'extended' };
type Mode = 'read' | 'write';

/** Rows of a cursor batch together with the result's field descriptions. */
function readCursor(cursor: Cursor, count: number): Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (err, rows, result) => {
      if (err) reject(err);
      else resolve({ rows: rows as unknown[][], fields: result?.fields ?? [] });
    });
  });
}

/**
 * PostgreSQL through `pg`'s pool. Reads run as `BEGIN READ ONLY` and are rolled back; on a connection
 * whose writes are off, the session default is read-only too (`default_transaction_read_only`), so
 * nothing that escapes a transaction can write either. Results stream through a cursor and stop at the
 * caps, so a huge result is never fully fetched.
 */
export class PostgresDriver implements DatabaseDriver {
  readonly dialect = 'postgres' as const;
  private readonly typeNames = new Map<string, string>();
  private schema: string | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly clientConfig: pg.ClientConfig,
    private readonly logger: DriverLogger,
  ) {}

  static async open(
    config: PostgresConfig,
    secrets: DatabaseSecrets,
    policy: EgressPolicy,
    logger: DriverLogger,
  ): Promise<PostgresDriver> {
    // Resolve and check once; the pool connects to this address, so DNS cannot move it afterwards.
    const [address] = await policy.resolve(config.host);
    if (!address) throw new DatabaseToolError('connection', `${config.host} does not resolve.`);
    const clientConfig: pg.ClientConfig = {
      host: address.address,
      port: config.port,
      database: config.database,
      user: config.user,
      ...(secrets.password !== null && { password: secrets.password }),
      ssl: tlsOptions(config.tls, config.host, secrets.clientKey),
      connectionTimeoutMillis: config.connectTimeoutMs,
      application_name: 'switchboard',
      ...(!config.allowWrites && { options: '-c default_transaction_read_only=on' }),
    };
    const pool = new pg.Pool({
      ...clientConfig,
      max: config.poolSize,
      idleTimeoutMillis: config.idleTimeoutSeconds * 1000,
      allowExitOnIdle: true,
    });
    // An idle client whose backend died emits here; without a listener the process would crash.
    pool.on('error', (error) => logger.warn('idle PostgreSQL connection closed', { error: error.message }));
    return new PostgresDriver(pool, clientConfig, logger);
  }

  async defaultSchema(limits: CallLimits): Promise<string> {
    if (this.schema !== null) return this.schema;
    const rows = await this.run('read', limits, (c) => this.rows(c, 'SELECT current_schema() AS s', []));
    this.schema = String(rows[0]?.s ?? 'public');
    return this.schema;
  }

  listSchemas(limits: CallLimits): Promise<SchemaInfo[]> {
    return this.run('read', limits, async (c) => {
      const rows = await this.rows(
        c,
        `SELECT n.nspname AS name, count(cl.oid) FILTER (WHERE cl.relkind IN ('r','v','m','p','f'))::int AS tables
           FROM pg_namespace n LEFT JOIN pg_class cl ON cl.relnamespace = n.oid
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
            AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
            AND has_schema_privilege(n.oid, 'USAGE')
          GROUP BY n.nspname ORDER BY n.nspname LIMIT $1`,
        [limits.maxRows],
      );
      return rows.map((r) => ({ name: String(r.name), tables: Number(r.tables) }));
    });
  }

  listTables(schema: string | null, limits: CallLimits): Promise<TableInfo[]> {
    return this.run('read', limits, async (c) => {
      const rows = await this.rows(
        c,
        `SELECT n.nspname AS schema, cl.relname AS name, cl.relkind AS kind, cl.reltuples::float8 AS estimate,
                obj_description(cl.oid, 'pg_class') AS comment
           FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
          WHERE cl.relkind IN ('r','v','m','p','f') AND NOT cl.relispartition
            AND ($1::text IS NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                 AND n.nspname NOT LIKE 'pg\\_%' OR n.nspname = $1::text)
          ORDER BY n.nspname, cl.relname LIMIT $2`,
        [schema, limits.maxRows],
      );
      return rows.map((r) => ({
        schema: String(r.schema),
        name: String(r.name),
        kind: KINDS[String(r.kind)] ?? 'table',
        rowEstimate: estimate(r.kind, r.estimate),
        comment: r.comment === null ? null : String(r.comment),
      }));
    });
  }

  describeTable(schema: string | null, table: string, limits: CallLimits): Promise<TableDescription | null> {
    return this.run('read', limits, async (c) => {
      const [rel] = await this.rows(
        c,
        `SELECT cl.oid::text AS oid, n.nspname AS schema, cl.relname AS name, cl.relkind AS kind,
                cl.reltuples::float8 AS estimate, obj_description(cl.oid, 'pg_class') AS comment
           FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
          WHERE cl.relname = $1 AND cl.relkind IN ('r','v','m','p','f')
            AND n.nspname = COALESCE($2::text, current_schema())`,
        [table, schema],
      );
      if (!rel) return null;
      const oid = String(rel.oid);
      const columns = await this.rows(
        c,
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                pg_get_expr(d.adbin, d.adrelid) AS "default", col_description(a.attrelid, a.attnum) AS comment,
                (a.attidentity <> '' OR a.attgenerated <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS generated
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum`,
        [oid],
      );
      const indexes = await this.rows(
        c,
        `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
                pg_get_indexdef(ix.indexrelid) AS definition,
                ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                       ORDER BY k.ord) AS columns
           FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
          WHERE ix.indrelid = $1::oid ORDER BY ix.indisprimary DESC, i.relname`,
        [oid],
      );
      const foreignKeys = await this.rows(
        c,
        `SELECT con.conname AS name, fn.nspname AS ref_schema, fc.relname AS ref_table,
                ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
                ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
           FROM pg_constraint con JOIN pg_class fc ON fc.oid = con.confrelid
           JOIN pg_namespace fn ON fn.oid = fc.relnamespace
          WHERE con.conrelid = $1::oid AND con.contype = 'f' ORDER BY con.conname`,
        [oid],
      );
      const primary = indexes.find((i) => i.primary === true);
      const primaryKey = primary ? (primary.columns as string[]) : [];
      return {
        schema: String(rel.schema),
        name: String(rel.name),
        kind: KINDS[String(rel.kind)] ?? 'table',
        columns: columns.map((col) => ({
          name: String(col.name),
          type: String(col.type),
          nullable: col.nullable === true,
          default: col.default === null ? null : String(col.default),
          primaryKey: primaryKey.includes(String(col.name)),
          generated: col.generated === true,
          comment: col.comment === null ? null : String(col.comment),
        })),
        primaryKey,
        indexes: indexes.map((i) => ({
          name: String(i.name),
          columns: i.columns as string[],
          unique: i.unique === true,
          primary: i.primary === true,
          definition: String(i.definition),
        })),
        foreignKeys: foreignKeys.map((f) => ({
          name: String(f.name),
          columns: f.columns as string[],
          referencedSchema: String(f.ref_schema),
          referencedTable: String(f.ref_table),
          referencedColumns: f.ref_columns as string[],
        })),
        rowEstimate: estimate(rel.kind, rel.estimate),
        rowEstimateExact: false,
        comment: rel.comment === null ? null : String(rel.comment),
      };
    });
  }

  query(sql: string, params: readonly SqlParam[], limits: CallLimits): Promise<RowSet> {
    return this.run('read', limits, async (c) => {
      const { collector, fields } = await this.stream(c, sql, params, limits, true);
      return collector.finish(await this.columnMeta(c, fields));
    });
  }

  explain(
    sql: string,
    params: readonly SqlParam[],
    analyze: boolean,
    limits: CallLimits,
  ): Promise<ExplainResult> {
    return this.run('read', limits, async (c) => {
      const query: ExtendedQuery = {
        text: `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}FORMAT TEXT) ${sql}`,
        values: [...params],
        queryMode: 'extended',
      };
      const result = await c.query<{ 'QUERY PLAN': string }>(query);
      const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
      return { plan: cappedText(plan, limits.maxBytes), format: 'text', analyzed: analyze };
    });
  }

  execute(sql: string, params: readonly SqlParam[], options: WriteOptions): Promise<WriteResult> {
    return this.run('write', options, async (c) => {
      const { collector, fields, rowCount, seen } = await this.stream(c, sql, params, options, false);
      const affectedRows = rowCount ?? seen;
      if (affectedRows > options.maxAffectedRows) {
        throw new DatabaseToolError(
          'too_many_rows',
          `The statement would change ${affectedRows} rows, more than the limit of ${options.maxAffectedRows}; it was rolled back and nothing changed.`,
        );
      }
      return {
        affectedRows,
        returned: fields.length > 0 ? collector.finish(await this.columnMeta(c, fields)) : null,
        insertId: null,
      };
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Streams a statement through a cursor into a capped collector. For reads it stops at the caps; for
   * writes it reads to the end (the statement has run by then anyway) to learn how many rows changed.
   */
  private async stream(
    client: pg.PoolClient,
    sql: string,
    params: readonly SqlParam[],
    limits: CallLimits,
    stopWhenFull: boolean,
  ): Promise<{ collector: RowCollector; fields: pg.FieldDef[]; rowCount: number | null; seen: number }> {
    const cursor = client.query(new Cursor(sql, [...params], { rowMode: 'array', types }));
    const collector = new RowCollector(limits);
    let fields: pg.FieldDef[] = [];
    let seen = 0;
    let rowCount: number | null = null;
    for (;;) {
      // On an error the cursor is left alone: closing it waits for a server that may be gone, and the
      // transaction's rollback closes the portal anyway.
      const batch = await readCursor(cursor, Math.min(BATCH, limits.maxRows + 1));
      if (fields.length === 0) fields = batch.fields;
      seen += batch.rows.length;
      for (const row of batch.rows) collector.add(row);
      if (batch.rows.length === 0) {
        rowCount =
          (cursor as unknown as { _result?: { rowCount?: number | null } })._result?.rowCount ?? null;
        break;
      }
      if (stopWhenFull && collector.full) break;
    }
    await cursor.close();
    return { collector, fields, rowCount, seen };
  }

  /** Type names for result columns (`numeric(10,2)`, `timestamp with time zone`), cached per pool. */
  private async columnMeta(client: pg.PoolClient, fields: readonly pg.FieldDef[]): Promise<ColumnMeta[]> {
    const key = (f: pg.FieldDef) => `${f.dataTypeID}:${f.dataTypeModifier}`;
    const missing = fields.filter((f) => !this.typeNames.has(key(f)));
    if (missing.length > 0) {
      const rows = await this.rows(
        client,
        'SELECT x.o::int AS oid, x.m AS mod, format_type(x.o, x.m) AS name FROM unnest($1::oid[], $2::int[]) AS x(o, m)',
        [missing.map((f) => f.dataTypeID), missing.map((f) => f.dataTypeModifier)],
      );
      for (const r of rows) this.typeNames.set(`${r.oid}:${r.mod}`, String(r.name ?? 'unknown'));
    }
    return fields.map((f) => ({ name: f.name, type: this.typeNames.get(key(f)) ?? 'unknown' }));
  }

  private async rows(
    client: pg.PoolClient,
    text: string,
    values: readonly unknown[],
  ): Promise<Record<string, unknown>[]> {
    const query: ExtendedQuery = { text, values: [...values], queryMode: 'extended', types };
    return (await client.query(query)).rows as Record<string, unknown>[];
  }

  /**
   * Runs `body` in a transaction on a pooled client with the statement timeout set. A client whose
   * connection was lost (backend terminated, server restarted) is discarded, and a read — or a write
   * that had not started — is tried once more on a fresh connection.
   */
  private async run<T>(
    mode: Mode,
    limits: CallLimits,
    body: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (limits.signal?.aborted) throw new DatabaseToolError('cancelled', 'The call was cancelled.');
      const client = await this.pool.connect().catch((error: unknown) => {
        throw connectFailure(error);
      });
      let started = false;
      const watch = watchCall(limits, () => {
        // The server keeps running a statement after its client goes away: cancel it there too.
        void this.cancelBackend((client as unknown as { processID?: number }).processID);
        void client.end().catch(() => undefined);
      });
      try {
        const timeout = Math.max(1, Math.floor(limits.timeoutMs));
        await client.query(
          `BEGIN ${mode === 'read' ? 'READ ONLY' : 'READ WRITE'};` +
            ` SET LOCAL statement_timeout = ${timeout}; SET LOCAL lock_timeout = ${timeout};` +
            ` SET LOCAL idle_in_transaction_session_timeout = ${timeout + GRACE_MS + 5000}`,
        );
        started = true;
        const result = await body(client);
        await client.query(mode === 'read' ? 'ROLLBACK' : 'COMMIT');
        client.release();
        return result;
      } catch (error) {
        const stopped = watch.stoppedBecause();
        if (stopped !== null) {
          client.release(asError(error));
          throw watch.error(stopped);
        }
        if (isConnectionLost(error)) {
          client.release(asError(error));
          if (attempt === 0 && (mode === 'read' || !started)) {
            this.logger.info('PostgreSQL connection lost; retrying on a fresh one', { attempt });
            continue;
          }
          throw error;
        }
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackError: unknown) => client.release(asError(rollbackError)),
        );
        throw error;
      } finally {
        watch.dispose();
      }
    }
  }

  /** Best effort: ask the server to cancel whatever `pid` runs, over a separate short-lived connection. */
  private async cancelBackend(pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    const client = new pg.Client({ ...this.clientConfig, connectionTimeoutMillis: 5000, options: undefined });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch (error) {
      this.logger.warn('could not cancel a PostgreSQL query', { error: (error as Error).message });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function estimate(kind: unknown, value: unknown): number | null {
  if (kind === 'v' || kind === 'f') return null;
  const n = Number(value);
  // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+).
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}
