#!/usr/bin/env node
// Measures the two ways of making an audit event durable before the caller is answered, on PGlite and on
// PostgreSQL: one transaction per event (maxBatch 1) against group commit (maxBatch 256: events that
// arrive while a transaction is in flight share the next one). N concurrent callers each record events in
// a loop and await every one; reported: events/s, per-event latency p50/p99 (record() → commit), and
// events per transaction. Run after `npx nest build`:
//
//   node test/integration/audit/durability-bench.mjs            (PGlite; PostgreSQL too when TEST_DATABASE_URL is set)
//   BENCH_EVENTS=2000 BENCH_CONCURRENCY=1,16,64,256 BENCH_TENANTS=1
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { NestFactory } = await import('@nestjs/core');
const { Module } = await import('@nestjs/common');
const { loadConfig, ConfigModule } = await dist('src/config/index.js');
const { DatabaseModule } = await dist('src/database/database.module.js');
const { VaultModule } = await dist('src/vault/vault.module.js');
const { PacksModule } = await dist('src/packs/packs.module.js');
const { RbacModule } = await dist('src/rbac/rbac.module.js');
const { TenancyModule } = await dist('src/tenancy/tenancy.module.js');
const { TenancyService } = await dist('src/tenancy/tenancy.service.js');
const { AuditModule } = await dist('src/audit/audit.module.js');
const { AuditRepository } = await dist('src/audit/audit.repository.js');
const { AuditWriter } = await dist('src/audit/audit-writer.service.js');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16,64,256').split(',').map(Number);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 1);
const MODES = [
  { name: 'per-event transaction', maxBatch: 1 },
  { name: 'group commit', maxBatch: 256 },
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function openContext(database, dataDir) {
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    }),
    database,
  };
  class BenchModule {}
  Module({
    imports: [
      ConfigModule.forConfig(config),
      DatabaseModule,
      VaultModule,
      PacksModule,
      RbacModule,
      TenancyModule,
      AuditModule,
    ],
  })(BenchModule);
  return { config, ctx: await NestFactory.createApplicationContext(BenchModule, { logger: false }) };
}

async function runOne(ctx, config, mode, concurrency) {
  const tenancy = ctx.get(TenancyService);
  const repo = ctx.get(AuditRepository, { strict: false });
  const maxConcurrentFlushes =
    config.database.kind === 'pglite' ? 1 : Math.max(1, Math.floor(config.database.poolSize / 2));
  const writer = new AuditWriter(repo, { maxBatch: mode.maxBatch, maxConcurrentFlushes });
  const tenants = [];
  for (let i = 0; i < TENANTS; i++)
    tenants.push((await tenancy.createTenant({ slug: `bench-${randomBytes(4).toString('hex')}` })).id);
  const latencies = [];
  let issued = 0;
  const started = performance.now();
  const caller = async (c) => {
    for (;;) {
      const i = issued++;
      if (i >= EVENTS) return;
      const t0 = performance.now();
      await writer.record({
        tenantId: tenants[(c + i) % tenants.length],
        kind: 'tool_call',
        action: 'tool.call',
        actor: { type: 'api_key', id: 'bench-key' },
        target: 'test_simple_text',
        outcome: 'success',
        data: {
          argsDigest: `sha256:${'0'.repeat(64)}`,
          latencyMs: 1.234,
          client: { name: 'bench', version: '1' },
        },
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, c) => caller(c)));
  const seconds = (performance.now() - started) / 1000;
  const stats = writer.stats();
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(EVENTS / seconds),
    p50: percentile(latencies, 50).toFixed(2),
    p99: percentile(latencies, 99).toFixed(2),
    perTx: (stats.eventsWritten / stats.transactions).toFixed(1),
  };
}

async function bench(kind, database, dataDir) {
  const { ctx, config } = await openContext(database, dataDir);
  try {
    // Warm-up: first queries, prepared plans, the vault's keys.
    await runOne(ctx, config, MODES[1], 8);
    const rows = [];
    for (const concurrency of CONCURRENCY) {
      for (const mode of MODES) {
        const r = await runOne(ctx, config, mode, concurrency);
        rows.push({ database: kind, mode: mode.name, concurrency, ...r });
        process.stderr.write('.');
      }
    }
    return rows;
  } finally {
    await ctx.close();
  }
}

const results = [];
const pgliteDir = await mkdtemp(join(tmpdir(), 'sb-audit-bench-'));
try {
  results.push(...(await bench('PGlite', { kind: 'pglite', dataDir: join(pgliteDir, 'pglite') }, pgliteDir)));
} finally {
  await rm(pgliteDir, { recursive: true, force: true });
}
if (process.env.TEST_DATABASE_URL) {
  const server = process.env.TEST_DATABASE_URL;
  const name = `sbbench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-audit-bench-'));
  try {
    results.push(
      ...(await bench('PostgreSQL', { kind: 'postgres', url: url.toString(), poolSize: 10 }, dataDir)),
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  }
}
process.stderr.write('\n');
const header =
  '| database | mode | concurrent callers | events/s | latency p50 (ms) | latency p99 (ms) | events per transaction |';
const lines = [header, '|---|---|---:|---:|---:|---:|---:|'];
for (const r of results)
  lines.push(
    `| ${r.database} | ${r.mode} | ${r.concurrency} | ${r.eventsPerSecond} | ${r.p50} | ${r.p99} | ${r.perTx} |`,
  );
process.stdout.write(`${lines.join('\n')}\n\n${EVENTS} events per row, ${TENANTS} tenant(s).\n`);
process.exit(0);
