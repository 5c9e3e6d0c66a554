/** PlatformSecrets (the global provider other modules inject) on a real database. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SecretIntegrityError } from '../../../src/vault/vault-errors.js';
import { testDatabaseKinds } from '../../support/database.js';
import { newKek, VaultWorld, type VaultProcess } from './vault-harness.js';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds())('platform secrets on %s', (kind) => {
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

  it('seals and opens with the same context only, under one platform data key however many race for it', async () => {
    const sealed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => p.platform.seal(`client-secret-${i}`, `idp-client-secret:${i}`)),
    );
    expect(await p.prisma.platformKey.count()).toBe(1);
    for (const [i, s] of sealed.entries()) {
      expect(s.sealed).toMatch(/^sbp1\.1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(s.sealed).not.toContain('client-secret');
      expect(await p.platform.open(s, `idp-client-secret:${i}`)).toBe(`client-secret-${i}`);
    }
    await expect(p.platform.open(sealed[0]!, 'idp-client-secret:1')).rejects.toBeInstanceOf(
      SecretIntegrityError,
    );
  });

  it('refuses tampered and malformed values with an error that carries no plaintext', async () => {
    const s = await p.platform.seal('very-private-value', 'cookie-keys');
    const parts = s.sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    const tampered = { sealed: [...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.') };
    const error = (await p.platform.open(tampered, 'cookie-keys').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SecretIntegrityError);
    expect(error.message).not.toContain('very-private-value');
    for (const bad of ['', 'x', 'sbp1.0.a.b.c', 'sbp1.1.a.b', 'sbp2.1.a.b.c', 'sbp1.1.a+.b.c']) {
      await expect(p.platform.open({ sealed: bad }, 'cookie-keys')).rejects.toBeInstanceOf(
        SecretIntegrityError,
      );
    }
    await expect(p.platform.open({ sealed: 'sbp1.99.AAAA.AAAA.AAAA' }, 'cookie-keys')).rejects.toBeInstanceOf(
      SecretIntegrityError,
    );
    await expect(p.platform.seal('x', '')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
