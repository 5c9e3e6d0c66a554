import pg from 'pg';

import { describePostgresUrl, redactSecrets } from './database-errors.js';
import type { DatabaseConfig } from './driver.js';

/**
 * A PostgreSQL session-level advisory lock on a connection of its own (never a pooled one: the lock
 * belongs to the session that took it, and dies with it). PostgreSQL releases it when the connection
 * ends, so a crashed holder frees it without anyone's help.
 */
export interface SessionLock {
  /** Takes the lock if free; true when this session holds it. */
  tryAcquire(): Promise<boolean>;
  /** A round trip on the lock's connection: false once it is gone (and the lock with it). */
  alive(): Promise<boolean>;
  /** Ends the connection, releasing the lock. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 5_000;

/**
 * Opens the connection for `key`, or returns null on the embedded database (one process by construction,
 * so nothing to coordinate). Rejects with a message without credentials when PostgreSQL is unreachable.
 */
export async function openSessionLock(db: DatabaseConfig, key: bigint): Promise<SessionLock | null> {
  if (db.kind === 'pglite') return null;
  const client = new pg.Client({
    connectionString: db.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'switchboard-leader',
  });
  let lost = false;
  // A dropped connection surfaces as an 'error' event; without a listener Node would crash.
  client.on('error', () => (lost = true));
  client.on('end', () => (lost = true));
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new Error(
      `cannot open a lock connection to ${describePostgresUrl(db.url)}: ${redactSecrets((e as Error).message, db.url)}`,
      { cause: e },
    );
  }
  const keySql = key.toString();
  return {
    async tryAcquire() {
      if (lost) return false;
      const res = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${keySql}) AS locked`);
      return res.rows[0]?.locked === true;
    },
    async alive() {
      if (lost) return false;
      try {
        await client.query('SELECT 1');
        return true;
      } catch {
        lost = true;
        return false;
      }
    },
    async close() {
      lost = true;
      await client.end().catch(() => undefined);
    },
  };
}
