import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { databaseConfigSchema } from '@switchboard/databases';
import type { PackSurface } from '@switchboard/integration-kit';
import pg from 'pg';

import {
  callContext,
  callTool,
  describeWith,
  expectToolError,
  harness,
  permissionsOf,
  readResource,
  serviceUrl,
  surfaceOf,
  uniqueDatabaseName,
  type Harness,
} from './support.js';

const adminUrl = serviceUrl('TEST_DATABASE_URL');

const SETUP = `
  CREATE SCHEMA shop;
  COMMENT ON SCHEMA shop IS 'the web shop';
  CREATE TABLE shop.customers (
    id serial PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL UNIQUE,
    vip boolean NOT NULL DEFAULT false
  );
  COMMENT ON TABLE shop.customers IS 'people who bought something';
  CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES shop.customers (id),
    total numeric(10, 2) NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    placed_at timestamptz NOT NULL DEFAULT '2024-05-01 12:34:56.789012+00',
    meta jsonb,
    raw bytea,
    tags text[]
  );
  CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
  CREATE TABLE shop.visits (id serial PRIMARY KEY, note text);
  CREATE FUNCTION shop.log_visit(n text) RETURNS integer LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO shop.visits (note) VALUES (n); RETURN 1; END $$;
  CREATE VIEW shop.big_spenders AS SELECT customer_id, sum(total) AS spent FROM shop.orders GROUP BY customer_id;
  CREATE TABLE shop.events AS SELECT g AS id, repeat('e', 100) AS payload FROM generate_series(1, 20000) g;
  INSERT INTO shop.customers (name, email, vip) VALUES ('Ada', 'ada@example.com', true), ('Grace', 'grace@example.com', false);
  INSERT INTO shop.orders (customer_id, total, status, meta, raw, tags) VALUES
    (1, 12.50, 'paid', '{"gift": true}', '\\x00ff10', ARRAY['a', 'b']),
    (1, 99999999.99, 'pending', NULL, NULL, NULL),
    (2, 3.10, 'paid', NULL, NULL, '{}');
  ANALYZE;
`;

describeWith(adminUrl)('databases pack on real PostgreSQL', () => {
  const dbName = uniqueDatabaseName();
  let admin: pg.Client;
  let h: Harness;
  let baseConfig: Record<string, unknown>;
  let surface: PackSurface<unknown>;
  const connectionId = 'pg-main';
  const ctx = () => callContext(baseConfig, { connectionId });

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: adminUrl as string });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl as string);
    url.pathname = `/${dbName}`;
    const setup = new pg.Client({ connectionString: url.href });
    await setup.connect();
    await setup.query(SETUP);
    await setup.end();
    baseConfig = {
      dialect: 'postgres',
      host: url.hostname,
      port: Number(url.port || 5432),
      database: dbName,
      user: decodeURIComponent(url.username || 'postgres'),
      tls: { mode: 'disable' },
      statementTimeoutMs: 5_000,
      maxRows: 500,
    };
    h = harness();
    surface = await surfaceOf(h.pack, ctx());
  });

  afterAll(async () => {
    await h?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('exposes read tools only, with read permission and read-only annotations', () => {
    expect(permissionsOf(surface)).toEqual({
      db_list_schemas: 'read',
      db_list_tables: 'read',
      db_describe_table: 'read',
      db_query: 'read',
      db_explain: 'read',
    });
    for (const tool of surface.tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.description.length).toBeGreaterThan(80);
    }
    expect(surface.tools.find((t) => t.name === 'db_query')?.description).toContain('$1');
  });

  it('db_list_schemas lists user schemas with table counts', async () => {
    const { data, text } = await callTool(surface, 'db_list_schemas', {}, ctx());
    expect(data.defaultSchema).toBe('public');
    expect(data.schemas).toEqual(
      expect.arrayContaining([
        { name: 'shop', tables: 5 },
        { name: 'public', tables: 0 },
      ]),
    );
    expect(text).toContain('shop: 5 tables');
  });

  it('db_list_tables lists tables and views with kinds and estimates', async () => {
    const { data } = await callTool(surface, 'db_list_tables', { schema: 'shop' }, ctx());
    const tables = data.tables as {
      name: string;
      kind: string;
      rowEstimate: number | null;
      comment: string | null;
    }[];
    expect(tables.map((t) => t.name)).toEqual(['big_spenders', 'customers', 'events', 'orders', 'visits']);
    expect(tables.find((t) => t.name === 'big_spenders')).toMatchObject({ kind: 'view', rowEstimate: null });
    expect(tables.find((t) => t.name === 'customers')).toMatchObject({
      kind: 'table',
      rowEstimate: 2,
      comment: 'people who bought something',
    });
    expect(tables.find((t) => t.name === 'events')?.rowEstimate).toBe(20000);
    expect(data.truncated).toBe(false);
  });

  it('db_describe_table gives columns, types, nullability, keys, indexes and an estimate', async () => {
    const { data, text } = await callTool(
      surface,
      'db_describe_table',
      { table: 'orders', schema: 'shop' },
      ctx(),
    );
    const columns = data.columns as {
      name: string;
      type: string;
      nullable: boolean;
      primaryKey: boolean;
      generated: boolean;
    }[];
    expect(columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['id', 'bigint', false],
      ['customer_id', 'integer', false],
      ['total', 'numeric(10,2)', false],
      ['status', 'text', false],
      ['placed_at', 'timestamp with time zone', false],
      ['meta', 'jsonb', true],
      ['raw', 'bytea', true],
      ['tags', 'text[]', true],
    ]);
    expect(columns[0]).toMatchObject({ primaryKey: true, generated: true });
    expect(data.primaryKey).toEqual(['id']);
    expect(data.foreignKeys).toEqual([
      {
        name: 'orders_customer_id_fkey',
        columns: ['customer_id'],
        referencedSchema: 'shop',
        referencedTable: 'customers',
        referencedColumns: ['id'],
      },
    ]);
    expect((data.indexes as { name: string }[]).map((i) => i.name)).toEqual([
      'orders_pkey',
      'orders_customer_idx',
    ]);
    expect(data.rowEstimate).toBe(3);
    expect(text).toContain('customer_id integer NOT NULL');
    expect(text).toContain('→ shop.customers (id)');
  });

  it('db_describe_table treats a malicious table name as a name, not SQL', async () => {
    for (const table of [
      "orders'; DROP TABLE shop.customers; --",
      'orders" ; DROP TABLE shop.customers; --',
      'customers; DROP TABLE shop.customers',
    ]) {
      const message = await expectToolError(
        callTool(surface, 'db_describe_table', { table, schema: 'shop' }, ctx()),
      );
      expect(message).toContain('No table or view named');
    }
    const still = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT count(*) AS n FROM shop.customers' },
      ctx(),
    );
    expect(still.data.rows).toEqual([[2]]);
  });

  it('db_query binds parameters, so injection through them is just data', async () => {
    const ok = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT name, vip FROM shop.customers WHERE email = $1', params: ['ada@example.com'] },
      ctx(),
    );
    expect(ok.data).toMatchObject({
      columns: [
        { name: 'name', type: 'text' },
        { name: 'vip', type: 'boolean' },
      ],
      rows: [['Ada', true]],
    });
    for (const attempt of ["x' OR '1'='1", "'; DELETE FROM shop.orders; --", '1; DROP TABLE shop.orders']) {
      const res = await callTool(
        surface,
        'db_query',
        { sql: 'SELECT name FROM shop.customers WHERE email = $1', params: [attempt] },
        ctx(),
      );
      expect(res.data.rows).toEqual([]);
    }
    const count = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT count(*)::int FROM shop.orders' },
      ctx(),
    );
    expect(count.data.rows).toEqual([[3]]);
  });

  it('db_query returns exact values: numerics and bigints as strings, timestamps as printed, json, bytes, arrays', async () => {
    const { data, text } = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id, total, placed_at, meta, raw, tags FROM shop.orders WHERE id = $1', params: [1] },
      ctx(),
    );
    expect(data.rows).toEqual([
      [1, '12.50', '2024-05-01 12:34:56.789012+00', { gift: true }, '\\x00ff10', ['a', 'b']],
    ]);
    const big = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT 9007199254740993::bigint, 42::bigint' },
      ctx(),
    );
    expect(big.data.rows).toEqual([['9007199254740993', 42]]);
    expect((data.columns as { type: string }[]).map((c) => c.type)).toEqual([
      'bigint',
      'numeric(10,2)',
      'timestamp with time zone',
      'jsonb',
      'bytea',
      'text[]',
    ]);
    expect(text).toContain('1 row; columns: id (bigint)');
  });

  it('refuses several statements and non-reads before they reach the database', async () => {
    expect(
      await expectToolError(
        callTool(surface, 'db_query', { sql: 'SELECT 1; DELETE FROM shop.orders' }, ctx()),
      ),
    ).toContain('Only one statement');
    expect(
      await expectToolError(
        callTool(
          surface,
          'db_query',
          { sql: 'WITH x AS (DELETE FROM shop.orders RETURNING *) SELECT count(*) FROM x' },
          ctx(),
        ),
      ),
    ).toContain('may not contain DELETE');
    expect(
      await expectToolError(callTool(surface, 'db_query', { sql: 'TRUNCATE shop.orders' }, ctx())),
    ).toContain('Only read statements');
  });

  it('the database itself refuses writes: a data-modifying CTE, a side-effecting function, a sequence', async () => {
    // Straight to the driver, past the tokenizer: the read-only transaction must hold on its own.
    const driverRefusal = await h.pools
      .use(
        {
          tenantId: 'tenant-db-tests',
          connectionId,
          config: databaseConfigSchema.parse(baseConfig),
          secrets: { password: null, clientKey: null },
          logger: { info() {}, warn() {} },
        },
        (driver) =>
          driver.query('WITH x AS (DELETE FROM shop.orders RETURNING *) SELECT count(*) FROM x', [], {
            timeoutMs: 5000,
            maxRows: 10,
            maxBytes: 10_000,
            maxCellChars: 100,
          }),
      )
      .then(
        () => null,
        (e: { code?: string; message?: string }) => e,
      );
    expect(driverRefusal).toMatchObject({ code: '25006' });
    expect(driverRefusal?.message).toContain('read-only transaction');

    const fn = await expectToolError(
      callTool(surface, 'db_query', { sql: "SELECT shop.log_visit('sneaky')" }, ctx()),
    );
    expect(fn).toMatch(
      /^The database refused to write: this query runs in a read-only transaction \(cannot execute INSERT in a read-only transaction\)/,
    );
    const seq = await expectToolError(
      callTool(surface, 'db_query', { sql: "SELECT nextval('shop.visits_id_seq')" }, ctx()),
    );
    expect(seq).toContain('read-only transaction');

    const counts = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT (SELECT count(*) FROM shop.orders)::int, (SELECT count(*) FROM shop.visits)::int' },
      ctx(),
    );
    expect(counts.data.rows).toEqual([[3, 0]]);
  });

  it('refuses administrative functions by name', async () => {
    const message = await expectToolError(
      callTool(surface, 'db_query', { sql: 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity' }, ctx()),
    );
    expect(message).toBe('The function pg_terminate_backend() is not allowed through this tool.');
  });

  it('stops a slow query at the statement timeout, and the pool is fine afterwards', async () => {
    const slow = callContext({ ...baseConfig, statementTimeoutMs: 300 }, { connectionId: 'pg-slow' });
    const slowSurface = await surfaceOf(h.pack, slow);
    const message = await expectToolError(
      callTool(slowSurface, 'db_query', { sql: 'SELECT pg_sleep(5)' }, slow),
    );
    expect(message).toContain('statement timeout (300 ms)');
    const next = await callTool(slowSurface, 'db_query', { sql: 'SELECT 42 AS answer' }, slow);
    expect(next.data.rows).toEqual([[42]]);
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    const cancelled = callContext(baseConfig, { connectionId, signal: controller.signal });
    const pending = callTool(surface, 'db_query', { sql: 'SELECT pg_sleep(4)' }, cancelled);
    setTimeout(() => controller.abort(), 200);
    expect(await expectToolError(pending)).toBe('The call was cancelled.');
    const next = await callTool(surface, 'db_query', { sql: 'SELECT 1' }, ctx());
    expect(next.result.isError).toBeFalsy();
  });

  it('truncates a huge result at the row limit and says so', async () => {
    const { data, text } = await callTool(
      surface,
      'db_query',
      { sql: "SELECT g, repeat('x', 50) AS pad FROM generate_series(1, 1000000) g" },
      ctx(),
    );
    expect(data).toMatchObject({ rowCount: 500, truncated: true, truncationReason: 'row_limit' });
    expect((data.rows as unknown[][])[499]).toEqual([500, 'x'.repeat(50)]);
    expect(text).toContain('TRUNCATED: only the first 500 rows are shown (row limit 500)');
    const fewer = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id FROM shop.events ORDER BY id', max_rows: 3 },
      ctx(),
    );
    expect(fewer.data).toMatchObject({
      rows: [[1], [2], [3]],
      truncated: true,
      truncationReason: 'row_limit',
    });
    const exact = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id FROM shop.events WHERE id <= 500' },
      ctx(),
    );
    expect(exact.data).toMatchObject({ rowCount: 500, truncated: false, truncationReason: null });
  });

  it('truncates at the result size cap and cuts very long values, saying so', async () => {
    const small = callContext(
      { ...baseConfig, maxResultBytes: 8 * 1024, maxCellChars: 1000 },
      { connectionId: 'pg-small' },
    );
    const smallSurface = await surfaceOf(h.pack, small);
    const { data, text } = await callTool(
      smallSurface,
      'db_query',
      { sql: 'SELECT id, payload FROM shop.events ORDER BY id' },
      small,
    );
    expect(data).toMatchObject({ truncated: true, truncationReason: 'size_limit' });
    expect(Buffer.byteLength(JSON.stringify(data.rows))).toBeLessThanOrEqual(8 * 1024);
    expect(data.rowCount).toBeGreaterThan(10);
    expect(text).toContain('result size limit 8192 bytes');
    const long = await callTool(smallSurface, 'db_query', { sql: "SELECT repeat('y', 5000) AS v" }, small);
    expect(long.data.cellsTruncated).toBe(1);
    expect((long.data.rows as string[][])[0]?.[0]).toMatch(/^y{1000}… \[4000 more characters\]$/);
  });

  it('db_explain shows the plan, and with analyze the actual run', async () => {
    const plan = await callTool(
      surface,
      'db_explain',
      { sql: 'SELECT * FROM shop.orders WHERE customer_id = $1', params: [1] },
      ctx(),
    );
    expect(plan.data).toMatchObject({ format: 'text', analyzed: false });
    expect(plan.text).toMatch(/Scan/);
    const analyzed = await callTool(
      surface,
      'db_explain',
      { sql: 'SELECT count(*) FROM shop.events', analyze: true },
      ctx(),
    );
    expect(analyzed.text).toContain('actual time');
    expect(
      await expectToolError(callTool(surface, 'db_explain', { sql: 'DELETE FROM shop.orders' }, ctx())),
    ).toContain('Only read statements');
  });

  it('reuses one pool across calls and survives its backends being killed', async () => {
    const pid = async () =>
      (await callTool(surface, 'db_query', { sql: 'SELECT pg_backend_pid()' }, ctx())).data
        .rows as number[][];
    const first = (await pid())[0]?.[0];
    expect((await pid())[0]?.[0]).toBe(first);
    const poolsBefore = h.pools.size;
    // Terminate every connection the pack holds to this database, as a restart would.
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'switchboard'`,
      [dbName],
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    const after = (await pid())[0]?.[0];
    expect(after).not.toBe(first);
    const again = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT count(*)::int FROM shop.customers' },
      ctx(),
    );
    expect(again.data.rows).toEqual([[2]]);
    expect(h.pools.size).toBe(poolsBefore);
  });

  it('exposes the schema as resources: an overview, one per schema, and a table template', async () => {
    const uris = (surface.resources ?? []).map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        `db://${connectionId}/schemas`,
        `db://${connectionId}/schemas/shop`,
        `db://${connectionId}/schemas/public`,
      ]),
    );
    expect(surface.resourceTemplates?.map((t) => t.uriTemplate)).toEqual([
      `db://${connectionId}/schemas/{schema}/tables/{table}`,
    ]);
    const schemaDoc = await readResource(surface, `db://${connectionId}/schemas/shop`, ctx());
    const content = schemaDoc.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect((JSON.parse(content.text) as { tables: { name: string }[] }).tables.map((t) => t.name)).toContain(
      'orders',
    );
    const table = await readResource(surface, `db://${connectionId}/schemas/shop/tables/customers`, ctx());
    expect(JSON.parse((table.contents[0] as { text: string }).text)).toMatchObject({
      name: 'customers',
      primaryKey: ['id'],
    });
    await expect(
      readResource(surface, `db://${connectionId}/schemas/shop/tables/nope`, ctx()),
    ).rejects.toThrow('No table "nope"');
    const completion = await surface.resourceTemplates?.[0]?.complete?.table?.('cu');
    expect(completion).toContain('customers');
  });

  it('with writes enabled: insert, update and delete by key, and guarded write statements', async () => {
    const writable = callContext({ ...baseConfig, allowWrites: true }, { connectionId: 'pg-writable' });
    const w = await surfaceOf(h.pack, writable);
    const perms = permissionsOf(w);
    expect(perms).toMatchObject({
      db_insert_row: 'write',
      db_update_row: 'write',
      db_delete_row: 'write',
      db_execute: 'write',
    });
    for (const name of ['db_insert_row', 'db_update_row', 'db_delete_row', 'db_execute']) {
      expect(w.tools.find((t) => t.name === name)?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
      });
    }

    const inserted = await callTool(
      w,
      'db_insert_row',
      { table: 'customers', schema: 'shop', values: { name: 'Linus', email: 'linus@example.com' } },
      writable,
    );
    expect(inserted.data).toMatchObject({
      affectedRows: 1,
      returned: { rows: [[3, 'Linus', 'linus@example.com', false]] },
    });

    const updated = await callTool(
      w,
      'db_update_row',
      { table: 'customers', schema: 'shop', key: { id: 3 }, values: { vip: true } },
      writable,
    );
    expect(updated.data).toMatchObject({
      affectedRows: 1,
      returned: { rows: [[3, 'Linus', 'linus@example.com', true]] },
    });
    const byEmail = await callTool(
      w,
      'db_update_row',
      {
        table: 'customers',
        schema: 'shop',
        key: { email: 'linus@example.com' },
        values: { name: 'Linus T.' },
      },
      writable,
    );
    expect(byEmail.data.affectedRows).toBe(1);

    expect(
      await expectToolError(
        callTool(
          w,
          'db_update_row',
          { table: 'customers', schema: 'shop', key: { vip: true }, values: { vip: false } },
          writable,
        ),
      ),
    ).toContain('must name exactly the columns of the primary key or a unique index');
    expect(
      await expectToolError(
        callTool(
          w,
          'db_insert_row',
          { table: 'customers', schema: 'shop', values: { 'name" = 1; --': 'x' } },
          writable,
        ),
      ),
    ).toContain('Unknown value column(s)');

    const deleted = await callTool(
      w,
      'db_delete_row',
      { table: 'customers', schema: 'shop', key: { id: 3 } },
      writable,
    );
    expect(deleted.data).toMatchObject({ affectedRows: 1 });

    const tooMany = await expectToolError(
      callTool(
        w,
        'db_execute',
        { sql: 'UPDATE shop.events SET payload = $1', params: ['z'], max_affected_rows: 10 },
        writable,
      ),
    );
    expect(tooMany).toBe(
      'The statement would change 20000 rows, more than the limit of 10; it was rolled back and nothing changed.',
    );
    const unchanged = await callTool(
      w,
      'db_query',
      { sql: "SELECT count(*)::int FROM shop.events WHERE payload = 'z'" },
      writable,
    );
    expect(unchanged.data.rows).toEqual([[0]]);

    const executed = await callTool(
      w,
      'db_execute',
      { sql: 'UPDATE shop.orders SET status = $1 WHERE status = $2', params: ['archived', 'pending'] },
      writable,
    );
    expect(executed.data.affectedRows).toBe(1);
    expect(
      await expectToolError(callTool(w, 'db_execute', { sql: 'DROP TABLE shop.orders' }, writable)),
    ).toContain('starts with DROP');

    // Reads stay read-only on a writable connection.
    expect(
      await expectToolError(callTool(w, 'db_query', { sql: "SELECT shop.log_visit('x')" }, writable)),
    ).toContain('read-only transaction');
  });

  it('insists on TLS when the configuration asks for it', async () => {
    // The test server has TLS off: a connection that requires it must fail clearly, not fall back.
    const tls = callContext({ ...baseConfig, tls: { mode: 'require' } }, { connectionId: 'pg-tls' });
    const s = await surfaceOf(h.pack, tls);
    expect(await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, tls))).toContain(
      'does not support SSL',
    );
  });

  it('refuses to connect where the egress policy does not allow it', async () => {
    const closed = harness({ allow: [] });
    try {
      const c = callContext(baseConfig, { connectionId: 'pg-closed' });
      const s = await surfaceOf(closed.pack, c);
      const message = await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, c));
      expect(message).toBe('Refused to connect to 127.0.0.1: it is a loopback address.');
    } finally {
      await closed.close();
    }
  });

  it('replaces the pool when the connection configuration or its password changes', async () => {
    const pidWith = async (c: ReturnType<typeof ctx>) =>
      (
        (await callTool(surface, 'db_query', { sql: 'SELECT pg_backend_pid()' }, c)).data.rows as number[][]
      )[0]?.[0];
    const original = await pidWith(ctx());
    const before = h.pools.size;
    const changed = callContext({ ...baseConfig, maxRows: 7 }, { connectionId });
    const changedPid = await pidWith(changed);
    expect(changedPid).not.toBe(original);
    expect(h.pools.size).toBe(before);
    const res = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT g FROM generate_series(1, 100) g' },
      changed,
    );
    expect(res.data).toMatchObject({ rowCount: 7, truncated: true });
    // Trust authentication ignores the password, but a new one is still a new pool.
    const rotated = callContext(
      { ...baseConfig, maxRows: 7 },
      { connectionId, secrets: { password: 'rotated-secret' } },
    );
    expect(await pidWith(rotated)).not.toBe(changedPid);
    expect(h.pools.size).toBe(before);
  });
});
