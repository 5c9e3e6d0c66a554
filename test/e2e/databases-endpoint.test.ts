/**
 * Issue 5's end-to-end path for databases: a tenant connects a real PostgreSQL database, exposes two of
 * the pack's tools on an endpoint, and an MCP client lists and calls exactly those.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import pg from 'pg';
import { run } from '../../apps/cli/src/main.js';
import { createTenant, startTestApp, uniqueSlug, type TestApp } from '../support/app.js';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl && process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is required under CI');
// Without a PostgreSQL server there is no database to connect; CI always has one (see above).
const suite = serverUrl ? describe : describe.skip;

suite('databases pack through a hosted endpoint', () => {
  let app: TestApp;
  let dbName: string;

  beforeAll(async () => {
    dbName = uniqueSlug('sbe2e').replace('-', '_');
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const db = new pg.Client({ connectionString: withDatabase(serverUrl!, dbName) });
    await db.connect();
    await db.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)');
    await db.query("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')");
    await db.end();
    // The database lives on loopback, which the egress guard refuses unless the operator allows it.
    app = await startTestApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('lists and calls exactly the two tools chosen for the endpoint', async () => {
    const t = await createTenant(app);
    const u = new URL(serverUrl!);
    // The tenant admin's path: the CLI, against the same PostgreSQL database the running server uses.
    const cliEnv = { DATABASE_URL: dbUrlOf(app), SWITCHBOARD_DATA_DIR: app.config.dataDir };
    const cli = async (...argv: string[]) => {
      let out = '';
      const code = await run([...argv, '--json'], cliEnv, {
        out: (x) => void (out += x),
        err: (x) => void (out += x),
      });
      if (code !== 0) throw new Error(`switchboard ${argv.join(' ')} exited ${code}: ${out}`);
      return JSON.parse(out) as Record<string, unknown>;
    };
    await cli('endpoint', 'create', 'data', '--tenant', t.slug);
    const config = {
      dialect: 'postgres',
      host: u.hostname,
      port: Number(u.port || 5432),
      database: dbName,
      user: u.username || 'postgres',
      // The test server has no TLS; production connections default to verify-full.
      tls: { mode: 'disable' },
    };
    const enabled = await cli(
      'pack',
      'enable',
      'databases',
      '--tenant',
      t.slug,
      '--endpoint',
      'data',
      '--connection',
      'warehouse',
      '--config',
      JSON.stringify(config),
      '--tools',
      'db_list_tables,db_query',
    );
    expect(enabled).toMatchObject({ pack: 'databases', endpoint: 'data', mode: 'selected' });
    const client = new Client({ name: 'e2e-db', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/t/${t.slug}/e/data/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual(['db_list_tables', 'db_query']);
      const result = await client.callTool({
        name: 'db_query',
        arguments: { sql: 'SELECT name FROM customers WHERE id = $1', params: [2] },
      });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.structuredContent)).toContain('Grace');
      const write = await client.callTool({ name: 'db_query', arguments: { sql: 'DELETE FROM customers' } });
      expect(write.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});

function dbUrlOf(app: TestApp): string {
  if (app.config.database.kind !== 'postgres') throw new Error('this test runs on PostgreSQL');
  return app.config.database.url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}
