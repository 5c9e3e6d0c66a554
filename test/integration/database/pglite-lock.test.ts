import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createDriver } from '../../../src/database/driver.js';

describe('embedded database lock', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second opener of the same data folder and frees it on close', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-lock-'));
    const first = await createDriver({ kind: 'pglite', dataDir: dir });
    await expect(createDriver({ kind: 'pglite', dataDir: dir })).rejects.toThrow(/in use by process \d+/);
    await first.close();
    const second = await createDriver({ kind: 'pglite', dataDir: dir });
    await second.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-lock-'));
    await writeFile(join(dir, 'switchboard.pid'), '999999999');
    const driver = await createDriver({ kind: 'pglite', dataDir: dir });
    await driver.close();
  });
});
