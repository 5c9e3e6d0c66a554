/**
 * The vault on a real database (PGlite always, PostgreSQL when TEST_DATABASE_URL is set): round trips,
 * ciphertexts bound to their row and tenant, write-only listings, no plaintext at rest, and concurrent
 * writers racing for a tenant's first data key.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SecretIntegrityError } from '../../../src/vault/vault-errors.js';
import { testDatabaseKinds } from '../../support/database.js';
import {
  createTenantWithConnections,
  databaseContains,
  newKek,
  VaultWorld,
  type VaultProcess,
} from './vault-harness.js';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds())('vault on %s', (kind) => {
  let world: VaultWorld;
  let p: VaultProcess;

  beforeAll(async () => {
    world = await VaultWorld.create(kind);
    p = await world.start({ SWITCHBOARD_MASTER_KEY: newKek() });
  });
  afterAll(async () => {
    await p?.close();
    await world?.dispose();
  });

  it('stores, replaces, reads, lists and deletes a secret without ever listing its value', async () => {
    const { tenantId, connections } = await createTenantWithConnections(p.prisma);
    const scope = { tenantId };
    const crm = connections.crm!;
    const first = await p.vault.setSecret(scope, crm, 'api_token', 'tok-één-🔑');
    expect(first).toMatchObject({ name: 'api_token', version: 1, keyVersion: 1, connectionId: crm });
    const accessor = p.vault.accessorFor(tenantId, crm);
    expect(await accessor.get('api_token')).toBe('tok-één-🔑');
    expect(await accessor.has('api_token')).toBe(true);
    expect(await accessor.has('other')).toBe(false);

    const second = await p.vault.setSecret(scope, crm, 'api_token', 'rotated-by-admin');
    expect(second.version).toBe(2);
    expect(second.createdAt).toEqual(first.createdAt);
    expect(await accessor.get('api_token')).toBe('rotated-by-admin');

    const listed = await p.vault.listSecrets(scope, crm);
    expect(listed).toHaveLength(1);
    expect(Object.keys(listed[0]!).sort()).toEqual([
      'connectionId',
      'createdAt',
      'keyVersion',
      'name',
      'updatedAt',
      'version',
    ]);
    expect(JSON.stringify(listed)).not.toContain('rotated-by-admin');

    await p.vault.deleteSecret(scope, crm, 'api_token');
    await expect(accessor.get('api_token')).rejects.toMatchObject({ code: 'not_found' });
    await expect(p.vault.deleteSecret(scope, crm, 'api_token')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses bad names, empty and oversized values, and connections of another tenant', async () => {
    const a = await createTenantWithConnections(p.prisma);
    const b = await createTenantWithConnections(p.prisma);
    const scope = { tenantId: a.tenantId };
    await expect(p.vault.setSecret(scope, a.connections.crm!, 'bad name', 'v')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(p.vault.setSecret(scope, a.connections.crm!, 'x', '')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      p.vault.setSecret(scope, a.connections.crm!, 'x', 'v'.repeat(64 * 1024 + 1)),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(p.vault.setSecret(scope, b.connections.crm!, 'x', 'v')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(p.vault.listSecrets(scope, b.connections.crm!)).rejects.toMatchObject({ code: 'not_found' });
    // An accessor built for the wrong tenant finds nothing rather than reading across tenants.
    await p.vault.setSecret({ tenantId: b.tenantId }, b.connections.crm!, 'token', 'b-secret');
    await expect(p.vault.accessorFor(a.tenantId, b.connections.crm!).get('token')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('fails to decrypt a ciphertext copied to another row, connection or tenant', async () => {
    const a = await createTenantWithConnections(p.prisma, ['crm', 'tracker']);
    const b = await createTenantWithConnections(p.prisma);
    const scopeA = { tenantId: a.tenantId };
    await p.vault.setSecret(scopeA, a.connections.crm!, 'source', 'the-real-value');
    await p.vault.setSecret(scopeA, a.connections.crm!, 'same_connection', 'other');
    await p.vault.setSecret(scopeA, a.connections.tracker!, 'source', 'other');
    await p.vault.setSecret({ tenantId: b.tenantId }, b.connections.crm!, 'source', 'other');
    const source = await p.prisma.secret.findFirstOrThrow({
      where: { tenantId: a.tenantId, connectionId: a.connections.crm!, name: 'source' },
    });
    const copy = {
      ciphertext: source.ciphertext,
      iv: source.iv,
      authTag: source.authTag,
      keyVersion: source.keyVersion,
    };

    await p.prisma.secret.updateMany({
      where: { connectionId: a.connections.crm!, name: 'same_connection' },
      data: copy,
    });
    await p.prisma.secret.updateMany({
      where: { connectionId: a.connections.tracker!, name: 'source' },
      data: copy,
    });
    await p.prisma.secret.updateMany({
      where: { connectionId: b.connections.crm!, name: 'source' },
      data: copy,
    });
    const failuresBefore = p.metrics.snapshot().decryptFailures;

    await expect(
      p.vault.accessorFor(a.tenantId, a.connections.crm!).get('same_connection'),
    ).rejects.toBeInstanceOf(SecretIntegrityError);
    await expect(
      p.vault.accessorFor(a.tenantId, a.connections.tracker!).get('source'),
    ).rejects.toBeInstanceOf(SecretIntegrityError);
    await expect(p.vault.accessorFor(b.tenantId, b.connections.crm!).get('source')).rejects.toBeInstanceOf(
      SecretIntegrityError,
    );
    // Renaming a row breaks it too: the name is bound as well.
    await p.prisma.secret.updateMany({ where: { id: source.id }, data: { name: 'renamed' } });
    const error = (await p.vault
      .accessorFor(a.tenantId, a.connections.crm!)
      .get('renamed')
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SecretIntegrityError);
    expect(error.message).not.toContain('the-real-value');
    expect(p.metrics.snapshot().decryptFailures - failuresBefore).toBe(4);
  });

  it('keeps no plaintext anywhere in the database', async () => {
    const canary = `canary-${Date.now()}-plaintext-at-rest`;
    const { tenantId, connections } = await createTenantWithConnections(p.prisma);
    await p.vault.setSecret({ tenantId }, connections.crm!, 'token', canary);
    await p.platform.seal(canary, 'test:at-rest');
    const [row] = await p.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM "Secret" WHERE "tenantId" = $1::uuid`,
      tenantId,
    );
    expect(Buffer.from(row!.ciphertext as Uint8Array).length).toBe(Buffer.byteLength(canary));
    expect(await databaseContains(p.prisma, canary)).toEqual([]);
    // The check itself works: a plaintext written on purpose is found.
    await p.prisma.connection.update({ where: { id: connections.crm! }, data: { config: { note: canary } } });
    expect(await databaseContains(p.prisma, canary)).toEqual(['Connection']);
  });

  it('gives a tenant exactly one first data key when writers race for it', async () => {
    const { tenantId, connections } = await createTenantWithConnections(p.prisma);
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    await Promise.all(names.map((n) => p.vault.setSecret({ tenantId }, connections.crm!, n, `value-${n}`)));
    await Promise.all(
      names.map((n) => p.vault.setSecret({ tenantId }, connections.crm!, 'same', `value-${n}`)),
    );
    const keys = await p.prisma.tenantKey.findMany({ where: { tenantId } });
    expect(keys.map((k) => [k.version, k.active])).toEqual([[1, true]]);
    const accessor = p.vault.accessorFor(tenantId, connections.crm!);
    for (const n of names) expect(await accessor.get(n)).toBe(`value-${n}`);
    expect(await accessor.get('same')).toMatch(/^value-s\d+$/);
    expect((await p.vault.listSecrets({ tenantId })).find((s) => s.name === 'same')?.version).toBe(
      names.length,
    );
  });

  it('counts its operations for metrics', async () => {
    const before = p.vault.stats();
    const { tenantId, connections } = await createTenantWithConnections(p.prisma);
    await p.vault.setSecret({ tenantId }, connections.crm!, 'k', 'v');
    await p.vault.accessorFor(tenantId, connections.crm!).get('k');
    await p.vault.accessorFor(tenantId, connections.crm!).get('k');
    const after = p.vault.stats();
    expect(after.encrypt - before.encrypt).toBe(1);
    expect(after.decrypt - before.decrypt).toBe(2);
    expect(after.wrap - before.wrap).toBe(1);
    expect(after.keyCacheHits - before.keyCacheHits).toBeGreaterThanOrEqual(2);
  });
});
