import { isIP } from 'node:net';

import type { PostgresConfig } from '../database.config.js';
import { DatabaseToolError, timeoutError } from '../database.errors.js';
import type { CallLimits } from '../driver.js';

/** What drivers log through: the pack logger of the connection that opened the pool. */
export interface DriverLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * How long past the statement timeout the client waits before it gives up on the connection itself
 * (a server that ignores its timeout, or a network that went silent).
 */
export const GRACE_MS = 2_000;

export type TlsConfig = PostgresConfig['tls'];

export interface TlsSocketOptions {
  readonly rejectUnauthorized: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly servername?: string;
}

/**
 * TLS options for a connection made to an already resolved address: the certificate is checked against
 * the configured host name (`servername`), not the address the socket uses.
 */
export function tlsOptions(tls: TlsConfig, host: string, clientKey: string | null): TlsSocketOptions | false {
  if (tls.mode === 'disable') return false;
  if (tls.clientCert !== undefined && clientKey === null) {
    throw new DatabaseToolError(
      'configuration',
      'tls.clientCert is set but the tls_client_key secret is missing.',
    );
  }
  return {
    rejectUnauthorized: tls.mode === 'verify-full',
    ...(tls.ca !== undefined && { ca: tls.ca }),
    ...(tls.clientCert !== undefined && clientKey !== null && { cert: tls.clientCert, key: clientKey }),
    ...(isIP(host) === 0 && { servername: host }),
  };
}

/**
 * Anything that stops a pool from handing out a connection (refused, timed out, TLS, authentication) is a
 * connection failure, whatever shape the driver gave it.
 */
export function connectFailure(error: unknown): DatabaseToolError {
  if (error instanceof DatabaseToolError) return error;
  const e = error as { message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return new DatabaseToolError('connection', `Could not connect to the database: ${message}${code}.`, {
    cause: error,
  });
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export function cappedText(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return `${cut}\n… [cut at ${maxBytes} bytes]`;
}

export interface CallWatch {
  /** Why the call was stopped from outside, or null when it was not. */
  stoppedBecause(): 'timeout' | 'cancelled' | null;
  error(reason: 'timeout' | 'cancelled'): DatabaseToolError;
  dispose(): void;
}

/**
 * Stops a call when its caller goes away (the abort signal) or when it overruns the statement timeout by
 * {@link GRACE_MS}: `kill` must make the pending driver call fail promptly (close its connection).
 */
export function watchCall(limits: CallLimits, kill: () => void): CallWatch {
  let reason: 'timeout' | 'cancelled' | null = null;
  const stop = (why: 'timeout' | 'cancelled') => {
    if (reason !== null) return;
    reason = why;
    kill();
  };
  const timer = setTimeout(() => stop('timeout'), limits.timeoutMs + GRACE_MS);
  timer.unref();
  const onAbort = () => stop('cancelled');
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    stoppedBecause: () => reason,
    error: (why) =>
      why === 'timeout'
        ? timeoutError(limits.timeoutMs)
        : new DatabaseToolError('cancelled', 'The call was cancelled.'),
    dispose: () => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    },
  };
}
