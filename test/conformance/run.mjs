// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against a real Switchboard
// server: builds it, sets up a tenant with a public `conformance` endpoint exposing the protocol-test-kit pack,
// starts the server on a fresh data directory, waits for readiness, runs every active server scenario and
// exits non-zero when any check fails.
//
//   npm run test:conformance                      # build, set up, run
//   CONFORMANCE_SKIP_BUILD=1 npm run test:conformance
//   CONFORMANCE_SUITE=all npm run test:conformance  # include pending scenarios
//   CONFORMANCE_URL=http://localhost:3939/mcp node test/conformance/run.mjs   # an already running server
//
// The suite cannot send a credential, hence the public endpoint (it serves only this read-only fixture pack).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every command line the runner uses, in one place. */
const COMMANDS = {
  build: ['npm', 'run', 'build'],
  server: ['node', 'dist/src/main.js'],
  cli: ['node', 'apps/cli/bin/switchboard.js'],
  createTenant: (tenant) => ['tenant', 'create', tenant, '--json'],
  createEndpoint: (tenant, endpoint) => [
    'endpoint',
    'create',
    endpoint,
    '--tenant',
    tenant,
    '--public',
    '--json',
  ],
  enablePack: (tenant, endpoint) => [
    'pack',
    'enable',
    'protocol-test-kit',
    '--tenant',
    tenant,
    '--endpoint',
    endpoint,
    '--json',
  ],
  conformance: (url, suite, outputDir) => [
    'node',
    'node_modules/@modelcontextprotocol/conformance/dist/index.js',
    'server',
    '--url',
    url,
    '--suite',
    suite,
    '--output-dir',
    outputDir,
  ],
  // The suite speaks only the legacy era; this checks the same fixture on 2026-07-28.
  modernCheck: (url) => ['node', 'test/conformance/modern-check.mjs', url],
  readyPath: '/health/ready',
  endpointUrl: (origin, tenant, endpoint) => `${origin}/t/${tenant}/e/${endpoint}/mcp`,
};

const TENANT = 'conformance';
const ENDPOINT = 'conformance';
const READY_TIMEOUT_MS = 60_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function run([command, ...args], env, { capture = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

async function cli(args, env) {
  const stdout = await run([...COMMANDS.cli, ...args], env, { capture: true });
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`expected JSON from "switchboard ${args.join(' ')}", got: ${stdout}`);
  }
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePromise(port));
    });
    probe.on('error', reject);
  });
}

async function waitForReady(origin, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`server exited with ${server.exitCode} before it was ready`);
    try {
      const response = await fetch(`${origin}${COMMANDS.readyPath}`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready at ${origin}${COMMANDS.readyPath} within ${READY_TIMEOUT_MS} ms`);
}

/** Reads every scenario's checks.json; the suite's own exit code is not enough to name what failed. */
async function summarise(outputDir) {
  const scenarios = [];
  for (const entry of await readdir(outputDir)) {
    const checks = JSON.parse(await readFile(join(outputDir, entry, 'checks.json'), 'utf8'));
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    scenarios.push({
      scenario,
      passed: checks.filter((c) => c.status === 'SUCCESS').length,
      failures: checks.filter((c) => c.status === 'FAILURE'),
      warnings: checks.filter((c) => c.status === 'WARNING').length,
    });
  }
  return scenarios.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** Runs the suite against `url`, prints one line per scenario and `N passed, M failed`; returns the exit code. */
async function conform(url, outputDir, env) {
  console.log(`conformance: ${url}`);
  // The suite exits 1 on any failure; the checks it writes are the verdict, so its exit code is not needed.
  const suite = COMMANDS.conformance(url, process.env.CONFORMANCE_SUITE ?? 'active', outputDir);
  await run(suite, env, { capture: !process.env.CONFORMANCE_VERBOSE }).catch(() => undefined);
  const scenarios = await summarise(outputDir);
  for (const s of scenarios) {
    console.log(
      `${s.failures.length === 0 ? '✓' : '✗'} ${s.scenario}: ${s.passed} passed, ${s.failures.length} failed`,
    );
    for (const f of s.failures) console.log(`    ${f.name}: ${f.errorMessage ?? f.description}`);
  }
  const passed = scenarios.filter((s) => s.failures.length === 0).length;
  const failed = scenarios.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return scenarios.length > 0 && failed === 0 ? 0 : 1;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-'));
  const outputDir = join(dataDir, 'results');
  const port = await freePort();
  // 127.0.0.1, not a public name: the dns-rebinding scenario needs a localhost URL.
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_DEMO: 'false',
  };
  let server;
  try {
    if (process.env.CONFORMANCE_URL) return await conform(process.env.CONFORMANCE_URL, outputDir, env);
    if (!process.env.CONFORMANCE_SKIP_BUILD) await run(COMMANDS.build, env);

    // Set up before the server starts: the embedded database belongs to one process at a time.
    await cli(COMMANDS.createTenant(TENANT), env);
    await cli(COMMANDS.createEndpoint(TENANT, ENDPOINT), env);
    await cli(COMMANDS.enablePack(TENANT, ENDPOINT), env);

    const [command, ...args] = COMMANDS.server;
    server = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForReady(origin, server);

    const url = COMMANDS.endpointUrl(origin, TENANT, ENDPOINT);
    const legacy = await conform(url, outputDir, env);
    console.log(`modern era (2026-07-28): ${url}`);
    const modern = await run(COMMANDS.modernCheck(url), env).then(
      () => 0,
      () => 1,
    );
    return legacy === 0 && modern === 0 ? 0 : 1;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
