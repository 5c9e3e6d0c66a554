import 'reflect-metadata';
import { Command, CommanderError, Option } from 'commander';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PackRegistry } from '@switchboard/integration-kit';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import { DomainError } from '../../../src/common/domain-error.js';
import { ConfigError, loadConfig, type AppConfig } from '../../../src/config/index.js';
import { runCreateMigration, runMigrate } from '../../../src/database/migrate.command.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { CliModule } from './cli.module.js';
import { createOutput, type Output } from './output.js';

/** Exit codes: 0 ok, 1 failure, 2 bad input (usage or validation), 78 bad configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

interface Globals {
  readonly json?: boolean;
}

export function buildProgram(
  env: Readonly<Record<string, string | undefined>>,
  io: { out(s: string): void; err(s: string): void },
): Command {
  const program = new Command('switchboard')
    .description(
      'Manage a Switchboard installation: tenants, endpoints, tool packs, API keys and the database.',
    )
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const config = (): AppConfig => loadConfig(env);
  const out = (cmd: Command): Output => createOutput(Boolean(cmd.optsWithGlobals<Globals>().json), io.out);

  /** Runs `fn` inside the application context (database migrated, packs registered), then closes it. */
  async function withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T> {
    const ctx = await NestFactory.createApplicationContext(CliModule.forConfig(config()), {
      logger: ['error'],
      abortOnError: false,
    });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  const tenant = program.command('tenant').description('tenants');
  tenant
    .command('create <slug>')
    .description('create a tenant with its default endpoint')
    .option('--name <name>', 'display name')
    .option('--owner <email>', 'owner user (created if new)')
    .action((slug: string, o: { name?: string; owner?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const t = await ctx.get(TenancyService).createTenant({ slug, name: o.name, ownerEmail: o.owner });
        const publicUrl = config().publicUrl;
        const view = {
          id: t.id,
          slug: t.slug,
          name: t.name,
          status: t.status,
          mcpUrl: `${publicUrl}/t/${t.slug}/mcp`,
        };
        out(cmd).result(view, () => `created tenant ${t.slug}\nMCP URL: ${view.mcpUrl}`);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <slug>', 'start after this slug')
    .action((o: { limit: string; after?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const take = positiveInt(o.limit, '--limit');
        const rows = (await ctx.get(TenancyService).listTenants({ take, after: o.after })).map((t) => ({
          slug: t.slug,
          name: t.name,
          status: t.status,
          createdAt: t.createdAt.toISOString(),
        }));
        const o2 = out(cmd);
        o2.result(rows, () => o2.table(rows, ['slug', 'name', 'status', 'createdAt']));
      }),
    );

  const endpoint = program.command('endpoint').description("a tenant's MCP endpoints");
  endpoint
    .command('create <slug>')
    .description('create an endpoint, served at /t/<tenant>/e/<slug>/mcp')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'description')
    .option('--public', 'serve without a credential (read-only; for protocol tests and public demos)')
    .action(
      (
        slug: string,
        o: { tenant: string; name?: string; description?: string; public?: boolean },
        cmd: Command,
      ) =>
        withContext(async (ctx) => {
          const e = await ctx
            .get(TenancyService)
            .createEndpoint(o.tenant, { slug, name: o.name, description: o.description, public: o.public });
          const url = `${config().publicUrl}/t/${o.tenant}/e/${e.slug}/mcp`;
          const view = { id: e.id, slug: e.slug, name: e.name, public: e.public, mcpUrl: url };
          out(cmd).result(
            view,
            () => `created endpoint ${e.slug}${e.public ? ' (public)' : ''}\nMCP URL: ${url}`,
          );
        }),
    );
  endpoint
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant')
    .description("list a tenant's endpoints")
    .action((o: { tenant: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const base = config().publicUrl;
        const rows = (await ctx.get(TenancyService).listEndpoints(o.tenant)).map((e) => ({
          slug: e.slug,
          name: e.name,
          public: e.public,
          mcpUrl: e.isDefault ? `${base}/t/${o.tenant}/mcp` : `${base}/t/${o.tenant}/e/${e.slug}/mcp`,
        }));
        const o2 = out(cmd);
        o2.result(rows, () => o2.table(rows, ['slug', 'name', 'public', 'mcpUrl']));
      }),
    );

  const pack = program.command('pack').description('tool packs (integrations) exposed on endpoints');
  pack
    .command('list')
    .description('list the tool packs this installation has')
    .action((_o: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const rows = ctx
          .get(PackRegistry)
          .list()
          .map((p) => ({ id: p.id, title: p.title, version: p.version, exposeByDefault: p.exposeByDefault }));
        const o2 = out(cmd);
        o2.result(rows, () => o2.table(rows, ['id', 'title', 'version', 'exposeByDefault']));
      }),
    );
  pack
    .command('enable <pack>')
    .description('connect a pack for a tenant and expose it on an endpoint')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--endpoint <slug>', 'endpoint', 'default')
    .option('--connection <name>', 'connection name (default: the pack id)')
    .option('--config <json>', "the connection's configuration as JSON")
    .option('--tools <names>', 'expose only these tools (comma-separated)')
    .action(
      (
        packId: string,
        o: { tenant: string; endpoint: string; connection?: string; config?: string; tools?: string },
        cmd: Command,
      ) =>
        withContext(async (ctx) => {
          const r = await ctx.get(TenancyService).enablePack(o.tenant, packId, {
            endpointSlug: o.endpoint,
            connectionName: o.connection,
            config: o.config === undefined ? undefined : parseJson(o.config, '--config'),
            tools: o.tools
              ?.split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          });
          const view = {
            pack: packId,
            connection: r.connection.name,
            endpoint: r.endpoint.slug,
            mode: r.mode,
          };
          out(cmd).result(
            view,
            () =>
              `pack ${packId} (connection "${r.connection.name}") exposed on endpoint ${r.endpoint.slug} (${r.mode} tools)`,
          );
        }),
    );
  pack
    .command('disable <pack>')
    .description('stop exposing a pack on an endpoint (its connection is kept)')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--endpoint <slug>', 'endpoint', 'default')
    .option('--connection <name>', 'only this connection of the pack')
    .action((packId: string, o: { tenant: string; endpoint: string; connection?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const r = await ctx
          .get(TenancyService)
          .disablePack(o.tenant, packId, { endpointSlug: o.endpoint, connectionName: o.connection });
        out(cmd).result(
          { pack: packId, endpoint: r.endpoint.slug, detached: r.detached },
          () => `pack ${packId} removed from endpoint ${r.endpoint.slug}`,
        );
      }),
    );

  const member = program.command('member').description("a tenant's members");
  member
    .command('add <email>')
    .description('add a user to a tenant (or change their role)')
    .requiredOption('--tenant <slug>', 'tenant')
    .addOption(
      new Option('--role <role>', 'role').choices(['owner', 'admin', 'member', 'viewer']).default('member'),
    )
    .action(
      (email: string, o: { tenant: string; role: 'owner' | 'admin' | 'member' | 'viewer' }, cmd: Command) =>
        withContext(async (ctx) => {
          const r = await ctx.get(TenancyService).addMember(o.tenant, email, o.role);
          out(cmd).result(
            { email: r.user.email, role: r.membership.role },
            () => `${r.user.email} is ${r.membership.role} of ${o.tenant}`,
          );
        }),
    );

  const key = program.command('key').description('API keys');
  key
    .command('create')
    .description('create an API key; it is printed once and never again')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--user <email>', 'the member the key acts as (default: the owner)')
    .option('--name <name>', 'a name to recognise it by')
    .option('--scopes <list>', 'comma-separated: mcp, mcp:read, mcp:write, mcp:admin, admin', 'mcp')
    .option('--expires-days <n>', 'expire after this many days')
    .action(
      (
        o: { tenant: string; user?: string; name?: string; scopes: string; expiresDays?: string },
        cmd: Command,
      ) =>
        withContext(async (ctx) => {
          const r = await ctx.get(ApiKeyService).create(o.tenant, {
            name: o.name,
            userEmail: o.user,
            scopes: o.scopes
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            expiresInDays:
              o.expiresDays === undefined ? undefined : positiveInt(o.expiresDays, '--expires-days'),
          });
          out(cmd).result(
            { key: r.key, ...r.view },
            () =>
              `created key ${r.view.prefix} (${r.view.scopes.join(',')})\n${r.key}\nStore it now: it will not be shown again.`,
          );
        }),
    );
  key
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--all', 'include revoked keys')
    .description("list a tenant's API keys (prefixes only)")
    .action((o: { tenant: string; all?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const rows = await ctx.get(ApiKeyService).list(o.tenant, Boolean(o.all));
        const o2 = out(cmd);
        o2.result(rows, () =>
          o2.table(rows as unknown as Record<string, unknown>[], [
            'prefix',
            'name',
            'scopes',
            'expiresAt',
            'lastUsedAt',
            'revokedAt',
          ]),
        );
      }),
    );
  key
    .command('revoke <idOrPrefix>')
    .requiredOption('--tenant <slug>', 'tenant')
    .description('revoke an API key by id or prefix')
    .action((idOrPrefix: string, o: { tenant: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const v = await ctx.get(ApiKeyService).revoke(o.tenant, idOrPrefix);
        out(cmd).result(v, () => `revoked ${v.prefix}`);
      }),
    );

  const db = program.command('db').description('database');
  db.command('migrate')
    .description('apply pending migrations')
    .action(() => runMigrate(config()));
  db.command('migration <name>')
    .description('create a migration from changes to prisma/schema.prisma')
    .action((name: string) => runCreateMigration(name));

  return program;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new DomainError('invalid_argument', `${flag} must be a positive whole number`);
  return n;
}

function parseJson(value: string, flag: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new DomainError('invalid_argument', `${flag} is not valid JSON`);
  }
}

/** Runs the CLI and returns its exit code; never throws. */
export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) },
): Promise<number> {
  const program = buildProgram(env, io);
  const json = argv.includes('--json');
  const fail = (code: number, errCode: string, message: string, details?: unknown): number => {
    if (json)
      io.out(`${JSON.stringify({ error: { code: errCode, message, ...(details ? { details } : {}) } })}\n`);
    else io.err(`error: ${message}${details ? `\n${JSON.stringify(details, null, 2)}` : ''}\n`);
    return code;
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ConfigError) return fail(EXIT.config, 'invalid_configuration', e.message);
    if (e instanceof DomainError) {
      return fail(
        e.code === 'invalid_argument' || e.code === 'not_found' || e.code === 'conflict'
          ? EXIT.usage
          : EXIT.failure,
        e.code,
        e.message,
        e.details,
      );
    }
    return fail(EXIT.failure, 'internal', e instanceof Error ? e.message : String(e));
  }
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  // Exit explicitly: the embedded database and the migration engine keep timers alive.
  run(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
