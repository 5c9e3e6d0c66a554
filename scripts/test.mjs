#!/usr/bin/env node
// `npm test`: every check a change must pass, in order of cost. Prints which suites could not run and why;
// under CI=true a suite that cannot run is a failure, never a skip.
import { spawnSync } from 'node:child_process';

const ci = process.env.CI === 'true';
const node = process.execPath;
const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];

const missing = [];
if (!process.env.TEST_DATABASE_URL)
  missing.push('TEST_DATABASE_URL (PostgreSQL integration tests run on PGlite only)');
if (!process.env.TEST_REDIS_URL) missing.push('TEST_REDIS_URL (multi-node rate-limit tests)');
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

const steps = [
  ['lint', node, ['node_modules/eslint/bin/eslint.js', '.']],
  ['format', node, ['node_modules/prettier/bin/prettier.cjs', '--check', '.', '--log-level', 'warn']],
  ['typecheck', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['build', node, ['node_modules/@nestjs/cli/bin/nest.js', 'build']],
  ['unit', node, [...jest, '--selectProjects', 'unit']],
  ['integration', node, [...jest, '--selectProjects', 'integration', '--runInBand']],
  ['e2e', node, [...jest, '--selectProjects', 'e2e', '--runInBand']],
  ['conformance', node, ['test/conformance/run.mjs'], { CONFORMANCE_SKIP_BUILD: '1' }],
];

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
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
