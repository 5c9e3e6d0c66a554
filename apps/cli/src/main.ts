import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { DomainError } from '../../../src/common/domain-error.js';
import { ConfigError } from '../../../src/config/index.js';
import { COMMAND_GROUPS } from './commands/index.js';
import { ExitRequest } from './exit.js';
import { createKit, type CliIo } from './kit.js';

/** Exit codes: 0 ok, 1 failure, 2 bad input (usage or validation), 78 bad configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

export function buildProgram(env: Readonly<Record<string, string | undefined>>, io: CliIo): Command {
  const program = new Command('switchboard')
    .description(
      'Manage a Switchboard installation: tenants, endpoints, tool packs, API keys and the database.',
    )
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const kit = createKit(env, io);
  for (const register of COMMAND_GROUPS) register(program, kit);
  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo = {
    out: (s: string) => void process.stdout.write(s),
    err: (s: string) => void process.stderr.write(s),
  },
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
    // The command printed its own result (e.g. a failed check's report): only the exit code is left.
    if (e instanceof ExitRequest) return e.code;
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
