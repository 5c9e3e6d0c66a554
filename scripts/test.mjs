#!/usr/bin/env node
// `npm test`: every check a change must pass, in order of cost. Prints which suites could not run and why;
// under CI=true a suite that cannot run is a failure, never a skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ci = process.env.CI === 'true';
const node = process.execPath;
const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];

const missing = [];
if (!process.env.TEST_DATABASE_URL)
  missing.push('TEST_DATABASE_URL (PostgreSQL integration tests run on PGlite only)');
if (!process.env.TEST_REDIS_URL) missing.push('TEST_REDIS_URL (multi-node rate-limit and cluster tests)');
if (missing.length > 0) {
  const banner = [
    '',
    '!'.repeat(78),
    '! Not run here for lack of a service:',
    ...missing.map((m) => `!   - ${m}`),
    '! .ci/run starts the services and sets these variables.',
    '!'.repeat(78),
    '',
  ].join('\n');
  process.stderr.write(`${banner}\n`);
  if (ci) {
    process.stderr.write('CI=true: a missing service is a failure.\n');
    process.exit(1);
  }
}

// Contract suites against the real vendors' APIs (test/live/<vendor>.test.ts): run when every variable a
// vendor needs is set, otherwise listed as not run. Never a failure when absent: these are third-party
// accounts CI does not have, and the same suites run against local servers that follow the vendors' APIs.
const vendors = [
  { name: 'HubSpot', file: 'test/live/hubspot.test.ts', env: ['HUBSPOT_TOKEN'] },
  { name: 'Linear', file: 'test/live/linear.test.ts', env: ['LINEAR_API_KEY'] },
  {
    name: 'Jira Cloud',
    file: 'test/live/jira.test.ts',
    env: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT'],
  },
  { name: 'GitHub', file: 'test/live/github.test.ts', env: ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'] },
];
const liveFiles = [];
const liveNotRun = [];
for (const v of vendors) {
  const unset = v.env.filter((name) => !process.env[name]);
  if (unset.length === 0 && existsSync(v.file)) liveFiles.push(v.file);
  else if (unset.length > 0) liveNotRun.push(`${v.name} live suite (${unset.join(', ')} not set)`);
}

const steps = [
  ['lint', node, ['node_modules/eslint/bin/eslint.js', '.']],
  ['format', node, ['node_modules/prettier/bin/prettier.cjs', '--check', '.', '--log-level', 'warn']],
  ['openapi', node, ['scripts/openapi.mjs', '--check']],
  ['dashboard-api-types', node, ['scripts/dashboard-api-types.mjs', '--check']],
  ['typecheck', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']],
  [
    'typecheck-dashboard',
    node,
    ['node_modules/typescript/bin/tsc', '-p', 'apps/dashboard/tsconfig.json', '--noEmit'],
  ],
  // Dockerfile lint, compose schema, Helm chart rendered and validated against Kubernetes schemas.
  ['deploy', node, ['scripts/deploy-check/check-deploy.mjs']],
  ['build', node, ['node_modules/@nestjs/cli/bin/nest.js', 'build']],
  [
    'build-dashboard',
    node,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'apps/dashboard/vite.config.ts',
      '--logLevel',
      'warn',
    ],
  ],
  ['unit', node, [...jest, '--selectProjects', 'unit']],
  ['integration', node, [...jest, '--selectProjects', 'integration', '--runInBand']],
  ['e2e', node, [...jest, '--selectProjects', 'e2e', '--runInBand']],
  ['conformance', node, ['test/conformance/run.mjs'], { CONFORMANCE_SKIP_BUILD: '1' }],
];
if (liveFiles.length > 0)
  steps.push(['live', node, [...jest, '--selectProjects', 'live', '--runInBand', ...liveFiles]]);

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args, extraEnv] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n=== ${name}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  if (!ok) break;
}
process.stdout.write('\n=== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)\n`);
if (missing.length > 0) process.stdout.write(`not run: ${missing.join('; ')}\n`);
for (const v of liveNotRun) process.stdout.write(`not run: ${v}\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
