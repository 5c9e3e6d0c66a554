import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig, type AppConfig } from '../config/index.js';
import {
  EMBEDDED_KEY_FILE,
  loadLocalKeyring,
  localKekId,
  LocalKmsProvider,
  prependNewKeyToFile,
} from './local-kms.provider.js';
import { SecretIntegrityError, UnknownKekError, VaultConfigurationError } from './vault-errors.js';

describe('local KMS provider', () => {
  let dir: string;
  const warnings: string[] = [];
  const log = { warn: (m: string) => void warnings.push(m) };
  const config = (env: Record<string, string>): AppConfig =>
    loadConfig({ SWITCHBOARD_DATA_DIR: dir, ...env });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-kms-'));
    warnings.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('wraps under the active KEK and unwraps only with the same context', async () => {
    const key = randomBytes(32);
    const kms = new LocalKmsProvider(
      await loadLocalKeyring(config({ SWITCHBOARD_MASTER_KEY: key.toString('hex') }), log),
    );
    expect(kms.activeKekId()).toBe(localKekId(key));
    const dataKey = randomBytes(32);
    const wrapped = await kms.wrap(dataKey, { tenantId: 'a', version: '1' });
    expect(wrapped.ciphertext.includes(dataKey)).toBe(false);
    expect((await kms.unwrap(wrapped, { version: '1', tenantId: 'a' })).equals(dataKey)).toBe(true);
    await expect(kms.unwrap(wrapped, { tenantId: 'b', version: '1' })).rejects.toBeInstanceOf(
      SecretIntegrityError,
    );
    await expect(
      kms.unwrap({ ...wrapped, kekId: 'local:0000' }, { tenantId: 'a', version: '1' }),
    ).rejects.toBeInstanceOf(UnknownKekError);
    expect(warnings).toEqual([]);
  });

  it('unwraps with a previous KEK from the environment, and wraps with the new one', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = new LocalKmsProvider(
      await loadLocalKeyring(config({ SWITCHBOARD_MASTER_KEY: oldKey.toString('base64') }), log),
    );
    const wrapped = await before.wrap(Buffer.alloc(32, 9), { p: 'x' });
    const after = new LocalKmsProvider(
      await loadLocalKeyring(
        config({
          SWITCHBOARD_MASTER_KEY: newKey.toString('hex'),
          SWITCHBOARD_MASTER_KEY_PREVIOUS: oldKey.toString('hex'),
        }),
        log,
      ),
    );
    expect(after.describe().previousKekIds).toEqual([localKekId(oldKey)]);
    expect((await after.unwrap(wrapped, { p: 'x' })).equals(Buffer.alloc(32, 9))).toBe(true);
    expect((await after.wrap(Buffer.alloc(32, 9), { p: 'x' })).kekId).toBe(localKekId(newKey));
  });

  it('generates the embedded default once, mode 0600, with a warning, and reuses it', async () => {
    const first = await loadLocalKeyring(config({}), log);
    const path = join(dir, EMBEDDED_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toMatch(/Generated a new key-encryption key/);
    const second = await loadLocalKeyring(config({}), log);
    expect(second.active.id).toBe(first.active.id);
    expect(warnings[1]).toMatch(/Using the key-encryption key/);
  });

  it('refuses to generate a KEK in production on PostgreSQL', async () => {
    const production = config({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db.example/sb' });
    await expect(loadLocalKeyring(production, log)).rejects.toThrow(VaultConfigurationError);
    await expect(loadLocalKeyring(production, log)).rejects.toThrow(/SWITCHBOARD_MASTER_KEY/);
  });

  it('reads a key file: first line active, later lines previous; warns when others can read it', async () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const path = join(dir, 'kek');
    await writeFile(path, `# comment\n${a.toString('hex')}\n${b.toString('base64')}\n`, { mode: 0o644 });
    const ring = await loadLocalKeyring(config({ SWITCHBOARD_MASTER_KEY_FILE: path }), log);
    expect(ring.active.id).toBe(localKekId(a));
    expect(ring.previous.map((k) => k.id)).toEqual([localKekId(b)]);
    expect(warnings.join()).toMatch(/chmod 600/);
    await writeFile(path, 'abcd\n');
    await expect(loadLocalKeyring(config({ SWITCHBOARD_MASTER_KEY_FILE: path }), log)).rejects.toThrow(
      /32 bytes/,
    );
    await expect(
      loadLocalKeyring(config({ SWITCHBOARD_MASTER_KEY_FILE: join(dir, 'missing') }), log),
    ).rejects.toThrow(/cannot read/);
  });

  it('puts a new key in front of the key file and keeps the old ones', async () => {
    const ring = await loadLocalKeyring(config({}), log);
    const r = await prependNewKeyToFile(config({}));
    expect(r.previousKekIds).toEqual([ring.active.id]);
    const after = await loadLocalKeyring(config({}), log);
    expect(after.active.id).toBe(r.activeKekId);
    expect(after.previous.map((k) => k.id)).toEqual([ring.active.id]);
    expect((await stat(r.path)).mode & 0o777).toBe(0o600);
    expect(await readFile(r.path, 'utf8')).toMatch(/first line is active/);
    await expect(prependNewKeyToFile(config({ SWITCHBOARD_MASTER_KEY: 'ab'.repeat(32) }))).rejects.toThrow(
      /SWITCHBOARD_MASTER_KEY_PREVIOUS/,
    );
  });

  it('rejects a previous key that is not 32 bytes at configuration time', () => {
    expect(() => config({ SWITCHBOARD_MASTER_KEY_PREVIOUS: 'ab'.repeat(16) })).toThrow(
      /SWITCHBOARD_MASTER_KEY_PREVIOUS/,
    );
  });
});
