import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseConfigSchema } from '@switchboard/databases';
import type { PackSurface } from '@switchboard/integration-kit';
import Database from 'better-sqlite3';

import {
  callContext,
  callTool,
  expectToolError,
  harness,
  permissionsOf,
  readResource,
  surfaceOf,
  type Harness,
} from './support.js';

const SETUP = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, vip INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    total NUMERIC NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    raw BLOB,
    big INTEGER
  );
  CREATE INDEX orders_customer_idx ON orders (customer_id);
  CREATE VIEW big_spenders AS SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id;
  CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT);
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)
    INSERT INTO events SELECT x, printf('%.100c', 'e') FROM c;
  INSERT INTO customers (name, email, vip) VALUES ('Ada', 'ada@example.com', 1), ('Grace', 'grace@example.com', 0);
  INSERT INTO orders (customer_id, total, status, raw, big) VALUES
    (1, 12.5, 'paid', x'00ff10', 9007199254740993),
    (1, 99.99, 'pending', NULL, NULL),
    (2, 3.1, 'paid', NULL, NULL);
`;

const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

describe('databases pack on SQLite', () => {
  let root: string;
  let directory: string;
  let h: Harness;
  let surface: PackSurface<unknown>;
  const config = { dialect: 'sqlite', path: 'shop.db', statementTimeoutMs: 5_000, maxRows: 500 };
  const connectionId = 'lite-main';
  const ctx = () => callContext(config, { connectionId });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sbdb-sqlite-'));
    directory = join(root, 'databases');
    await mkdir(directory);
    const db = new Database(join(directory, 'shop.db'));
    db.exec(SETUP);
    db.close();
    new Database(join(root, 'outside.db')).close();
    await symlink(join(root, 'outside.db'), join(directory, 'link.db'));
    h = harness({ sqliteDirectory: directory });
    surface = await surfaceOf(h.pack, ctx());
  });

  afterAll(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists, describes and queries', async () => {
    expect(Object.keys(permissionsOf(surface))).toEqual([
      'db_list_schemas',
      'db_list_tables',
      'db_describe_table',
      'db_query',
      'db_explain',
    ]);
    const schemas = await callTool(surface, 'db_list_schemas', {}, ctx());
    expect(schemas.data).toEqual({ defaultSchema: 'main', schemas: [{ name: 'main', tables: 4 }] });
    const tables = await callTool(surface, 'db_list_tables', {}, ctx());
    expect((tables.data.tables as { name: string; kind: string }[]).map((t) => [t.name, t.kind])).toEqual([
      ['big_spenders', 'view'],
      ['customers', 'table'],
      ['events', 'table'],
      ['orders', 'table'],
    ]);
    const described = await callTool(surface, 'db_describe_table', { table: 'orders' }, ctx());
    expect(described.data).toMatchObject({
      schema: 'main',
      name: 'orders',
      primaryKey: ['id'],
      rowEstimate: 3,
      rowEstimateExact: true,
      foreignKeys: [{ columns: ['customer_id'], referencedTable: 'customers', referencedColumns: ['id'] }],
      indexes: [{ name: 'orders_customer_idx', columns: ['customer_id'], unique: false, primary: false }],
    });
    expect((described.data.columns as { name: string; generated: boolean }[])[0]).toMatchObject({
      name: 'id',
      generated: true,
    });
    const events = await callTool(surface, 'db_describe_table', { table: 'events' }, ctx());
    expect(events.data).toMatchObject({ rowEstimate: 20000, rowEstimateExact: true });
  });

  it('treats malicious table names as names and binds parameters', async () => {
    for (const table of [
      'orders"; DROP TABLE customers; --',
      "orders'); DROP TABLE customers; --",
      '[orders]',
    ]) {
      expect(await expectToolError(callTool(surface, 'db_describe_table', { table }, ctx()))).toContain(
        'No table or view named',
      );
    }
    const byEmail = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT name FROM customers WHERE email = ?', params: ["x' OR '1'='1"] },
      ctx(),
    );
    expect(byEmail.data.rows).toEqual([]);
    const values = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id, total, raw, big FROM orders WHERE id = ?', params: [1] },
      ctx(),
    );
    expect(values.data.rows).toEqual([[1, 12.5, '\\x00ff10', '9007199254740993']]);
    expect(
      (await callTool(surface, 'db_query', { sql: 'SELECT count(*) FROM customers' }, ctx())).data.rows,
    ).toEqual([[2]]);
  });

  it('the database refuses writes on a read-only connection, and query_only on a writable one', async () => {
    const limits = { timeoutMs: 5000, maxRows: 10, maxBytes: 10_000, maxCellChars: 100 };
    const attempt = (cfg: Record<string, unknown>, id: string) =>
      h.pools
        .use(
          {
            tenantId: 'tenant-db-tests',
            connectionId: id,
            config: databaseConfigSchema.parse(cfg),
            secrets: { password: null, clientKey: null },
            logger: { info() {}, warn() {} },
          },
          (driver) => driver.query('DELETE FROM orders RETURNING id', [], limits),
        )
        .then(
          () => null,
          (e: { code?: string; message?: string }) => e,
        );
    expect(await attempt(config, connectionId)).toMatchObject({
      message: 'attempt to write a readonly database',
    });
    expect(await attempt({ ...config, allowWrites: true }, 'lite-writable-direct')).toMatchObject({
      message: 'attempt to write a readonly database',
    });
    expect(
      await expectToolError(
        callTool(surface, 'db_query', { sql: 'WITH x AS (SELECT 1) DELETE FROM orders' }, ctx()),
      ),
    ).toContain('may not contain DELETE');
    expect(
      await expectToolError(callTool(surface, 'db_query', { sql: "SELECT load_extension('/tmp/x')" }, ctx())),
    ).toContain('load_extension');
    expect(
      (await callTool(surface, 'db_query', { sql: 'SELECT count(*) FROM orders' }, ctx())).data.rows,
    ).toEqual([[3]]);
  });

  it('kills a query that overruns its timeout, even one busy inside SQLite, and carries on', async () => {
    const slow = callContext({ ...config, statementTimeoutMs: 400 }, { connectionId: 'lite-slow' });
    const s = await surfaceOf(h.pack, slow);
    expect(await expectToolError(callTool(s, 'db_query', { sql: ENDLESS }, slow))).toContain(
      'statement timeout (400 ms)',
    );
    expect(await expectToolError(callTool(s, 'db_query', { sql: ENDLESS }, slow))).toContain(
      'statement timeout (400 ms)',
    );
    expect((await callTool(s, 'db_query', { sql: 'SELECT 7' }, slow)).data.rows).toEqual([[7]]);
  });

  it('truncates a huge result and says so', async () => {
    const { data, text } = await callTool(
      surface,
      'db_query',
      {
        sql: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT x, 'pad' FROM c",
      },
      ctx(),
    );
    expect(data).toMatchObject({ rowCount: 500, truncated: true, truncationReason: 'row_limit' });
    expect(text).toContain('TRUNCATED');
    const small = callContext({ ...config, maxResultBytes: 8 * 1024 }, { connectionId: 'lite-small' });
    const sized = await callTool(surface, 'db_query', { sql: 'SELECT id, payload FROM events' }, small);
    expect(sized.data).toMatchObject({ truncated: true, truncationReason: 'size_limit' });
  });

  it('explains query plans', async () => {
    const plan = await callTool(
      surface,
      'db_explain',
      { sql: 'SELECT * FROM orders WHERE customer_id = ?', params: [1] },
      ctx(),
    );
    expect(plan.text).toContain('orders_customer_idx');
    expect(
      await expectToolError(callTool(surface, 'db_explain', { sql: 'SELECT 1', analyze: true }, ctx())),
    ).toContain('no EXPLAIN ANALYZE');
  });

  it('opens files only inside the SQLite directory', async () => {
    for (const path of ['../outside.db', join(root, 'outside.db'), 'link.db', 'missing.db']) {
      const c = callContext({ ...config, path }, { connectionId: `lite-${path}` });
      const s = await surfaceOf(h.pack, c);
      expect(await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, c))).toMatch(
        /outside the SQLite directory|does not exist/,
      );
    }
    const disabled = harness({ sqliteDirectory: null });
    try {
      const c = callContext(config, { connectionId: 'lite-disabled' });
      const s = await surfaceOf(disabled.pack, c);
      expect(await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, c))).toContain(
        'SQLite connections are disabled',
      );
    } finally {
      await disabled.close();
    }
  });

  it('exposes the schema as resources', async () => {
    expect((surface.resources ?? []).map((r) => r.uri)).toEqual([
      `db://${connectionId}/schemas`,
      `db://${connectionId}/schemas/main`,
    ]);
    const overview = await readResource(surface, `db://${connectionId}/schemas`, ctx());
    expect(JSON.parse((overview.contents[0] as { text: string }).text)).toMatchObject({
      defaultSchema: 'main',
    });
    const table = await readResource(surface, `db://${connectionId}/schemas/main/tables/customers`, ctx());
    expect(JSON.parse((table.contents[0] as { text: string }).text)).toMatchObject({
      name: 'customers',
      primaryKey: ['id'],
    });
  });

  it('with writes enabled: insert, update, delete by key and guarded statements', async () => {
    const writable = callContext({ ...config, allowWrites: true }, { connectionId: 'lite-writable' });
    const w = await surfaceOf(h.pack, writable);
    const inserted = await callTool(
      w,
      'db_insert_row',
      { table: 'customers', values: { name: 'Linus', email: 'linus@example.com' } },
      writable,
    );
    expect(inserted.data).toMatchObject({
      affectedRows: 1,
      insertId: 3,
      returned: { rows: [[3, 'Linus', 'linus@example.com', 0]] },
    });
    const updated = await callTool(
      w,
      'db_update_row',
      { table: 'customers', key: { id: 3 }, values: { vip: 1 } },
      writable,
    );
    expect(updated.data).toMatchObject({
      affectedRows: 1,
      returned: { rows: [[3, 'Linus', 'linus@example.com', 1]] },
    });
    const deleted = await callTool(
      w,
      'db_delete_row',
      { table: 'customers', key: { email: 'linus@example.com' } },
      writable,
    );
    expect(deleted.data.affectedRows).toBe(1);
    const tooMany = await expectToolError(
      callTool(w, 'db_execute', { sql: "UPDATE events SET payload = 'z'", max_affected_rows: 5 }, writable),
    );
    expect(tooMany).toContain('would change 20000 rows');
    expect(
      (await callTool(w, 'db_query', { sql: "SELECT count(*) FROM events WHERE payload = 'z'" }, writable))
        .data.rows,
    ).toEqual([[0]]);
    const done = await callTool(
      w,
      'db_execute',
      { sql: "UPDATE orders SET status = 'archived' WHERE status = ?", params: ['pending'] },
      writable,
    );
    expect(done.data).toMatchObject({ affectedRows: 1, insertId: null });
  });
});
