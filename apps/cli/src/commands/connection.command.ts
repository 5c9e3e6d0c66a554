import type { Command } from 'commander';
import { DomainError } from '../../../../src/common/domain-error.js';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { MAX_SECRET_BYTES, VaultService } from '../../../../src/vault/vault.service.js';
import type { CliKit } from '../kit.js';

/** Where a secret value comes from: never argv (visible in `ps` and shell history). */
export interface SecretInput {
  /** Resolves to the raw bytes given; `prompt` is shown when the input is a terminal. */
  read(prompt: string): Promise<Buffer>;
}

/**
 * Standard input: piped input is read to the end; a terminal gets a prompt on stderr and no echo. Refuses
 * more than MAX_SECRET_BYTES rather than buffering without bound.
 */
export const stdinSecretInput: SecretInput = {
  read(prompt) {
    const stdin = process.stdin;
    return stdin.isTTY ? readFromTerminal(stdin, prompt) : readAll(stdin);
  },
};

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_SECRET_BYTES + 2) {
      for (const c of chunks) c.fill(0);
      throw new DomainError('invalid_argument', `a secret value must be at most ${MAX_SECRET_BYTES} bytes`);
    }
    chunks.push(b);
  }
  const all = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  return all;
}

function readFromTerminal(stdin: NodeJS.ReadStream, prompt: string): Promise<Buffer> {
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(Buffer.from(value, 'utf8'));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new DomainError('invalid_argument', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** One trailing newline is what `echo` and editors add, not part of the secret. */
function withoutFinalNewline(b: Buffer): Buffer {
  if (b.length >= 2 && b[b.length - 2] === 0x0d && b[b.length - 1] === 0x0a) return b.subarray(0, -2);
  if (b.length >= 1 && b[b.length - 1] === 0x0a) return b.subarray(0, -1);
  return b;
}

function iso(d: Date): string {
  return d.toISOString();
}

export function connectionCommands(input: SecretInput): (program: Command, kit: CliKit) => void {
  return (program, kit) => {
    const connection = program.command('connection').description("a tenant's connections and their secrets");
    connection
      .command('list')
      .description("list a tenant's connections with how many secrets each holds")
      .requiredOption('--tenant <slug>', 'tenant')
      .action((o: { tenant: string }, cmd: Command) =>
        kit.withContext(async (ctx) => {
          const tenant = await ctx.get(TenancyService).getTenant(o.tenant);
          const rows = await ctx.get(VaultService).listConnections({ tenantId: tenant.id });
          const out = kit.out(cmd);
          out.result(rows, () =>
            out.table(rows as unknown as Record<string, unknown>[], [
              'name',
              'packId',
              'enabled',
              'secrets',
              'id',
            ]),
          );
        }),
      );

    const secret = connection.command('secret').description("a connection's secrets (values are write-only)");
    secret
      .command('set <connection> <name>')
      .description('store a secret, reading its value from standard input (never from the command line)')
      .requiredOption('--tenant <slug>', 'tenant')
      .option('--keep-newline', 'keep a trailing newline in the value')
      .action(
        (connectionRef: string, name: string, o: { tenant: string; keepNewline?: boolean }, cmd: Command) =>
          kit.withContext(async (ctx) => {
            const tenant = await ctx.get(TenancyService).getTenant(o.tenant);
            const scope = { tenantId: tenant.id };
            const vault = ctx.get(VaultService);
            const c = await vault.findConnection(scope, connectionRef);
            const raw = await input.read(`value for ${c.name}/${name} (not echoed): `);
            try {
              const value = o.keepNewline ? raw : withoutFinalNewline(raw);
              if (value.length === 0) {
                throw new DomainError(
                  'invalid_argument',
                  'no value on standard input; pipe it in, e.g. printf %s "$TOKEN" | switchboard connection secret set …',
                );
              }
              const v = await vault.setSecret(scope, c.id, name, value.toString('utf8'));
              kit.out(cmd).result(
                {
                  connection: c.name,
                  name: v.name,
                  version: v.version,
                  createdAt: iso(v.createdAt),
                  updatedAt: iso(v.updatedAt),
                },
                () => `stored secret ${v.name} of connection ${c.name} (version ${v.version})`,
              );
            } finally {
              raw.fill(0);
            }
          }),
      );
    secret
      .command('list [connection]')
      .description("list secrets' names, versions and timestamps (never their values)")
      .requiredOption('--tenant <slug>', 'tenant')
      .action((connectionRef: string | undefined, o: { tenant: string }, cmd: Command) =>
        kit.withContext(async (ctx) => {
          const tenant = await ctx.get(TenancyService).getTenant(o.tenant);
          const scope = { tenantId: tenant.id };
          const vault = ctx.get(VaultService);
          const connections = await vault.listConnections(scope);
          const only =
            connectionRef === undefined ? undefined : await vault.findConnection(scope, connectionRef);
          const names = new Map(connections.map((c) => [c.id, c.name]));
          const rows = (await vault.listSecrets(scope, only?.id)).map((s) => ({
            connection: names.get(s.connectionId) ?? s.connectionId,
            name: s.name,
            version: s.version,
            createdAt: iso(s.createdAt),
            updatedAt: iso(s.updatedAt),
          }));
          const out = kit.out(cmd);
          out.result(rows, () => out.table(rows, ['connection', 'name', 'version', 'updatedAt']));
        }),
      );
    secret
      .command('delete <connection> <name>')
      .description('delete a secret')
      .requiredOption('--tenant <slug>', 'tenant')
      .action((connectionRef: string, name: string, o: { tenant: string }, cmd: Command) =>
        kit.withContext(async (ctx) => {
          const tenant = await ctx.get(TenancyService).getTenant(o.tenant);
          const scope = { tenantId: tenant.id };
          const vault = ctx.get(VaultService);
          const c = await vault.findConnection(scope, connectionRef);
          await vault.deleteSecret(scope, c.id, name);
          kit
            .out(cmd)
            .result(
              { connection: c.name, name, deleted: true },
              () => `deleted secret ${name} of connection ${c.name}`,
            );
        }),
      );
  };
}

export const registerConnectionCommands = connectionCommands(stdinSecretInput);
