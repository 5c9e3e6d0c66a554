import { createHash } from 'node:crypto';

import * as z from 'zod';

/** PostgreSQL, MySQL/MariaDB, SQLite. */
export type Dialect = 'postgres' | 'mysql' | 'sqlite';

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'a host name or IP address, without scheme or port');

const tlsSchema = z
  .object({
    mode: z
      .enum(['disable', 'require', 'verify-full'])
      .default('verify-full')
      .describe(
        'disable: plain TCP. require: encrypted, certificate not checked. verify-full: encrypted, certificate checked against the CA and the host name (default).',
      ),
    ca: z
      .string()
      .max(64 * 1024)
      .optional()
      .describe(
        'PEM certificate(s) of the CA that signed the server certificate; the system CAs when omitted.',
      ),
    clientCert: z
      .string()
      .max(64 * 1024)
      .optional()
      .describe(
        'PEM client certificate, for servers that require one; its key is the tls_client_key secret.',
      ),
  })
  .strict();

/** Limits every connection has; the defaults suit interactive use by a model. */
const limits = {
  allowWrites: z
    .boolean()
    .default(false)
    .describe('Expose the write tools (insert/update/delete by key, write statements). Off by default.'),
  statementTimeoutMs: z.number().int().min(100).max(300_000).default(15_000),
  maxRows: z.number().int().min(1).max(10_000).default(500),
  maxResultBytes: z
    .number()
    .int()
    .min(4 * 1024)
    .max(4 * 1024 * 1024)
    .default(256 * 1024),
  /** Longest text kept from one cell; longer values are cut and the cut is reported. */
  maxCellChars: z
    .number()
    .int()
    .min(16)
    .max(1024 * 1024)
    .default(8 * 1024),
};

const network = {
  host: hostname,
  database: z.string().min(1).max(128),
  user: z.string().min(1).max(128),
  tls: tlsSchema.default({ mode: 'verify-full' }),
  poolSize: z.number().int().min(1).max(20).default(4),
  idleTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
};

export const postgresConfigSchema = z
  .object({
    dialect: z.literal('postgres'),
    ...network,
    port: z.number().int().min(1).max(65_535).default(5432),
    ...limits,
  })
  .strict();

export const mysqlConfigSchema = z
  .object({
    dialect: z.literal('mysql'),
    ...network,
    port: z.number().int().min(1).max(65_535).default(3306),
    ...limits,
  })
  .strict();

export const sqliteConfigSchema = z
  .object({
    dialect: z.literal('sqlite'),
    path: z
      .string()
      .min(1)
      .max(1024)
      .describe("Database file, relative to the installation's SQLite directory."),
    poolSize: z.number().int().min(1).max(8).default(2),
    idleTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
    ...limits,
  })
  .strict();

export const databaseConfigSchema = z.discriminatedUnion('dialect', [
  postgresConfigSchema,
  mysqlConfigSchema,
  sqliteConfigSchema,
]);

export type PostgresConfig = z.output<typeof postgresConfigSchema>;
export type MysqlConfig = z.output<typeof mysqlConfigSchema>;
export type SqliteConfig = z.output<typeof sqliteConfigSchema>;
export type DatabaseConfig = z.output<typeof databaseConfigSchema>;
export type NetworkDatabaseConfig = PostgresConfig | MysqlConfig;

export const PASSWORD_SECRET = 'password';
export const CLIENT_KEY_SECRET = 'tls_client_key';

/** The secrets a connection may hold; both optional (trust/peer auth, SQLite, no client certificate). */
export interface DatabaseSecrets {
  readonly password: string | null;
  readonly clientKey: string | null;
}

/**
 * Identifies one configuration with its secrets, so a changed password or host opens a new pool. Only a
 * digest is kept; the secrets themselves stay with the driver that needs them.
 */
export function configFingerprint(config: DatabaseConfig, secrets: DatabaseSecrets): string {
  return createHash('sha256')
    .update(JSON.stringify(config))
    .update('\0')
    .update(secrets.password ?? '\u0001none')
    .update('\0')
    .update(secrets.clientKey ?? '\u0001none')
    .digest('hex');
}
