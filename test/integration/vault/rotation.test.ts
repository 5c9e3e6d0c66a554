/**
 * Rotation on a real database: KEK rotation re-wraps data keys (secrets untouched) with the old KEK kept as
 * a previous key; data-key rotation re-encrypts a tenant's secrets in batches, survives being stopped and
 * failing mid-way (carried on by a new process), races with writers, and retires the old version.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { localKekId } from '../../../src/vault/local-kms.provider.js';
import { UnknownKekError } from '../../../src/vault/vault-errors.js';
import { testDatabaseKinds } from '../../support/database.js';
import { createTenantWithConnections, newKek, VaultWorld, type VaultProcess } from './vault-harness.js';

jest.setTimeout(180_000);

async function fill(
  p: VaultProcess,
  tenantId: string,
  connectionId: string,
  n: number,
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const name = `secret_${String(i).padStart(3, '0')}`;
    const value = `value-${i}-${Math.random().toString(36).slice(2)}`;
    await p.vault.setSecret({ tenantId }, connectionId, name, value);
    values.set(name, value);
  }
  return values;
}

async function expectAll(
  p: VaultProcess,
  tenantId: string,
  connectionId: string,
  values: Map<string, string>,
) {
  const accessor = p.vault.accessorFor(tenantId, connectionId);
  for (const [name, value] of values) expect(await accessor.get(name)).toBe(value);
}

describe.each(testDatabaseKinds())('vault rotation on %s', (kind) => {
  let world: VaultWorld;
  const open: VaultProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const p = await world.start(env);
    open.push(p);
    return p;
  };
  const stop = async (p: VaultProcess) => {
    open.splice(open.indexOf(p), 1);
    await p.close();
  };

  beforeEach(async () => {
    world = await VaultWorld.create(kind);
  });
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
    await world.dispose();
  });

  it('rotates the KEK: data keys re-wrapped, secrets untouched, old KEK no longer needed', async () => {
    const [kekA, kekB] = [newKek(), newKek()];
    const before = await start({ SWITCHBOARD_MASTER_KEY: kekA });
    const t1 = await createTenantWithConnections(before.prisma);
    const t2 = await createTenantWithConnections(before.prisma);
    const v1 = await fill(before, t1.tenantId, t1.connections.crm!, 5);
    const v2 = await fill(before, t2.tenantId, t2.connections.crm!, 5);
    const sealed = await before.platform.seal('signing-key-pem', 'oauth-signing-key:k1');
    const secretsBefore = await before.prisma.secret.findMany({ orderBy: { id: 'asc' } });
    await stop(before);

    // Only the new KEK: data keys wrapped by the old one cannot be opened, with an error saying what to do.
    const without = await start({ SWITCHBOARD_MASTER_KEY: kekB });
    const error = await without.vault
      .accessorFor(t1.tenantId, t1.connections.crm!)
      .get('secret_000')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownKekError);
    expect((error as Error).message).toMatch(/SWITCHBOARD_MASTER_KEY_PREVIOUS/);
    await stop(without);

    const during = await start({ SWITCHBOARD_MASTER_KEY: kekB, SWITCHBOARD_MASTER_KEY_PREVIOUS: kekA });
    const statusBefore = await during.rotation.status();
    expect(statusBefore.awaitingRewrap).toBe(3);
    await expectAll(during, t1.tenantId, t1.connections.crm!, v1);
    // Stopped after one key, then carried on.
    const partial = await during.rotation.rotateKek({ batchSize: 1, maxItems: 1 });
    expect(partial).toMatchObject({ status: 'paused', remaining: 2 });
    const rest = await during.rotation.rotateKek({ batchSize: 1 });
    expect(rest).toMatchObject({ status: 'completed', remaining: 0, failures: [] });
    expect(partial.rewrapped.tenantKeys + rest.rewrapped.tenantKeys).toBe(2);
    expect(rest.rewrapped.platformKeys).toBe(1);
    expect((await during.rotation.status()).tenantKeys.byKek).toEqual({
      [localKekId(Buffer.from(kekB, 'hex'))]: 2,
    });
    // Running it again finds nothing to do.
    expect((await during.rotation.rotateKek()).rewrapped).toEqual({ tenantKeys: 0, platformKeys: 0 });
    await stop(during);

    const after = await start({ SWITCHBOARD_MASTER_KEY: kekB });
    await expectAll(after, t1.tenantId, t1.connections.crm!, v1);
    await expectAll(after, t2.tenantId, t2.connections.crm!, v2);
    expect(await after.platform.open(sealed, 'oauth-signing-key:k1')).toBe('signing-key-pem');
    const secretsAfter = await after.prisma.secret.findMany({ orderBy: { id: 'asc' } });
    expect(secretsAfter).toEqual(secretsBefore);
  });

  it('rotates a tenant data key in batches, stopped and resumed by a new process, then retires the old key', async () => {
    const env = { SWITCHBOARD_MASTER_KEY: newKek() };
    const first = await start(env);
    const t = await createTenantWithConnections(first.prisma, ['crm', 'tracker']);
    const other = await createTenantWithConnections(first.prisma);
    const crm = await fill(first, t.tenantId, t.connections.crm!, 17);
    const tracker = await fill(first, t.tenantId, t.connections.tracker!, 8);
    const untouched = await fill(first, other.tenantId, other.connections.crm!, 3);
    const scope = { tenantId: t.tenantId };

    const run1 = await first.rotation.rotateTenantKey(scope, { batchSize: 4, maxItems: 10 });
    expect(run1).toMatchObject({
      status: 'paused',
      resumed: false,
      toVersion: 2,
      reencrypted: 10,
      remaining: 15,
      retiredVersions: [],
    });
    const mid = await first.rotation.status(scope);
    expect(mid.rotations).toEqual([
      expect.objectContaining({ tenantId: t.tenantId, toVersion: 2, reencrypted: 10, remaining: 15 }),
    ]);
    expect(mid.tenant?.versions.map((v) => [v.version, v.state, v.secrets])).toEqual([
      [1, 'retiring', 15],
      [2, 'active', 10],
    ]);
    // Mid-rotation everything still decrypts, and new writes go to the new version.
    await expectAll(first, t.tenantId, t.connections.crm!, crm);
    expect(
      (await first.vault.setSecret(scope, t.connections.crm!, 'written_mid_rotation', 'fresh')).keyVersion,
    ).toBe(2);
    crm.set('written_mid_rotation', 'fresh');
    await stop(first);

    // A second process fails half-way through a batch write (database trouble), then a third finishes.
    const second = await start(env);
    const store = second.repo.storeReencrypted.bind(second.repo);
    let calls = 0;
    jest.spyOn(second.repo, 'storeReencrypted').mockImplementation(async (...args) => {
      if (++calls === 2) throw new Error('connection reset');
      return store(...args);
    });
    await expect(second.rotation.rotateTenantKey(scope, { batchSize: 3 })).rejects.toThrow(
      'connection reset',
    );
    await stop(second);

    const third = await start(env);
    const run3 = await third.rotation.rotateTenantKey(scope, { batchSize: 4 });
    expect(run3).toMatchObject({
      status: 'completed',
      resumed: true,
      toVersion: 2,
      remaining: 0,
      retiredVersions: [1],
    });
    expect(run3.reencrypted).toBe(12);
    expect(run3.reencryptedTotal).toBe(25);
    await expectAll(third, t.tenantId, t.connections.crm!, crm);
    await expectAll(third, t.tenantId, t.connections.tracker!, tracker);
    await expectAll(third, other.tenantId, other.connections.crm!, untouched);

    const keys = await third.prisma.tenantKey.findMany({
      where: { tenantId: t.tenantId },
      orderBy: { version: 'asc' },
    });
    expect(
      keys.map((k) => ({
        v: k.version,
        active: k.active,
        retired: k.retiredAt !== null,
        wrapped: k.wrappedKey.length > 0,
      })),
    ).toEqual([
      { v: 1, active: false, retired: true, wrapped: false },
      { v: 2, active: true, retired: false, wrapped: true },
    ]);
    expect(keys[1]!.rotationFinishedAt).not.toBeNull();
    expect(await third.prisma.secret.count({ where: { tenantId: t.tenantId, keyVersion: { not: 2 } } })).toBe(
      0,
    );
    expect(await third.prisma.secret.count({ where: { tenantId: other.tenantId, keyVersion: 1 } })).toBe(3);
    expect((await third.rotation.status()).rotations).toEqual([]);

    // The next rotation starts afresh at version 3.
    const again = await third.rotation.rotateTenantKey(scope);
    expect(again).toMatchObject({
      status: 'completed',
      resumed: false,
      toVersion: 3,
      reencrypted: 26,
      retiredVersions: [2],
    });
    await expectAll(third, t.tenantId, t.connections.crm!, crm);
  });

  it('keeps every write when secrets are set while the tenant key rotates', async () => {
    const p = await start({ SWITCHBOARD_MASTER_KEY: newKek() });
    const t = await createTenantWithConnections(p.prisma);
    const scope = { tenantId: t.tenantId };
    const values = await fill(p, t.tenantId, t.connections.crm!, 20);
    const writes = Array.from(
      { length: 20 },
      (_, i) => [`secret_${String(i).padStart(3, '0')}`, `new-${i}`] as const,
    );
    const [report] = await Promise.all([
      p.rotation.rotateTenantKey(scope, { batchSize: 2 }),
      ...writes.map(async ([name, value], i) => {
        await new Promise((r) => setTimeout(r, i * 2));
        await p.vault.setSecret(scope, t.connections.crm!, name, value);
      }),
    ]);
    expect(report.status).toBe('completed');
    for (const [name, value] of writes) values.set(name, value);
    await expectAll(p, t.tenantId, t.connections.crm!, values);
    const versions = await p.rotation.status(scope);
    expect(versions.tenant?.versions.map((v) => [v.version, v.state, v.secrets])).toEqual([
      [1, 'retired', 0],
      [2, 'active', 20],
    ]);
  });

  it('has nothing to rotate for a tenant that never stored a secret', async () => {
    const p = await start({ SWITCHBOARD_MASTER_KEY: newKek() });
    const t = await createTenantWithConnections(p.prisma);
    expect(await p.rotation.rotateTenantKey({ tenantId: t.tenantId })).toMatchObject({
      status: 'none',
      toVersion: null,
    });
    await expect(
      p.rotation.rotateTenantKey({ tenantId: t.tenantId }, { batchSize: 0 }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
