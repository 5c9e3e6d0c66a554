import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseConnectionError } from './database-errors.js';

const LOCK_FILE = 'switchboard.pid';

/**
 * PGlite has no lock between processes, and two of them on one data folder corrupt it. A pid file taken
 * with O_EXCL makes the second opener (a CLI command while the server runs, a second server) fail with a
 * clear message instead. A lock left by a dead process is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new DatabaseConnectionError(
          `The embedded database at ${dataDir} is in use by process ${holder}${holder === process.pid ? ' (this process)' : ''}. ` +
            'Only one process may open it: stop the running server before using the CLI, or use PostgreSQL (DATABASE_URL) to run several.',
        );
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new DatabaseConnectionError(`Could not lock the embedded database at ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
