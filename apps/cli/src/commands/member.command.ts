import type { Command } from 'commander';
import { Option } from 'commander';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

export function registerMemberCommands(program: Command, kit: CliKit): void {
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
        kit.withContext(async (ctx) => {
          const r = await ctx.get(TenancyService).addMember(o.tenant, email, o.role, cliActor());
          kit
            .out(cmd)
            .result(
              { email: r.user.email, role: r.membership.role },
              () => `${r.user.email} is ${r.membership.role} of ${o.tenant}`,
            );
        }),
    );
}
