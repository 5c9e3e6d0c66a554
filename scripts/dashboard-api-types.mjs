#!/usr/bin/env node
// Generates the dashboard's API types (apps/dashboard/src/api/admin-api.d.ts) from the committed OpenAPI
// document with openapi-typescript, or with --check fails when the committed copy differs (a step of
// `npm test`). `npm run openapi` runs it after regenerating the document.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'openapi', 'admin-api.json');
const target = join(root, 'apps', 'dashboard', 'src', 'api', 'admin-api.d.ts');
const check = process.argv.includes('--check');

const ast = await openapiTS(JSON.parse(readFileSync(source, 'utf8')), { exportType: false });
const header = '// Generated from openapi/admin-api.json by scripts/dashboard-api-types.mjs: do not edit.\n';
const text = await prettier.format(header + astToString(ast), {
  ...(await prettier.resolveConfig(target)),
  parser: 'typescript',
});

if (!check) {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target.slice(root.length + 1)}\n`);
  process.exit(0);
}
let committed = '';
try {
  committed = readFileSync(target, 'utf8');
} catch {
  // missing: reported below
}
if (committed !== text) {
  process.stderr.write(
    'apps/dashboard/src/api/admin-api.d.ts is not what openapi/admin-api.json generates: run `npm run openapi` and commit the result.\n',
  );
  process.exit(1);
}
process.stdout.write('apps/dashboard/src/api/admin-api.d.ts matches the OpenAPI document\n');
