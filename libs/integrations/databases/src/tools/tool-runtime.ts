import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ConnectionContext } from '@switchboard/integration-kit';
import { toolError } from '@switchboard/integration-kit';
import type * as z from 'zod';

import type { DatabasePools } from '../database-pools.js';
import {
  CLIENT_KEY_SECRET,
  databaseConfigSchema,
  PASSWORD_SECRET,
  type DatabaseConfig,
  type DatabaseSecrets,
} from '../database.config.js';
import { DatabaseToolError, isDriverError, toToolError } from '../database.errors.js';
import type { CallLimits, DatabaseDriver } from '../driver.js';
import { SqlRejectedError } from '../sql-guard.js';

export interface DatabasesPackDeps {
  readonly pools: DatabasePools;
}

export interface DatabaseCall {
  readonly driver: DatabaseDriver;
  readonly config: DatabaseConfig;
  readonly limits: CallLimits;
}

async function readSecrets(ctx: ConnectionContext): Promise<DatabaseSecrets> {
  const read = async (name: string) => ((await ctx.secrets.has(name)) ? await ctx.secrets.get(name) : null);
  const [password, clientKey] = await Promise.all([read(PASSWORD_SECRET), read(CLIENT_KEY_SECRET)]);
  return { password, clientKey };
}

export function parseConfig(config: unknown): DatabaseConfig {
  const parsed = databaseConfigSchema.safeParse(config);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DatabaseToolError(
      'configuration',
      `The connection's configuration is invalid${first ? ` (${first.path.join('.') || 'config'}: ${first.message})` : ''}.`,
    );
  }
  return parsed.data;
}

/** Validates a tool's arguments; the host validates them too, but handlers are also called directly. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatabaseToolError(
      'rejected',
      `Invalid arguments${issue ? ` (${issue.path.join('.') || 'input'}: ${issue.message})` : ''}.`,
    );
  }
  return parsed.data;
}

/**
 * Runs one database call for a tool or resource: reads the connection's secrets for this call only, gets
 * the pooled driver, applies the connection's limits, and turns every database failure into a short
 * message (never a secret). Anything that is not a database failure is a bug and is rethrown for the
 * host to report with a correlation id.
 */
export async function withDatabase<T>(
  deps: DatabasesPackDeps,
  ctx: ConnectionContext & { readonly signal?: AbortSignal },
  fn: (call: DatabaseCall) => Promise<T>,
  overrides: Partial<CallLimits> = {},
): Promise<T> {
  const config = parseConfig(ctx.config);
  const secrets = await readSecrets(ctx);
  const limits: CallLimits = {
    timeoutMs: config.statementTimeoutMs,
    maxRows: config.maxRows,
    maxBytes: config.maxResultBytes,
    maxCellChars: config.maxCellChars,
    ...(ctx.signal && { signal: ctx.signal }),
    ...overrides,
  };
  try {
    return await deps.pools.use(
      { tenantId: ctx.tenant.id, connectionId: ctx.connectionId, config, secrets, logger: ctx.logger },
      (driver) => fn({ driver, config, limits }),
    );
  } catch (error) {
    if (!isDriverError(error)) throw error;
    throw toToolError(error, { timeoutMs: limits.timeoutMs, secrets: [secrets.password, secrets.clientKey] });
  }
}

/** The tool-handler form: a failure becomes a tool error result the model can read and act on. */
export async function toolCall(
  ctx: ConnectionContext,
  tool: string,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SqlRejectedError) return toolError(error.message);
    if (!(error instanceof DatabaseToolError)) throw error;
    ctx.logger.info('database tool call failed', { tool, kind: error.kind });
    return toolError(error.message);
  }
}
