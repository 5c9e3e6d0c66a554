/**
 * The `switchboard` command, run in-process (same code path as the binary) against a real database:
 * results, --json output, and exit codes for bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCliHarness, type CliHarness } from '../../support/cli.js';
import { testDatabaseKinds } from '../../support/database.js';

describe.each(testDatabaseKinds())('switchboard CLI on %s', (kind) => {
  let h: CliHarness;
  const cli = (...argv: string[]) => h.cli(...argv);
  const json = <T>(...argv: string[]) => h.json<T>(...argv);

  beforeAll(async () => {
    h = await createCliHarness(kind);
  });

  afterAll(async () => {
    await h?.dispose();
  });

  it('creates and lists tenants, endpoints, packs and keys', async () => {
    const tenant = await json<{ slug: string; mcpUrl: string }>(
      'tenant',
      'create',
      'cli-acme',
      '--owner',
      'owner@acme.example',
    );
    expect(tenant).toMatchObject({ slug: 'cli-acme', mcpUrl: 'http://localhost:3000/t/cli-acme/mcp' });
    expect((await json<{ slug: string }[]>('tenant', 'list')).map((t) => t.slug)).toContain('cli-acme');

    const endpoint = await json<{ mcpUrl: string; public: boolean }>(
      'endpoint',
      'create',
      'sales',
      '--tenant',
      'cli-acme',
    );
    expect(endpoint).toMatchObject({ mcpUrl: 'http://localhost:3000/t/cli-acme/e/sales/mcp', public: false });
    expect(
      (await json<{ slug: string }[]>('endpoint', 'list', '--tenant', 'cli-acme')).map((e) => e.slug),
    ).toEqual(['default', 'sales']);

    const enabled = await json<{ mode: string }>(
      'pack',
      'enable',
      'protocol-test-kit',
      '--tenant',
      'cli-acme',
      '--endpoint',
      'sales',
      '--tools',
      'test_simple_text',
    );
    expect(enabled.mode).toBe('selected');
    expect(
      await json('pack', 'disable', 'protocol-test-kit', '--tenant', 'cli-acme', '--endpoint', 'sales'),
    ).toMatchObject({ detached: 1 });

    const key = await json<{ key: string; prefix: string }>(
      'key',
      'create',
      '--tenant',
      'cli-acme',
      '--name',
      'ci',
    );
    expect(key.key.startsWith(`${key.prefix}_`)).toBe(true);
    const listed = await json<Record<string, unknown>[]>('key', 'list', '--tenant', 'cli-acme');
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.key.slice(key.prefix.length + 1));
    expect(await json('key', 'revoke', key.prefix, '--tenant', 'cli-acme')).toMatchObject({
      prefix: key.prefix,
      revokedAt: expect.any(String),
    });
    expect(await json('key', 'list', '--tenant', 'cli-acme')).toEqual([]);
  });

  it.each([
    [['tenant', 'create', 'Not A Slug'], 'invalid_argument'],
    [['tenant', 'create', 'admin'], 'invalid_argument'],
    [['endpoint', 'create', 'x1', '--tenant', 'no-such-tenant'], 'not_found'],
    [['pack', 'enable', 'no-such-pack', '--tenant', 'no-such-tenant'], 'not_found'],
    [['key', 'create', '--tenant', 'no-such-tenant'], 'not_found'],
    [['key', 'revoke', 'sb_aaaaaaaaaaaa', '--tenant', 'no-such-tenant'], 'not_found'],
  ])('exits 2 with a structured error for %j', async (argv, code) => {
    const r = await cli(...argv, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it('refuses a duplicate tenant with a conflict', async () => {
    await json('tenant', 'create', 'cli-dup');
    const r = await cli('tenant', 'create', 'cli-dup');
    expect(r.code).toBe(2);
    expect(r.err).toContain('already exists');
  });

  it('rejects bad scopes, bad numbers and bad JSON before touching anything', async () => {
    await json('tenant', 'create', 'cli-bad', '--owner', 'o@bad.example');
    expect((await cli('key', 'create', '--tenant', 'cli-bad', '--scopes', 'root')).code).toBe(2);
    expect((await cli('key', 'create', '--tenant', 'cli-bad', '--expires-days', '0')).code).toBe(2);
    expect(
      (await cli('pack', 'enable', 'protocol-test-kit', '--tenant', 'cli-bad', '--config', '{nope')).code,
    ).toBe(2);
    expect(await json('key', 'list', '--tenant', 'cli-bad')).toEqual([]);
  });

  it('exits 2 on unknown commands and missing options, and 78 on bad configuration', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('key', 'create')).code).toBe(2);
    const saved = h.env;
    h.env = { ...saved, PORT: 'not-a-port' };
    const r = await cli('tenant', 'list');
    h.env = saved;
    expect(r.code).toBe(78);
    expect(r.err).toContain('PORT');
  });
});
