import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding `prisma/`: found by walking up from this file, so it is the same whether the code
 * runs from `src/` (tests, dev) or `dist/src/` (build), and in an image that copies `prisma/` beside `dist/`.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'prisma', 'migrations')) || existsSync(join(dir, 'prisma', 'schema.prisma')))
      return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the prisma/ folder above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function defaultMigrationsDir(): string {
  return join(projectRoot(), 'prisma', 'migrations');
}

export function defaultSchemaPath(): string {
  return join(projectRoot(), 'prisma', 'schema.prisma');
}
