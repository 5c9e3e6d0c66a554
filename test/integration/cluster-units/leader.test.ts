/**
 * One leader per installation, through a PostgreSQL advisory lock: a second node waits; when the leader
 * steps down (or its connection dies) the other takes over; cluster jobs run on the leader only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { ClusterJobs } from '../../../src/cluster/cluster-jobs.js';
import { ClusterLeader } from '../../../src/cluster/cluster-leader.js';
import { loadConfig, type AppConfig } from '../../../src/config/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl && process.env.CI === 'true') throw new Error('CI must set TEST_DATABASE_URL');
const suite = databaseUrl ? describe : describe.skip;

suite('cluster leader on PostgreSQL', () => {
  let db: TestDatabase;
  let config: AppConfig;
  const leaders: ClusterLeader[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    config = { ...loadConfig({}), database: db.config };
  });

  afterAll(async () => {
    await Promise.all(leaders.map((l) => l.onApplicationShutdown()));
    await db?.dispose();
  });

  function leader(): ClusterLeader {
    const l = new ClusterLeader(config);
    leaders.push(l);
    return l;
  }

  it('elects exactly one node, and another when it steps down', async () => {
    const a = leader();
    const b = leader();
    await a.onApplicationBootstrap();
    await b.onApplicationBootstrap();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.onApplicationShutdown();
    await b.check();
    expect(b.isLeader).toBe(true);
  });

  it('takes over when the leader’s connection is killed', async () => {
    const current = leaders.find((l) => l.isLeader)!;
    const other = leader();
    await other.onApplicationBootstrap();
    expect(other.isLeader).toBe(false);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard-leader' AND datname = current_database() AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`,
    );
    await admin.end();
    await current.check();
    expect(current.isLeader).toBe(false);
    await other.check();
    expect(other.isLeader).toBe(true);
  });

  it('runs cluster jobs on the leader only, never two runs of one job at once', async () => {
    const l = leaders.find((x) => x.isLeader)!;
    const f = leaders.find((x) => !x.isLeader && x !== l) ?? leader();
    const onLeader = new ClusterJobs(l);
    const onFollower = new ClusterJobs(f);
    let runs = 0;
    let release!: () => void;
    const job = {
      name: 'test.job',
      everyMs: 3_600_000,
      run: async () => {
        runs++;
        await new Promise<void>((r) => (release = r));
      },
    };
    onLeader.register(job);
    onFollower.register(job);
    expect(await onFollower.runNow('test.job')).toBe(false);
    const first = onLeader.runNow('test.job');
    const second = onLeader.runNow('test.job');
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
    expect(onLeader.states()[0]).toMatchObject({ name: 'test.job', runs: 1, running: false });
    await onLeader.beforeApplicationShutdown();
    await onFollower.beforeApplicationShutdown();
  });
});
