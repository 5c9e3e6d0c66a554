import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeKey, type AppConfig } from '../config/index.js';
import { associatedData, IV_BYTES, KEY_BYTES, open, seal, TAG_BYTES } from './envelope.js';
import { KmsProvider, type KmsContext, type KmsDescription, type WrappedKey } from './kms-provider.js';
import { SecretIntegrityError, UnknownKekError, VaultConfigurationError } from './vault-errors.js';

export interface LocalKek {
  readonly id: string;
  readonly key: Buffer;
}

export interface LocalKeyring {
  readonly active: LocalKek;
  readonly previous: readonly LocalKek[];
  /** Human-readable origin of the active key, for status and boot logs. */
  readonly source: string;
}

/** The file the embedded default generates its KEK into. */
export const EMBEDDED_KEY_FILE = 'master.key';
const WRAP_FORMAT = 1;

/**
 * A KEK's public id: an HMAC of a fixed label under the key, so ids are stable, distinct per key and say
 * nothing usable about the key itself.
 */
export function localKekId(key: Buffer): string {
  return `local:${createHmac('sha256', key).update('switchboard kek id').digest('hex').slice(0, 16)}`;
}

function kek(key: Buffer): LocalKek {
  return { id: localKekId(key), key };
}

/** The KEK lives in this process; every wrap binds the context as associated data. */
export class LocalKmsProvider extends KmsProvider {
  private readonly byId: ReadonlyMap<string, LocalKek>;

  constructor(private readonly keyring: LocalKeyring) {
    super();
    this.byId = new Map([keyring.active, ...keyring.previous].map((k) => [k.id, k]));
  }

  activeKekId(): string {
    return this.keyring.active.id;
  }

  async wrap(dataKey: Buffer, context: KmsContext): Promise<WrappedKey> {
    const s = seal(this.keyring.active.key, dataKey, contextAad(context));
    return {
      kekId: this.keyring.active.id,
      ciphertext: Buffer.concat([Buffer.from([WRAP_FORMAT]), s.iv, s.authTag, s.ciphertext]),
    };
  }

  async unwrap(wrapped: WrappedKey, context: KmsContext): Promise<Buffer> {
    const k = this.byId.get(wrapped.kekId);
    if (!k) throw new UnknownKekError(wrapped.kekId);
    const c = wrapped.ciphertext;
    const head = 1 + IV_BYTES + TAG_BYTES;
    if (c.length !== head + KEY_BYTES || c[0] !== WRAP_FORMAT) throw new SecretIntegrityError('a data key');
    const key = open(
      k.key,
      {
        iv: c.subarray(1, 1 + IV_BYTES),
        authTag: c.subarray(1 + IV_BYTES, head),
        ciphertext: c.subarray(head),
      },
      contextAad(context),
    );
    if (!key) throw new SecretIntegrityError('a data key');
    return key;
  }

  describe(): KmsDescription {
    return {
      provider: 'local',
      activeKekId: this.keyring.active.id,
      previousKekIds: this.keyring.previous.map((k) => k.id),
      source: this.keyring.source,
    };
  }
}

function contextAad(context: KmsContext): Buffer {
  const keys = Object.keys(context).sort();
  return associatedData(['switchboard/kek/v1', ...keys.flatMap((k) => [k, context[k] ?? ''])]);
}

/** Where the KEK file is, when the KEK comes from a file (configured or the embedded default); else null. */
export function localKeyFilePath(config: AppConfig): string | null {
  if (config.vault.masterKey !== null) return null;
  return config.vault.masterKeyFile ?? join(config.dataDir, EMBEDDED_KEY_FILE);
}

export interface KeyringLog {
  warn(message: string): void;
}

/**
 * Loads the KEK: SWITCHBOARD_MASTER_KEY, else SWITCHBOARD_MASTER_KEY_FILE, else the embedded default in the
 * data folder (generated on first boot, mode 0600, with a warning). On PostgreSQL in production the
 * embedded default is refused: each node would generate a different key and a lost data folder would
 * lose every secret.
 */
export async function loadLocalKeyring(config: AppConfig, log: KeyringLog): Promise<LocalKeyring> {
  const previousFromEnv = config.vault.previousMasterKeys.map(decodeKey);
  if (config.vault.masterKey !== null) {
    return keyring(decodeKey(config.vault.masterKey), previousFromEnv, 'SWITCHBOARD_MASTER_KEY');
  }
  if (config.vault.masterKeyFile !== null) {
    const path = config.vault.masterKeyFile;
    const keys = await readKeyFile(path, log).catch((e: NodeJS.ErrnoException) => {
      if (e instanceof VaultConfigurationError) throw e;
      throw new VaultConfigurationError(
        `SWITCHBOARD_MASTER_KEY_FILE: cannot read ${path} (${e.code ?? e.message})`,
      );
    });
    return keyring(keys[0]!, [...keys.slice(1), ...previousFromEnv], `key file ${path}`);
  }
  if (config.env === 'production' && config.database.kind === 'postgres') {
    throw new VaultConfigurationError(
      'No key-encryption key: in production on PostgreSQL set SWITCHBOARD_MASTER_KEY (32 bytes, hex or base64) or ' +
        'SWITCHBOARD_MASTER_KEY_FILE. Switchboard will not generate one into the data folder there, because every ' +
        'node would get a different key and losing that folder would lose every secret.',
    );
  }
  const path = join(config.dataDir, EMBEDDED_KEY_FILE);
  const generated = await generateKeyFile(path);
  const keys = await readKeyFile(path, log);
  log.warn(
    `${generated ? 'Generated a new' : 'Using the'} key-encryption key in ${path} (mode 0600). Anyone who can read ` +
      'it and the database can read every stored secret: back it up apart from the database, and set ' +
      'SWITCHBOARD_MASTER_KEY (or a KMS) in production.',
  );
  return keyring(keys[0]!, [...keys.slice(1), ...previousFromEnv], `generated key file ${path}`);
}

function keyring(active: Buffer, previous: readonly Buffer[], source: string): LocalKeyring {
  const activeKek = kek(active);
  const seen = new Set([activeKek.id]);
  const prev: LocalKek[] = [];
  for (const p of previous.map(kek)) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    prev.push(p);
  }
  return { active: activeKek, previous: prev, source };
}

/** One key per line (hex or base64); the first is active, the rest are earlier keys; `#` starts a comment. */
async function readKeyFile(path: string, log: KeyringLog): Promise<Buffer[]> {
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    log.warn(
      `${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const lines = (await readFile(path, 'utf8'))
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) throw new VaultConfigurationError(`${path} holds no key`);
  return lines.map((line, i) => {
    const key = decodeKey(line);
    if (key.length !== KEY_BYTES) {
      throw new VaultConfigurationError(
        `${path}: line ${i + 1} does not decode to exactly 32 bytes (hex or base64)`,
      );
    }
    return key;
  });
}

/** Creates the key file if it does not exist (exclusively, so two processes never write different keys). */
async function generateKeyFile(path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new VaultConfigurationError(
      `cannot create the key-encryption key file ${path}: ${(e as Error).message}`,
    );
  }
}

/**
 * Puts a new KEK in front of the key file (earlier keys stay below it for unwrapping), atomically. For
 * `vault rotate-kek --new-key`; a KEK from the environment is rotated by the operator instead.
 */
export async function prependNewKeyToFile(
  config: AppConfig,
): Promise<{ readonly path: string; readonly activeKekId: string; readonly previousKekIds: string[] }> {
  const path = localKeyFilePath(config);
  if (path === null) {
    throw new VaultConfigurationError(
      'The key-encryption key comes from SWITCHBOARD_MASTER_KEY: put the new key there and the old one in ' +
        'SWITCHBOARD_MASTER_KEY_PREVIOUS on every node, then run `switchboard vault rotate-kek` without --new-key.',
    );
  }
  const existing = await readKeyFile(path, { warn: () => undefined }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const fresh = randomBytes(KEY_BYTES);
  const body = [
    '# Switchboard key-encryption keys: the first line is active, the others only unwrap older data keys.',
    ...[fresh, ...existing].map((k) => k.toString('hex')),
    '',
  ].join('\n');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, body, { flag: 'wx', mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  return { path, activeKekId: localKekId(fresh), previousKekIds: existing.map(localKekId) };
}
