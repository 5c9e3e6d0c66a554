#!/usr/bin/env node
// Generates the admin API's OpenAPI document from the code into openapi/admin-api.json, or with --check
// fails when the committed copy differs from what the code generates (a step of `npm test`, before the
// build). The sources are compiled with swc (as the build does) into node_modules/.cache, then imported.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

import { writeOrCheck } from './generated-file.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'openapi', 'admin-api.json');
const out = join(root, 'node_modules', '.cache', 'switchboard-openapi');
const check = process.argv.includes('--check');

const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const swcrc = {
  $schema: 'https://swc.rs/schema.json',
  sourceMaps: false,
  module: { type: 'es6', resolveFully: true },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
};
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const config = join(out, '.swcrc.json');
writeFileSync(config, JSON.stringify(swcrc));
const swc = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/@swc/cli/bin/swc.js'),
    'src',
    'libs',
    '-d',
    out,
    '--config-file',
    config,
    '--quiet',
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (swc.status !== 0) {
  process.stderr.write('openapi: compiling the sources failed\n');
  process.exit(1);
}
writeFileSync(join(out, 'package.json'), '{"type":"module"}');

const { generateAdminOpenApi } = await import(pathToFileURL(join(out, 'src/admin/openapi/generate.js')).href);
const text = await prettier.format(JSON.stringify(generateAdminOpenApi()), {
  ...(await prettier.resolveConfig(target)),
  parser: 'json',
});
rmSync(out, { recursive: true, force: true });

writeOrCheck({ target, text, check, root, source: 'the code', command: 'npm run openapi' });
