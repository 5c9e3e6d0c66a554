import type { Command } from 'commander';
import { ApiKeyService } from '../../../../src/auth/api-key.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

export function registerKeyCommands(program: Command, kit: CliKit): void {
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
        kit.withContext(async (ctx) => {
          const r = await ctx.get(ApiKeyService).create(
            o.tenant,
            {
              name: o.name,
              userEmail: o.user,
              scopes: o.scopes
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              expiresInDays:
                o.expiresDays === undefined ? undefined : kit.positiveInt(o.expiresDays, '--expires-days'),
            },
            cliActor(),
          );
          kit
            .out(cmd)
            .result(
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
      kit.withContext(async (ctx) => {
        const rows = await ctx.get(ApiKeyService).list(o.tenant, Boolean(o.all));
        const o2 = kit.out(cmd);
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
      kit.withContext(async (ctx) => {
        const v = await ctx.get(ApiKeyService).revoke(o.tenant, idOrPrefix, cliActor());
        kit.out(cmd).result(v, () => `revoked ${v.prefix}`);
      }),
    );
}
