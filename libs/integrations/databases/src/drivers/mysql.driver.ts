import { connect as netConnect } from 'node:net';

import type { EgressPolicy, ResolvedAddress } from '@switchboard/http-client';
import mysql from 'mysql2';

import type { DatabaseSecrets, MysqlConfig } from '../database.config.js';
import { DatabaseToolError, isConnectionLost } from '../database.errors.js';
import type {
  CallLimits,
  DatabaseDriver,
  ExplainResult,
  ForeignKeyInfo,
  IndexInfo,
  SchemaInfo,
  SqlParam,
  TableDescription,
  TableInfo,
  WriteOptions,
  WriteResult,
} from '../driver.js';
import { RowCollector, toJsonValue, type ColumnMeta, type RowSet } from '../result-set.js';
import { cappedText, connectFailure, tlsOptions, watchCall, type DriverLogger } from './driver-support.js';

const SYSTEM_SCHEMAS = "('mysql', 'information_schema', 'performance_schema', 'sys')";

/**
 * The SQL tokenizer assumes backslash escapes and double-quoted strings (MySQL's defaults); a server
 * configured otherwise would disagree with it about where a string ends, so sessions reset both.
 */
const SESSION_SETUP = `SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',ANSI_QUOTES,', ','))`;

const TYPE_NAMES: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  15: 'varchar',
  16: 'bit',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'tinyblob',
  250: 'mediumblob',
  251: 'longblob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
};

type Mode = 'read' | 'write';
type Row = Record<string, unknown>;

/** A pooled connection for one call; `discard` drops it (the server then ends what it was doing). */
interface Session {
  readonly conn: mysql.PoolConnection;
  discarded: boolean;
}

interface StreamOutcome {
  readonly collector: RowCollector;
  readonly columns: ColumnMeta[];
  readonly header: mysql.ResultSetHeader | null;
}

/**
 * MySQL and MariaDB through `mysql2`. Reads run as `START TRANSACTION READ ONLY` and are rolled back; on a
 * connection whose writes are off the session is read-only too. The statement timeout is the server's
 * own (`max_statement_time` on MariaDB, `max_execution_time` on MySQL). Parameters are bound with
 * server-side prepared statements; multi-statements and LOCAL INFILE are switched off at the protocol.
 */
export class MysqlDriver implements DatabaseDriver {
  readonly dialect = 'mysql' as const;
  private mariadb: boolean | null = null;
  private schema: string | null = null;

  private constructor(
    private readonly pool: mysql.Pool,
    private readonly options: mysql.ConnectionOptions,
    private readonly logger: DriverLogger,
  ) {}

  static async open(
    config: MysqlConfig,
    secrets: DatabaseSecrets,
    policy: EgressPolicy,
    logger: DriverLogger,
  ): Promise<MysqlDriver> {
    const [address] = await policy.resolve(config.host);
    if (!address) throw new DatabaseToolError('connection', `${config.host} does not resolve.`);
    const tls = tlsOptions(config.tls, config.host, secrets.clientKey);
    const options: mysql.ConnectionOptions = {
      // `host` stays the configured name so TLS checks the certificate against it; the socket itself goes
      // to the address the egress policy checked.
      host: config.host,
      port: config.port,
      stream: () => pinnedSocket(address, config.port),
      user: config.user,
      ...(secrets.password !== null && { password: secrets.password }),
      database: config.database,
      ...(tls !== false && {
        ssl: {
          rejectUnauthorized: tls.rejectUnauthorized,
          verifyIdentity: tls.rejectUnauthorized,
          ...(tls.ca !== undefined && { ca: tls.ca }),
          ...(tls.cert !== undefined && { cert: tls.cert, key: tls.key }),
        },
      }),
      connectTimeout: config.connectTimeoutMs,
      multipleStatements: false,
      flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS'],
      dateStrings: true,
      // Big integers become numbers when exact, strings beyond 2^53; decimals always stay strings.
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      charset: 'utf8mb4_general_ci',
      maxPreparedStatements: 64,
    };
    const pool = mysql.createPool({
      ...options,
      connectionLimit: config.poolSize,
      // mysql2 only closes idle connections (after idleTimeout) when maxIdle is below the limit.
      maxIdle: Math.max(1, config.poolSize - 1),
      idleTimeout: config.idleTimeoutSeconds * 1000,
      queueLimit: 200,
      enableKeepAlive: true,
    });
    pool.on('connection', (conn) => {
      const log = (err: unknown) => {
        if (err) logger.warn('MySQL session setup failed', { error: (err as Error).message });
      };
      conn.query(SESSION_SETUP, log);
      if (!config.allowWrites) conn.query('SET SESSION TRANSACTION READ ONLY', log);
    });
    return new MysqlDriver(pool, options, logger);
  }

  async defaultSchema(limits: CallLimits): Promise<string> {
    if (this.schema !== null) return this.schema;
    const rows = await this.run('read', limits, (s) => this.rows(s, 'SELECT DATABASE() AS s', []));
    this.schema = String(rows[0]?.s ?? '');
    return this.schema;
  }

  listSchemas(limits: CallLimits): Promise<SchemaInfo[]> {
    return this.run('read', limits, async (s) => {
      const rows = await this.rows(
        s,
        `SELECT s.SCHEMA_NAME AS name, COUNT(t.TABLE_NAME) AS tables
           FROM information_schema.SCHEMATA s
           LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME
            AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
          WHERE s.SCHEMA_NAME NOT IN ${SYSTEM_SCHEMAS}
          GROUP BY s.SCHEMA_NAME ORDER BY s.SCHEMA_NAME LIMIT ${Math.floor(limits.maxRows)}`,
        [],
      );
      return rows.map((r) => ({ name: String(r.name), tables: Number(r.tables) }));
    });
  }

  listTables(schema: string | null, limits: CallLimits): Promise<TableInfo[]> {
    return this.run('read', limits, async (s) => {
      const rows = await this.rows(
        s,
        `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_ROWS AS estimate,
                TABLE_COMMENT AS comment
           FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
          ORDER BY TABLE_NAME LIMIT ${Math.floor(limits.maxRows)}`,
        [schema],
      );
      return rows.map((r) => ({
        schema: String(r.schema),
        name: String(r.name),
        kind: r.kind === 'VIEW' ? 'view' : 'table',
        rowEstimate: r.kind === 'VIEW' || r.estimate === null ? null : Number(r.estimate),
        comment: r.comment ? String(r.comment) : null,
      }));
    });
  }

  describeTable(schema: string | null, table: string, limits: CallLimits): Promise<TableDescription | null> {
    return this.run('read', limits, async (s) => {
      const [rel] = await this.rows(
        s,
        `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_ROWS AS estimate,
                TABLE_COMMENT AS comment
           FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?`,
        [schema, table],
      );
      if (!rel) return null;
      const where = [String(rel.schema), String(rel.name)];
      const columns = await this.rows(
        s,
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt,
                COLUMN_KEY AS colkey, EXTRA AS extra, COLUMN_COMMENT AS comment
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
        where,
      );
      const stats = await this.rows(
        s,
        `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col
           FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
          ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
        where,
      );
      const keys = await this.rows(
        s,
        `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS col, REFERENCED_TABLE_SCHEMA AS ref_schema,
                REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_col
           FROM information_schema.KEY_COLUMN_USAGE
          WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
          ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
        where,
      );
      const indexes = new Map<string, IndexInfo & { columns: string[] }>();
      for (const r of stats) {
        const name = String(r.name);
        const entry = indexes.get(name) ?? {
          name,
          columns: [],
          unique: Number(r.non_unique) === 0,
          primary: name === 'PRIMARY',
          definition: null,
        };
        if (r.col !== null) entry.columns.push(String(r.col));
        indexes.set(name, entry);
      }
      const foreignKeys = new Map<
        string,
        ForeignKeyInfo & { columns: string[]; referencedColumns: string[] }
      >();
      for (const r of keys) {
        const name = String(r.name);
        const entry = foreignKeys.get(name) ?? {
          name,
          columns: [],
          referencedSchema: String(r.ref_schema),
          referencedTable: String(r.ref_table),
          referencedColumns: [],
        };
        entry.columns.push(String(r.col));
        entry.referencedColumns.push(String(r.ref_col));
        foreignKeys.set(name, entry);
      }
      const primaryKey = indexes.get('PRIMARY')?.columns ?? [];
      return {
        schema: String(rel.schema),
        name: String(rel.name),
        kind: rel.kind === 'VIEW' ? 'view' : 'table',
        columns: columns.map((c) => ({
          name: String(c.name),
          type: String(c.type),
          nullable: c.nullable === 'YES',
          // MariaDB reports "no default" on a nullable column as the text NULL.
          default: c.dflt === null || c.dflt === 'NULL' ? null : String(c.dflt),
          primaryKey: primaryKey.includes(String(c.name)),
          generated: /auto_increment|generated|persistent|virtual/i.test(String(c.extra ?? '')),
          comment: c.comment ? String(c.comment) : null,
        })),
        primaryKey,
        indexes: [...indexes.values()],
        foreignKeys: [...foreignKeys.values()],
        rowEstimate: rel.kind === 'VIEW' || rel.estimate === null ? null : Number(rel.estimate),
        rowEstimateExact: false,
        comment: rel.comment ? String(rel.comment) : null,
      };
    });
  }

  query(sql: string, params: readonly SqlParam[], limits: CallLimits): Promise<RowSet> {
    return this.run('read', limits, async (s) => {
      const { collector, columns } = await this.stream(s, sql, params, limits, true);
      return collector.finish(columns);
    });
  }

  explain(
    sql: string,
    params: readonly SqlParam[],
    analyze: boolean,
    limits: CallLimits,
  ): Promise<ExplainResult> {
    return this.run('read', limits, async (s) => {
      const mariadb = await this.isMariaDb(s);
      // MariaDB: ANALYZE FORMAT=JSON runs the query; MySQL 8: EXPLAIN ANALYZE prints a text tree.
      const prefix = analyze ? (mariadb ? 'ANALYZE FORMAT=JSON' : 'EXPLAIN ANALYZE') : 'EXPLAIN FORMAT=JSON';
      const { collector } = await this.stream(
        s,
        `${prefix} ${sql}`,
        params,
        { ...limits, maxCellChars: limits.maxBytes },
        true,
      );
      const rows = collector.finish([]).rows;
      const text = rows.map((r) => String(r[0] ?? '')).join('\n');
      const json = !(analyze && !mariadb);
      let plan = text;
      if (json) {
        try {
          plan = JSON.stringify(JSON.parse(text), null, 1);
        } catch {
          // Not JSON after all (a cut value); keep the text as it came.
        }
      }
      return { plan: cappedText(plan, limits.maxBytes), format: json ? 'json' : 'text', analyzed: analyze };
    });
  }

  execute(sql: string, params: readonly SqlParam[], options: WriteOptions): Promise<WriteResult> {
    return this.run('write', options, async (s) => {
      const { collector, columns, header } = await this.stream(s, sql, params, options, false);
      const affectedRows = header?.affectedRows ?? 0;
      if (affectedRows > options.maxAffectedRows) {
        throw new DatabaseToolError(
          'too_many_rows',
          `The statement would change ${affectedRows} rows, more than the limit of ${options.maxAffectedRows}; it was rolled back and nothing changed.`,
        );
      }
      const note = { cut: false };
      return {
        affectedRows,
        returned: columns.length > 0 ? collector.finish(columns) : null,
        insertId: header && header.insertId ? toJsonValue(header.insertId, 64, note) : null,
      };
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.pool.end(() => resolve()));
  }

  private async isMariaDb(s: Session): Promise<boolean> {
    if (this.mariadb === null) {
      const [row] = await this.rows(s, 'SELECT VERSION() AS v', []);
      this.mariadb = /mariadb/i.test(String(row?.v ?? ''));
    }
    return this.mariadb;
  }

  /**
   * Runs one statement and feeds its rows to a capped collector. Parameters go through the binary
   * (prepared) protocol; a statement without parameters through the text protocol, which cannot carry
   * a second statement either (multi-statements are off). A read that reaches the caps drops the
   * connection, which is the only way to stop a MySQL server sending the rest of a result.
   */
  private stream(
    s: Session,
    sql: string,
    params: readonly SqlParam[],
    limits: CallLimits,
    stopWhenFull: boolean,
  ): Promise<StreamOutcome> {
    return new Promise((resolve, reject) => {
      const collector = new RowCollector(limits);
      let columns: ColumnMeta[] = [];
      let header: mysql.ResultSetHeader | null = null;
      let settled = false;
      const options: mysql.QueryOptions = { sql, rowsAsArray: true };
      const command = params.length > 0 ? s.conn.execute(options, [...params]) : s.conn.query(options);
      command.on('fields', (fields: mysql.FieldPacket[] | undefined) => {
        // Statements without a result set (INSERT, UPDATE…) announce no fields.
        if (fields) columns = fields.map((f) => ({ name: f.name, type: fieldType(f) }));
      });
      command.on('result', (row: unknown) => {
        if (settled) return;
        if (!Array.isArray(row)) {
          header = row as mysql.ResultSetHeader;
          return;
        }
        collector.add(row);
        if (stopWhenFull && collector.full) {
          settled = true;
          s.discarded = true;
          s.conn.destroy();
          resolve({ collector, columns, header });
        }
      });
      command.on('error', (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
      });
      command.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ collector, columns, header });
      });
    });
  }

  private rows(s: Session, sql: string, params: readonly unknown[]): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      const done = (err: mysql.QueryError | null, result: unknown) =>
        err ? reject(err) : resolve(result as Row[]);
      if (params.length > 0) s.conn.execute(sql, params as SqlParam[], done);
      else s.conn.query(sql, done);
    });
  }

  private command(s: Session, sql: string): Promise<void> {
    return new Promise((resolve, reject) => s.conn.query(sql, (err) => (err ? reject(err) : resolve())));
  }

  private connection(): Promise<mysql.PoolConnection> {
    return new Promise((resolve, reject) =>
      this.pool.getConnection((err, conn) => (err ? reject(connectFailure(err)) : resolve(conn))),
    );
  }

  /**
   * Runs `body` in a transaction with the server-side statement timeout. A connection the server killed
   * or lost is discarded and a read (or a write that had not started) is tried once more.
   */
  private async run<T>(mode: Mode, limits: CallLimits, body: (s: Session) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (limits.signal?.aborted) throw new DatabaseToolError('cancelled', 'The call was cancelled.');
      const session: Session = { conn: await this.connection(), discarded: false };
      let started = false;
      const watch = watchCall(limits, () => {
        void this.killQuery(session.conn.threadId);
        session.discarded = true;
        session.conn.destroy();
      });
      try {
        const mariadb = await this.isMariaDb(session);
        const ms = Math.max(1, Math.floor(limits.timeoutMs));
        await this.command(
          session,
          mariadb
            ? `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`
            : `SET SESSION max_execution_time = ${ms}`,
        );
        await this.command(
          session,
          mode === 'read' ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION READ WRITE',
        );
        started = true;
        const result = await body(session);
        if (!session.discarded) {
          await this.command(session, mode === 'read' ? 'ROLLBACK' : 'COMMIT');
          session.conn.release();
        }
        return result;
      } catch (error) {
        const stopped = watch.stoppedBecause();
        if (stopped !== null) throw watch.error(stopped);
        if (isConnectionLost(error) || session.discarded) {
          if (!session.discarded) session.conn.destroy();
          if (attempt === 0 && (mode === 'read' || !started)) {
            this.logger.info('MySQL connection lost; retrying on a fresh one', { attempt });
            continue;
          }
          throw error;
        }
        await this.command(session, 'ROLLBACK').then(
          () => session.conn.release(),
          () => session.conn.destroy(),
        );
        throw error;
      } finally {
        watch.dispose();
      }
    }
  }

  /** Best effort: stop the statement `threadId` runs, from a separate short-lived connection. */
  private async killQuery(threadId: number | null): Promise<void> {
    if (threadId === null) return;
    const conn = mysql.createConnection({ ...this.options, connectTimeout: 5000 });
    conn.on('error', () => undefined);
    await new Promise<void>((resolve) =>
      conn.query(`KILL QUERY ${Math.floor(threadId)}`, (err) => {
        if (err) this.logger.warn('could not cancel a MySQL query', { error: err.message });
        resolve();
      }),
    );
    conn.destroy();
  }
}

function pinnedSocket(address: ResolvedAddress, port: number) {
  const socket = netConnect({ host: address.address, port, family: address.family });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  return socket;
}

function fieldType(field: mysql.FieldPacket): string {
  const known = field.columnType !== undefined ? TYPE_NAMES[field.columnType] : undefined;
  return known ?? field.typeName?.toLowerCase() ?? 'unknown';
}
