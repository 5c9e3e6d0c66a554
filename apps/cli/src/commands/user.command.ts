import type { Command } from 'commander';
import { UserAccountsService } from '../../../../src/auth/user-accounts.service.js';
import type { CliKit } from '../kit.js';
import { readSecretLine } from '../secret-line.js';

export function registerUserCommands(program: Command, kit: CliKit): void {
  const user = program.command('user').description('users and their sign-in');
  user
    .command('set-password <email>')
    .description(
      'set a user\'s password, read from standard input (e.g. `printf %s "$PW" | switchboard user set-password a@b.c`); lifts a lockout',
    )
    .action((email: string, _o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const password = await readSecretLine(kit.stdin(), 'New password (not echoed): ');
        const r = await ctx.get(UserAccountsService).setPassword(email, password);
        kit
          .out(cmd)
          .result(
            { userId: r.userId, email: r.email, passwordSet: true },
            () => `password set for ${r.email}`,
          );
      }),
    );
}
