import type { Command } from 'commander';
import { PackRegistry } from '@switchboard/integration-kit';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

export function registerPackCommands(program: Command, kit: CliKit): void {
  const pack = program.command('pack').description('tool packs (integrations) exposed on endpoints');
  pack
    .command('list')
    .description('list the tool packs this installation has')
    .action((_o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const rows = ctx
          .get(PackRegistry)
          .list()
          .map((p) => ({ id: p.id, title: p.title, version: p.version, exposeByDefault: p.exposeByDefault }));
        const o2 = kit.out(cmd);
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
        kit.withContext(async (ctx) => {
          const r = await ctx.get(TenancyService).enablePack(
            o.tenant,
            packId,
            {
              endpointSlug: o.endpoint,
              connectionName: o.connection,
              config: o.config === undefined ? undefined : kit.parseJson(o.config, '--config'),
              tools: o.tools
                ?.split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            },
            cliActor(),
          );
          const view = {
            pack: packId,
            connection: r.connection.name,
            endpoint: r.endpoint.slug,
            mode: r.mode,
          };
          kit
            .out(cmd)
            .result(
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
      kit.withContext(async (ctx) => {
        const r = await ctx
          .get(TenancyService)
          .disablePack(
            o.tenant,
            packId,
            { endpointSlug: o.endpoint, connectionName: o.connection },
            cliActor(),
          );
        kit
          .out(cmd)
          .result(
            { pack: packId, endpoint: r.endpoint.slug, detached: r.detached },
            () => `pack ${packId} removed from endpoint ${r.endpoint.slug}`,
          );
      }),
    );
}
