#!/usr/bin/env node
// Entry point of the `switchboard` command: runs the compiled CLI, building the project first if needed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = resolve(root, 'dist/apps/cli/src/main.js');
if (!existsSync(entry)) {
  const built = spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (built.status !== 0) {
    process.stderr.write('switchboard: the build failed; run `npm run build` to see why\n');
    process.exit(1);
  }
}
const { run } = await import(pathToFileURL(entry).href);
process.exit(await run(process.argv.slice(2), process.env));
