import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { UserAccountsService } from '../../../../src/auth/user-accounts.service.js';
import { DomainError } from '../../../../src/common/domain-error.js';
import type { CliKit } from '../kit.js';

/**
 * Reads the password from standard input, never from argv (which `ps` and shell history show): the first
 * line of piped input, or a prompt without echo on a terminal.
 */
async function readPassword(input: NodeJS.ReadStream): Promise<string> {
  let line: string;
  if (input.isTTY) {
    process.stderr.write('New password (not echoed): ');
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = createInterface({ input, output: muted, terminal: true });
    line = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    process.stderr.write('\n');
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of input) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      if (chunks.some((c) => c.includes(0x0a))) break;
    }
    line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  if (line.length === 0) throw new DomainError('invalid_argument', 'no password on standard input');
  return line;
}

export function registerUserCommands(program: Command, kit: CliKit): void {
  const user = program.command('user').description('users and their sign-in');
  user
    .command('set-password <email>')
    .description(
      'set a user\'s password, read from standard input (e.g. `printf %s "$PW" | switchboard user set-password a@b.c`); lifts a lockout',
    )
    .action((email: string, _o: unknown, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const password = await readPassword(process.stdin);
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
