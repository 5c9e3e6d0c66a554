import type { Command } from 'commander';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

export function registerEndpointCommands(program: Command, kit: CliKit): void {
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
        kit.withContext(async (ctx) => {
          const e = await ctx
            .get(TenancyService)
            .createEndpoint(
              o.tenant,
              { slug, name: o.name, description: o.description, public: o.public },
              cliActor(),
            );
          const url = `${kit.config().publicUrl}/t/${o.tenant}/e/${e.slug}/mcp`;
          const view = { id: e.id, slug: e.slug, name: e.name, public: e.public, mcpUrl: url };
          kit
            .out(cmd)
            .result(view, () => `created endpoint ${e.slug}${e.public ? ' (public)' : ''}\nMCP URL: ${url}`);
        }),
    );
  endpoint
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant')
    .description("list a tenant's endpoints")
    .action((o: { tenant: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const base = kit.config().publicUrl;
        const rows = (await ctx.get(TenancyService).listEndpoints(o.tenant)).map((e) => ({
          slug: e.slug,
          name: e.name,
          public: e.public,
          mcpUrl: e.isDefault ? `${base}/t/${o.tenant}/mcp` : `${base}/t/${o.tenant}/e/${e.slug}/mcp`,
        }));
        const o2 = kit.out(cmd);
        o2.result(rows, () => o2.table(rows, ['slug', 'name', 'public', 'mcpUrl']));
      }),
    );
}
