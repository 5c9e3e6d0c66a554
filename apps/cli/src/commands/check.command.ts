import type { Command } from 'commander';
import {
  CheckInputError,
  interactiveAuthorization,
  renderProgress,
  renderReport,
  runCheck,
  switchboardTestPrincipal,
  type CheckAuth,
  type CheckEvent,
} from '@switchboard/checker';
import { DomainError } from '../../../../src/common/domain-error.js';
import { ExitRequest } from '../exit.js';
import type { CliKit } from '../kit.js';
import { readSecretLine } from '../secret-line.js';

interface CheckFlags {
  readonly user?: string;
  readonly apiKey?: boolean;
  readonly clientId?: string;
  readonly scope?: string;
  readonly signIn: boolean;
  readonly timeout: string;
  readonly wait: string;
  readonly burst: string;
  readonly verbose?: boolean;
}

/** The variable `--api-key` reads the key from when it is set (standard input otherwise). */
export const CHECK_API_KEY_VARIABLE = 'SWITCHBOARD_CHECK_API_KEY';

function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new DomainError('invalid_argument', `${flag} must be a whole number ≥ ${min}`);
  }
  return n;
}

async function authFor(o: CheckFlags, kit: CliKit, waitMs: number): Promise<CheckAuth> {
  if (o.user && o.apiKey)
    throw new DomainError('invalid_argument', 'use either --user or --api-key, not both');
  if (o.apiKey) {
    const fromEnv = kit.env[CHECK_API_KEY_VARIABLE];
    const key =
      fromEnv && fromEnv.trim() !== ''
        ? fromEnv.trim()
        : (await readSecretLine(kit.stdin(), 'API key (not echoed): ', 'API key')).trim();
    return { kind: 'api-key', key };
  }
  const common = { ...(o.clientId ? { clientId: o.clientId } : {}), ...(o.scope ? { scope: o.scope } : {}) };
  if (o.user) {
    const password = await readSecretLine(kit.stdin(), `Password of ${o.user} (not echoed): `);
    return { kind: 'oauth', strategy: switchboardTestPrincipal({ email: o.user, password }), ...common };
  }
  if (!o.signIn) return { kind: 'oauth', ...common };
  return { kind: 'oauth', strategy: interactiveAuthorization({ waitMs }), ...common };
}

export function registerCheckCommands(program: Command, kit: CliKit): void {
  program
    .command('check <url>')
    .description(
      'check an MCP URL the way Claude connects to it (discovery, OAuth, both protocol eras, error handling, latency); exits 0 when every required step passed, 1 otherwise. Opens no database: it works against any server',
    )
    .option(
      '--user <email>',
      "sign in as this Switchboard user on the server's own pages (password on standard input)",
    )
    .option(
      '--api-key',
      `skip OAuth and use an API key, from ${CHECK_API_KEY_VARIABLE} or the first line of standard input`,
    )
    .option('--client-id <id>', 'a pre-registered public client to use instead of registering one')
    .option('--scope <scope>', 'scope to ask for (default: what the server advertises)')
    .option(
      '--no-sign-in',
      'stop before signing in (discovery and registration only; the check is then incomplete)',
    )
    .option('--timeout <seconds>', 'per request', '15')
    .option('--wait <seconds>', 'how long to wait for the sign-in in the browser', '300')
    .option('--burst <n>', 'requests in the latency burst (0 skips it)', '20')
    .option('--verbose', 'show the details of passed steps too')
    .action(async (url: string, o: CheckFlags, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      const timeoutMs = wholeNumber(o.timeout, '--timeout', 1) * 1000;
      const waitMs = wholeNumber(o.wait, '--wait', 1) * 1000;
      const burst = wholeNumber(o.burst, '--burst', 0);
      if (!URL.parse(url)) throw new DomainError('invalid_argument', `not a URL: ${url}`);
      const auth = await authFor(o, kit, waitMs);
      const onEvent = (event: CheckEvent) => {
        // The link to open is needed even when stdout carries JSON; step lines only for people.
        if (json && event.type !== 'action-required') return;
        const line = renderProgress(event);
        if (line !== null) kit.progress(`${line}\n`);
      };
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      let report;
      try {
        report = await runCheck({ url, auth, timeoutMs, burst, signal: controller.signal }, onEvent);
      } catch (error) {
        if (error instanceof CheckInputError) throw new DomainError('invalid_argument', error.message);
        throw error;
      } finally {
        process.off('SIGINT', stop);
      }
      if (!json) kit.progress('\n');
      kit.out(cmd).result(report, () => renderReport(report, { verbose: Boolean(o.verbose) }));
      if (report.outcome !== 'pass') throw new ExitRequest(1);
    });
}
