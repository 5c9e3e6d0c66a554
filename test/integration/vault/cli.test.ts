/**
 * The `switchboard connection …` and `switchboard vault …` commands against a real database, with the
 * embedded default KEK (generated into the data folder) and the secret value fed on standard input.
 */
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { connectionCommands, type SecretInput } from '../../../apps/cli/src/commands/connection.command.js';
import { registerPackCommands } from '../../../apps/cli/src/commands/pack.command.js';
import { registerTenantCommands } from '../../../apps/cli/src/commands/tenant.command.js';
import { registerVaultCommands } from '../../../apps/cli/src/commands/vault.command.js';
import { createKit } from '../../../apps/cli/src/kit.js';
import { TenancyService } from '../../../src/tenancy/tenancy.service.js';
import { VaultService } from '../../../src/vault/vault.service.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../support/database.js';

jest.setTimeout(180_000);

describe.each(testDatabaseKinds())('vault commands on %s', (kind) => {
  let db: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  let stdin: string;
  const input: SecretInput = { read: async () => Buffer.from(stdin, 'utf8') };

  /** Runs one command line and returns what it printed (JSON parsed when --json is given). */
  async function cli(...argv: string[]): Promise<unknown> {
    let out = '';
    const program = new Command('switchboard').option('--json').exitOverride();
    const kit = createKit(env, (s) => (out += s));
    for (const register of [
      registerTenantCommands,
      registerPackCommands,
      connectionCommands(input),
      registerVaultCommands,
    ]) {
      register(program, kit);
    }
    await program.parseAsync(argv, { from: 'user' });
    return argv.includes('--json') ? JSON.parse(out) : out;
  }

  async function secretValue(tenant: string, connection: string, name: string): Promise<string> {
    return createKit(env, () => undefined).withContext(async (ctx) => {
      const t = await ctx.get(TenancyService).getTenant(tenant);
      const vault = ctx.get(VaultService);
      const c = await vault.findConnection({ tenantId: t.id }, connection);
      return vault.accessorFor(t.id, c.id).get(name);
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataDir = await mkdtemp(join(tmpdir(), 'sb-vault-cli-'));
    env = { NODE_ENV: 'test', SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    if (db.config.kind === 'postgres') env.DATABASE_URL = db.config.url;
    // PGlite's file system does not follow symlinks: move the per-file database where the config expects it.
    else await rename(db.config.dataDir, join(dataDir, 'pglite'));
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sets, lists, rotates and deletes secrets; values only ever go in', async () => {
    await cli('tenant', 'create', 'acme');
    await cli('pack', 'enable', 'protocol-test-kit', '--tenant', 'acme');
    const connections = (await cli('connection', 'list', '--tenant', 'acme', '--json')) as {
      name: string;
      secrets: number;
    }[];
    expect(connections.map((c) => [c.name, c.secrets])).toEqual(
      expect.arrayContaining([['protocol-test-kit', 0]]),
    );

    stdin = 'first-value\n';
    const set = await cli(
      'connection',
      'secret',
      'set',
      'protocol-test-kit',
      'api_token',
      '--tenant',
      'acme',
      '--json',
    );
    expect(set).toMatchObject({ connection: 'protocol-test-kit', name: 'api_token', version: 1 });
    expect(JSON.stringify(set)).not.toContain('first-value');
    expect(await secretValue('acme', 'protocol-test-kit', 'api_token')).toBe('first-value');

    stdin = 'line one\nline two\n';
    await cli(
      'connection',
      'secret',
      'set',
      'protocol-test-kit',
      'pem',
      '--tenant',
      'acme',
      '--keep-newline',
    );
    expect(await secretValue('acme', 'protocol-test-kit', 'pem')).toBe('line one\nline two\n');

    stdin = '\n';
    await expect(
      cli('connection', 'secret', 'set', 'protocol-test-kit', 'empty', '--tenant', 'acme'),
    ).rejects.toMatchObject({ code: 'invalid_argument' });

    const listed = await cli('connection', 'secret', 'list', '--tenant', 'acme', '--json');
    expect(listed).toEqual([
      expect.objectContaining({ connection: 'protocol-test-kit', name: 'api_token', version: 1 }),
      expect.objectContaining({ connection: 'protocol-test-kit', name: 'pem', version: 1 }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/first-value|line one/);
    expect(await cli('connection', 'secret', 'list', 'protocol-test-kit', '--tenant', 'acme')).toMatch(
      /api_token/,
    );

    // The embedded KEK was generated into the data folder.
    const keyFile = await readFile(join(dataDir, 'master.key'), 'utf8');
    const status = (await cli('vault', 'status', '--tenant', 'acme', '--json')) as {
      kms: { activeKekId: string; source: string };
      tenant: { versions: { version: number; state: string; secrets: number }[] };
    };
    expect(status.kms.source).toMatch(/generated key file/);
    expect(status.tenant.versions).toEqual([
      expect.objectContaining({ version: 1, state: 'active', secrets: 2 }),
    ]);
    expect(await cli('vault', 'status')).toMatch(/every data key is wrapped by the active KEK/);

    const kek = (await cli('vault', 'rotate-kek', '--new-key', '--json')) as {
      activeKekId: string;
      status: string;
      rewrapped: { tenantKeys: number };
    };
    expect(kek).toMatchObject({ status: 'completed', rewrapped: { tenantKeys: 1 } });
    expect(kek.activeKekId).not.toBe(status.kms.activeKekId);
    expect(await readFile(join(dataDir, 'master.key'), 'utf8')).toContain(keyFile.trim());

    const rotated = await cli(
      'vault',
      'rotate-tenant-key',
      '--tenant',
      'acme',
      '--batch-size',
      '1',
      '--max',
      '1',
      '--json',
    );
    expect(rotated).toMatchObject({ status: 'paused', toVersion: 2, reencrypted: 1, remaining: 1 });
    expect(await cli('vault', 'status')).toMatch(
      /rotation in progress: tenant acme to version 2, 1 re-encrypted, 1 remaining/,
    );
    expect(await cli('vault', 'rotate-tenant-key', '--tenant', 'acme')).toMatch(
      /resumed rotation .* retired version\(s\) 1/s,
    );
    expect(await secretValue('acme', 'protocol-test-kit', 'api_token')).toBe('first-value');

    await cli('connection', 'secret', 'delete', 'protocol-test-kit', 'api_token', '--tenant', 'acme');
    await expect(
      cli('connection', 'secret', 'delete', 'protocol-test-kit', 'api_token', '--tenant', 'acme'),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(cli('connection', 'secret', 'set', 'nope', 'x', '--tenant', 'acme')).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
