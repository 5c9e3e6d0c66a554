import { randomBytes } from 'node:crypto';

import { describe } from '@jest/globals';
import type { CallToolResult, ReadResourceResult, ServerContext } from '@modelcontextprotocol/server';
import { createDatabasesPack, DatabasePools } from '@switchboard/databases';
import { EgressPolicy } from '@switchboard/http-client';
import type { CallContext, PackSurface, ToolPack, ToolPermission } from '@switchboard/integration-kit';

/** Each test file creates its own databases with this prefix and drops them afterwards. */
export function uniqueDatabaseName(): string {
  return `sbdb_${randomBytes(5).toString('hex')}`;
}

/**
 * The real servers the tests run against. Outside CI a missing URL skips the file (loudly); under CI it
 * fails, so a pipeline cannot pass by skipping the databases.
 */
export function serviceUrl(variable: 'TEST_DATABASE_URL' | 'TEST_MYSQL_URL'): string | null {
  const value = process.env[variable];
  if (value) return value;
  if (process.env.CI === 'true')
    throw new Error(`${variable} is not set: CI must run the database integration tests`);
  console.warn(`${variable} is not set: skipping these database integration tests`);
  return null;
}

export const describeWith = (url: string | null) => (url ? describe : describe.skip);

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields?: Record<string, unknown>;
}

export interface Harness {
  readonly pools: DatabasePools;
  readonly pack: ToolPack<unknown>;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/** The pack as the platform would build it: its own pools, an egress policy that opens loopback only. */
export function harness(
  options: { sqliteDirectory?: string | null; allow?: readonly string[] } = {},
): Harness {
  const pools = new DatabasePools({
    policy: EgressPolicy.fromList(options.allow ?? ['127.0.0.1']),
    sqliteDirectory: options.sqliteDirectory ?? null,
  });
  return {
    pools,
    pack: createDatabasesPack({ pools }) as unknown as ToolPack<unknown>,
    logs: [],
    close: () => pools.closeAll(),
  };
}

export interface ContextOptions {
  readonly secrets?: Readonly<Record<string, string>>;
  readonly connectionId?: string;
  readonly signal?: AbortSignal;
  readonly logs?: LogLine[];
}

/** A CallContext like the host builds for one call; secrets come from a map instead of the vault. */
export function callContext(config: unknown, options: ContextOptions = {}): CallContext<unknown> {
  const secrets = options.secrets ?? {};
  const logs = options.logs ?? [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    logs.push({ level, msg, ...(fields && { fields }) });
  };
  return {
    tenant: { id: 'tenant-db-tests', slug: 'db-tests' },
    connectionId: options.connectionId ?? `conn-${randomBytes(4).toString('hex')}`,
    connectionName: 'Test database',
    config,
    secrets: {
      get: async (name) => {
        const value = secrets[name];
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      has: async (name) => secrets[name] !== undefined,
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    principal: {
      kind: 'api_key',
      id: 'k1',
      tenantId: 'tenant-db-tests',
      userId: null,
      role: 'admin',
      scopes: [],
    },
    signal: options.signal ?? new AbortController().signal,
    progress: async () => undefined,
    // Business integrations never touch the protocol context.
    protocol: {} as ServerContext,
  };
}

export async function surfaceOf(
  pack: ToolPack<unknown>,
  ctx: CallContext<unknown>,
): Promise<PackSurface<unknown>> {
  return pack.surface(ctx);
}

export interface ToolCall {
  readonly result: CallToolResult;
  readonly text: string;
  readonly data: Record<string, unknown>;
}

/** Calls a tool's handler the way the host would, and returns its result with the text and structured parts. */
export async function callTool(
  surface: PackSurface<unknown>,
  name: string,
  args: Record<string, unknown>,
  ctx: CallContext<unknown>,
): Promise<ToolCall> {
  const tool = surface.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${surface.tools.map((t) => t.name).join(', ')}`);
  const result = (await tool.handler(args, ctx)) as CallToolResult;
  const first = result.content[0];
  const text = first && first.type === 'text' ? first.text : '';
  // The host checks structured content against the output schema; so do the tests.
  if (!result.isError && tool.outputSchema) {
    const checked = await tool.outputSchema['~standard'].validate(result.structuredContent);
    if ('issues' in checked && checked.issues) {
      throw new Error(
        `${name} returned content that does not match its output schema: ${JSON.stringify(checked.issues)}`,
      );
    }
  }
  return { result, text, data: (result.structuredContent ?? {}) as Record<string, unknown> };
}

export async function expectToolError(call: Promise<ToolCall>): Promise<string> {
  const { result, text } = await call;
  if (!result.isError) throw new Error(`expected a tool error, got: ${text.slice(0, 300)}`);
  return text;
}

export async function readResource(
  surface: PackSurface<unknown>,
  uri: string,
  ctx: CallContext<unknown>,
): Promise<ReadResourceResult> {
  const resource = surface.resources?.find((r) => r.uri === uri);
  if (resource) return resource.read(new URL(uri), ctx);
  for (const template of surface.resourceTemplates ?? []) {
    const pattern = new RegExp(
      `^${template.uriTemplate.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '(?<$1>[^/]+)')}$`,
    );
    const match = pattern.exec(uri);
    if (match?.groups) return template.read(new URL(uri), { ...match.groups }, ctx);
  }
  throw new Error(`no resource for ${uri}`);
}

export function permissionsOf(surface: PackSurface<unknown>): Record<string, ToolPermission> {
  return Object.fromEntries(surface.tools.map((t) => [t.name, t.permission]));
}
