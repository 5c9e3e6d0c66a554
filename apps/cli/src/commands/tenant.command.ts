import type { Command } from 'commander';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

export function registerTenantCommands(program: Command, kit: CliKit): void {
  const tenant = program.command('tenant').description('tenants');
  tenant
    .command('create <slug>')
    .description('create a tenant with its default endpoint')
    .option('--name <name>', 'display name')
    .option('--owner <email>', 'owner user (created if new)')
    .action((slug: string, o: { name?: string; owner?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const t = await ctx
          .get(TenancyService)
          .createTenant({ slug, name: o.name, ownerEmail: o.owner }, cliActor());
        const publicUrl = kit.config().publicUrl;
        const view = {
          id: t.id,
          slug: t.slug,
          name: t.name,
          status: t.status,
          mcpUrl: `${publicUrl}/t/${t.slug}/mcp`,
        };
        kit.out(cmd).result(view, () => `created tenant ${t.slug}\nMCP URL: ${view.mcpUrl}`);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <slug>', 'start after this slug')
    .action((o: { limit: string; after?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const take = kit.positiveInt(o.limit, '--limit');
        const rows = (await ctx.get(TenancyService).listTenants({ take, after: o.after })).map((t) => ({
          slug: t.slug,
          name: t.name,
          status: t.status,
          createdAt: t.createdAt.toISOString(),
        }));
        const o2 = kit.out(cmd);
        o2.result(rows, () => o2.table(rows, ['slug', 'name', 'status', 'createdAt']));
      }),
    );
}
