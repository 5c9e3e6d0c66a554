#!/usr/bin/env node
// Generates the dashboard's API types (apps/dashboard/src/api/admin-api.d.ts) from the committed OpenAPI
// document with openapi-typescript, or with --check fails when the committed copy differs (a step of
// `npm test`). `npm run openapi` runs it after regenerating the document.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

import { writeOrCheck } from './generated-file.mjs';

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

writeOrCheck({ target, text, check, root, source: 'openapi/admin-api.json', command: 'npm run openapi' });
