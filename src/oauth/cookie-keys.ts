import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../config/index.js';

const FILE = 'oauth-cookie-keys.json';

/**
 * Keys that sign the authorization server's cookies (oidc-provider leaves cookies unsigned without them).
 * From SWITCHBOARD_COOKIE_KEYS when set (required with several nodes: they must share them); otherwise
 * generated once into the data folder, readable by the owner only.
 */
export async function loadCookieKeys(config: AppConfig): Promise<{ keys: string[]; generated: boolean }> {
  if (config.oauth.cookieKeys && config.oauth.cookieKeys.length > 0) {
    const short = config.oauth.cookieKeys.find((k) => k.length < 32);
    if (short !== undefined)
      throw new Error('SWITCHBOARD_COOKIE_KEYS: every key must be at least 32 characters');
    return { keys: [...config.oauth.cookieKeys], generated: false };
  }
  const path = join(config.dataDir, FILE);
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((k) => typeof k === 'string' && k.length >= 32)
    ) {
      return { keys: parsed as string[], generated: false };
    }
    throw new Error(`${path} is malformed; delete it to generate new cookie keys`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(config.dataDir, { recursive: true });
  const keys = [randomBytes(32).toString('base64url')];
  // 'wx' fails if another process created the file first; then use theirs.
  try {
    await writeFile(path, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadCookieKeys(config);
    throw e;
  }
  await chmod(path, 0o600);
  return { keys, generated: true };
}
