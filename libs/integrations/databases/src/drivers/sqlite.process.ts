/**
 * One SQLite connection in its own process. better-sqlite3 is synchronous and cannot be interrupted: on
 * the server's thread a slow query would stall every tenant, and even a worker thread cannot be stopped
 * while SQLite is inside one long step (an aggregate over a huge or endless recursive CTE). A process can:
 * a query that overruns its timeout is ended with SIGKILL.
 *
 * This file is started directly by `fork()` (as TypeScript under Node's type stripping in tests, as
 * compiled JavaScript in production), so it imports only packages and uses only erasable syntax. Its
 * configuration arrives as JSON in argv[2].
 */

import Database from 'better-sqlite3';

export interface SqliteProcessConfig {
  readonly path: string;
  /** Open the file read-only (writes are off for this connection). */
  readonly readOnly: boolean;
  readonly busyTimeoutMs: number;
}

export interface SqliteRequest {
  readonly id: number;
  readonly kind: 'read' | 'write';
  readonly sql: string;
  readonly params: readonly (string | number | boolean | null)[];
  /** Rows to send back at most (the caller asks one more than it shows, to see truncation). */
  readonly maxRows: number;
  /** Stop reading once the rows sent back are roughly this large. */
  readonly maxBytes: number;
  readonly maxAffectedRows: number;
}

export interface SqliteColumn {
  readonly name: string;
  readonly type: string | null;
}

export type SqliteResponse =
  | {
      readonly id: number;
      readonly ok: true;
      readonly columns: readonly SqliteColumn[];
      readonly rows: unknown[][];
      /** Rows were left unread because of `maxRows` or `maxBytes`. */
      readonly more: boolean;
      readonly changes: number;
      readonly lastInsertRowid: string | null;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: {
        readonly message: string;
        readonly code: string | null;
        readonly tooManyRows?: number;
      };
    };

const config = JSON.parse(process.argv[2] ?? '{}') as SqliteProcessConfig;
// The server went away: nothing will ever ask this process for anything again.
process.on('disconnect', () => process.exit(0));

function open(): Database.Database {
  const opened = new Database(config.path, {
    readonly: config.readOnly,
    fileMustExist: true,
    timeout: config.busyTimeoutMs,
  });
  // A read-only connection stays query_only for its whole life; a writable one leaves it only for writes.
  opened.pragma('query_only = ON');
  opened.defaultSafeIntegers(true);
  return opened;
}

/** Opened on the first request, so an unopenable file is reported as that request's error. */
let connection: Database.Database | null = null;
function database(): Database.Database {
  connection ??= open();
  return connection;
}

function roughSize(row: readonly unknown[]): number {
  let size = 2;
  for (const v of row) {
    if (typeof v === 'string') size += v.length + 3;
    else if (v instanceof Uint8Array) size += v.byteLength * 2 + 4;
    else size += 12;
  }
  return size;
}

function collect(
  statement: Database.Statement,
  request: SqliteRequest,
): { rows: unknown[][]; more: boolean } {
  const rows: unknown[][] = [];
  let bytes = 0;
  const iterator = statement.raw(true).iterate(...request.params) as IterableIterator<unknown[]>;
  for (const row of iterator) {
    if (rows.length >= request.maxRows || bytes > request.maxBytes) {
      iterator.return?.();
      return { rows, more: true };
    }
    rows.push(row);
    bytes += roughSize(row);
  }
  return { rows, more: false };
}

function columnsOf(statement: Database.Statement): SqliteColumn[] {
  return statement.columns().map((c) => ({ name: c.name, type: c.type }));
}

function read(request: SqliteRequest): SqliteResponse {
  const statement = database().prepare(request.sql);
  if (!statement.reader) {
    return {
      id: request.id,
      ok: false,
      error: { message: 'This statement does not return rows.', code: 'SQLITE_MISUSE' },
    };
  }
  const { rows, more } = collect(statement, request);
  return {
    id: request.id,
    ok: true,
    columns: columnsOf(statement),
    rows,
    more,
    changes: 0,
    lastInsertRowid: null,
  };
}

function write(request: SqliteRequest): SqliteResponse {
  const db = database();
  db.pragma('query_only = OFF');
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const statement = db.prepare(request.sql);
      const rows: unknown[][] = [];
      let more = false;
      let lastInsertRowid: string | null = null;
      if (statement.reader) {
        // RETURNING: the statement only finishes when every row is read; keep the first ones.
        for (const row of statement.raw(true).iterate(...request.params) as IterableIterator<unknown[]>) {
          if (rows.length < request.maxRows && roughSize(row) < request.maxBytes) rows.push(row);
          else more = true;
        }
      } else {
        statement.run(...request.params);
      }
      const changes = Number((db.prepare('SELECT changes()').pluck().get() as bigint | number) ?? 0);
      // Only meaningful after an INSERT; the driver decides whether to report it.
      if (changes > 0) lastInsertRowid = String(db.prepare('SELECT last_insert_rowid()').pluck().get());
      if (changes > request.maxAffectedRows) {
        db.exec('ROLLBACK');
        return {
          id: request.id,
          ok: false,
          error: { message: 'too many rows', code: null, tooManyRows: changes },
        };
      }
      const columns = statement.reader ? columnsOf(statement) : [];
      db.exec('COMMIT');
      return { id: request.id, ok: true, columns, rows, more, changes, lastInsertRowid };
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.pragma('query_only = ON');
  }
}

process.on('message', (request: SqliteRequest) => {
  let response: SqliteResponse;
  try {
    response = request.kind === 'read' ? read(request) : write(request);
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    response = {
      id: request.id,
      ok: false,
      // better-sqlite3 reports misuse (wrong parameter count, …) as plain TypeError/RangeError: still the query's fault.
      error: {
        message: String(e.message ?? error),
        code: typeof e.code === 'string' ? e.code : 'SQLITE_ERROR',
      },
    };
  }
  process.send?.(response);
});
