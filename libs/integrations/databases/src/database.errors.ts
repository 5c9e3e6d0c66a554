import { HttpClientError } from '@switchboard/http-client';

import { SqlRejectedError } from './sql-guard.js';

export type DatabaseErrorKind =
  | 'timeout'
  | 'cancelled'
  | 'read_only'
  | 'rejected'
  | 'connection'
  | 'not_found'
  | 'too_many_rows'
  | 'configuration'
  | 'database';

/** An error whose message is written for the model: short, specific, and free of secrets. */
export class DatabaseToolError extends Error {
  constructor(
    readonly kind: DatabaseErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseToolError';
  }
}

export function timeoutError(timeoutMs: number): DatabaseToolError {
  return new DatabaseToolError(
    'timeout',
    `The query was stopped after the statement timeout (${timeoutMs} ms). Narrow it (filters, LIMIT, fewer joins) or check its plan with db_explain.`,
  );
}

interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
  position?: unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_CON_COUNT_ERROR',
  'HANDSHAKE_SSL_ERROR',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections, bad password,
  // no such database, connection failure classes.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '28P01',
  '28000',
  '3D000',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** MariaDB max_statement_time, MySQL max_execution_time, PostgreSQL statement_timeout (57014). */
const TIMEOUT_CODES = new Set(['57014', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT']);
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

/** PostgreSQL 25006, MySQL/MariaDB 1792, SQLite SQLITE_READONLY*. */
function isReadOnlyViolation(e: DriverErrorShape): boolean {
  return (
    e.code === '25006' ||
    e.errno === 1792 ||
    e.code === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' ||
    (typeof e.code === 'string' && e.code.startsWith('SQLITE_READONLY')) ||
    (typeof e.message === 'string' && /attempt to write a readonly database/.test(e.message))
  );
}

/** Errors after which a pooled connection cannot be used again (the server or the network dropped it). */
export function isConnectionLost(error: unknown): boolean {
  const e = error as DriverErrorShape;
  if (
    typeof e?.code === 'string' &&
    /^(ECONNRESET|EPIPE|PROTOCOL_CONNECTION_LOST|57P01|57P02|08006|08003)$/.test(e.code)
  )
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection is in closed state|Can't add new command when connection is in closed state|Client has encountered a connection error|terminating connection/i.test(
    message,
  );
}

function redact(text: string, secrets: readonly (string | null)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.length > 600 ? `${out.slice(0, 600)}…` : out;
}

/**
 * Turns anything a driver threw into a {@link DatabaseToolError} with a message a model can act on.
 * `secrets` are removed from the text in case a driver ever echoes one.
 */
export function toToolError(
  error: unknown,
  context: { timeoutMs: number; secrets: readonly (string | null)[] },
): DatabaseToolError {
  if (error instanceof DatabaseToolError)
    return new DatabaseToolError(error.kind, redact(error.message, context.secrets));
  if (error instanceof SqlRejectedError) return new DatabaseToolError('rejected', error.message);
  if (error instanceof HttpClientError) return new DatabaseToolError('connection', error.message);
  const e = (error ?? {}) as DriverErrorShape;
  const raw =
    typeof e.sqlMessage === 'string'
      ? e.sqlMessage
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  const code = typeof e.code === 'string' ? e.code : null;
  if ((code && TIMEOUT_CODES.has(code)) || (typeof e.errno === 'number' && TIMEOUT_ERRNOS.has(e.errno))) {
    return timeoutError(context.timeoutMs);
  }
  if (isReadOnlyViolation(e)) {
    return new DatabaseToolError(
      'read_only',
      `The database refused to write: this query runs in a read-only transaction (${redact(raw, context.secrets)}).`,
    );
  }
  if ((code && CONNECTION_CODES.has(code)) || isConnectionLost(error)) {
    return new DatabaseToolError(
      'connection',
      `The database connection failed: ${redact(raw, context.secrets)}${code ? ` (${code})` : ''}.`,
    );
  }
  const parts = [redact(raw, context.secrets)];
  if (typeof e.detail === 'string' && e.detail !== '')
    parts.push(`Detail: ${redact(e.detail, context.secrets)}`);
  if (typeof e.hint === 'string' && e.hint !== '') parts.push(`Hint: ${redact(e.hint, context.secrets)}`);
  if (typeof e.position === 'string' && e.position !== '') parts.push(`(at character ${e.position})`);
  return new DatabaseToolError(
    'database',
    `The database returned an error${code ? ` ${code}` : ''}: ${parts.join(' ')}`,
  );
}

/** Whether `error` came from a database, a driver, the network or our own checks (not from a bug). */
export function isDriverError(error: unknown): boolean {
  if (
    error instanceof DatabaseToolError ||
    error instanceof SqlRejectedError ||
    error instanceof HttpClientError
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const e = error as DriverErrorShape & { severity?: unknown };
  return (
    typeof e.code === 'string' ||
    typeof e.errno === 'number' ||
    typeof e.sqlMessage === 'string' ||
    typeof e.severity === 'string' ||
    isConnectionLost(error)
  );
}
