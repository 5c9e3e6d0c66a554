import type { Command } from 'commander';
import { UserAccountsService } from '../../../../src/auth/user-accounts.service.js';
import type { CliKit } from '../kit.js';

/**
 * Platform operators: people who may list, create, suspend and reactivate tenants in the admin API
 * (signed in to the dashboard with a password). Granted only here, by someone who runs the deployment.
 */
export function registerOperatorCommands(program: Command, kit: CliKit): void {
  const operator = program.command('operator').description('platform operators (manage every tenant)');
  operator
    .command('grant <email>')
    .description('make a user a platform operator (created if new; set a password with `user set-password`)')
    .action((email: string, _o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const r = await ctx.get(UserAccountsService).setOperator(email, true);
        kit.out(cmd).result({ ...r, operator: true }, () => `${r.email} is a platform operator`);
      }),
    );
  operator
    .command('revoke <email>')
    .description('withdraw the platform operator role')
    .action((email: string, _o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const r = await ctx.get(UserAccountsService).setOperator(email, false);
        kit.out(cmd).result({ ...r, operator: false }, () => `${r.email} is no longer a platform operator`);
      }),
    );
  operator
    .command('list')
    .description('list platform operators')
    .action((_o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const rows = await ctx.get(UserAccountsService).listOperators();
        const out = kit.out(cmd);
        out.result(rows, () => out.table(rows, ['email', 'canSignIn', 'lastSignInAt']));
      }),
    );
}
