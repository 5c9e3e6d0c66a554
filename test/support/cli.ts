import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/main.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './database.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * The `switchboard` command run in-process (the binary's code path) on its own migrated database: PostgreSQL
 * through DATABASE_URL, or the embedded database moved to where the CLI looks for it (<data dir>/pglite).
 */
export interface CliHarness {
  /** The environment the commands see; tests may add variables. */
  env: Record<string, string>;
  readonly db: TestDatabase;
  cli(...argv: string[]): Promise<CliResult>;
  /** Runs with --json; throws with the output unless the command succeeded. */
  json<T>(...argv: string[]): Promise<T>;
  dispose(): Promise<void>;
}

export async function createCliHarness(kind: TestDatabaseKind): Promise<CliHarness> {
  let db = await createTestDatabase(kind);
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-cli-'));
  const env: Record<string, string> = {
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
  };
  if (db.config.kind === 'postgres') env.DATABASE_URL = db.config.url;
  else {
    await rename(db.config.dataDir, join(dataDir, 'pglite'));
    db = { ...db, config: { kind: 'pglite', dataDir: join(dataDir, 'pglite') } };
  }
  const harness: CliHarness = {
    env,
    db,
    async cli(...argv) {
      let out = '';
      let err = '';
      const code = await run(argv, harness.env, { out: (s) => void (out += s), err: (s) => void (err += s) });
      return { code, out, err };
    },
    async json<T>(...argv: string[]) {
      const r = await harness.cli(...argv, '--json');
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.out}${r.err}`);
      return JSON.parse(r.out) as T;
    },
    async dispose() {
      await db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
