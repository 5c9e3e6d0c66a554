import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { databaseConfigSchema } from '@switchboard/databases';
import type { PackSurface } from '@switchboard/integration-kit';
import mysql from 'mysql2/promise';

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
  type LogLine,
} from './support.js';

const adminUrl = serviceUrl('TEST_MYSQL_URL');

function setup(db: string): string {
  return `
  USE ${db};
  CREATE TABLE ${db}.customers (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(200) NOT NULL UNIQUE,
    vip TINYINT(1) NOT NULL DEFAULT 0
  ) COMMENT = 'people who bought something';
  CREATE TABLE ${db}.orders (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id INT NOT NULL,
    total DECIMAL(10, 2) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    placed_at DATETIME(6) NOT NULL DEFAULT '2024-05-01 12:34:56.789012',
    raw VARBINARY(16) NULL,
    big BIGINT UNSIGNED NULL,
    KEY orders_customer_idx (customer_id),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES ${db}.customers (id)
  );
  CREATE TABLE ${db}.visits (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100));
  CREATE FUNCTION ${db}.log_visit(n VARCHAR(100)) RETURNS INT MODIFIES SQL DATA
    BEGIN INSERT INTO ${db}.visits (note) VALUES (n); RETURN 1; END;
  CREATE VIEW ${db}.big_spenders AS SELECT customer_id, SUM(total) AS spent FROM ${db}.orders GROUP BY customer_id;
  CREATE TABLE ${db}.events (id INT PRIMARY KEY, payload VARCHAR(200));
  INSERT INTO ${db}.events SELECT seq, REPEAT('e', 100) FROM seq_1_to_20000;
  INSERT INTO ${db}.customers (name, email, vip) VALUES ('Ada', 'ada@example.com', 1), ('Grace', 'grace@example.com', 0);
  INSERT INTO ${db}.orders (customer_id, total, status, raw, big) VALUES
    (1, 12.50, 'paid', X'00ff10', 18446744073709551615),
    (1, 99999999.99, 'pending', NULL, NULL),
    (2, 3.10, 'paid', NULL, NULL);
  ANALYZE TABLE ${db}.customers, ${db}.orders, ${db}.events;
`;
}

describeWith(adminUrl)('databases pack on real MariaDB/MySQL', () => {
  const dbName = uniqueDatabaseName();
  const userName = `${dbName}_u`;
  const userPassword = 'Sb-Pa55word-Never-Shown';
  let admin: mysql.Connection;
  let h: Harness;
  let baseConfig: Record<string, unknown>;
  let surface: PackSurface<unknown>;
  const connectionId = 'my-main';
  const ctx = () => callContext(baseConfig, { connectionId });

  beforeAll(async () => {
    const url = new URL(adminUrl as string);
    admin = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      multipleStatements: true,
    });
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.query(setup(dbName));
    await admin.query(`CREATE USER '${userName}'@'%' IDENTIFIED BY '${userPassword}'`);
    await admin.query(`GRANT SELECT ON ${dbName}.* TO '${userName}'@'%'`);
    baseConfig = {
      dialect: 'mysql',
      host: url.hostname,
      port: Number(url.port || 3306),
      database: dbName,
      user: decodeURIComponent(url.username || 'root'),
      tls: { mode: 'disable' },
      statementTimeoutMs: 5_000,
      maxRows: 500,
    };
    h = harness();
    surface = await surfaceOf(h.pack, ctx());
  });

  afterAll(async () => {
    await h?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`DROP USER IF EXISTS '${userName}'@'%'`);
    await admin.end();
  });

  it('exposes read tools with ? placeholders in their descriptions', () => {
    expect(Object.keys(permissionsOf(surface))).toEqual([
      'db_list_schemas',
      'db_list_tables',
      'db_describe_table',
      'db_query',
      'db_explain',
    ]);
    expect(surface.tools.find((t) => t.name === 'db_query')?.description).toContain('Placeholders are ?');
  });

  it('db_list_schemas and db_list_tables', async () => {
    const schemas = await callTool(surface, 'db_list_schemas', {}, ctx());
    expect(schemas.data.defaultSchema).toBe(dbName);
    expect(schemas.data.schemas).toEqual(expect.arrayContaining([{ name: dbName, tables: 5 }]));
    expect((schemas.data.schemas as { name: string }[]).map((s) => s.name)).not.toContain('mysql');
    const tables = await callTool(surface, 'db_list_tables', {}, ctx());
    const list = tables.data.tables as {
      name: string;
      kind: string;
      rowEstimate: number | null;
      comment: string | null;
    }[];
    expect(list.map((t) => t.name)).toEqual(['big_spenders', 'customers', 'events', 'orders', 'visits']);
    expect(list.find((t) => t.name === 'big_spenders')).toMatchObject({ kind: 'view', rowEstimate: null });
    expect(list.find((t) => t.name === 'customers')).toMatchObject({
      kind: 'table',
      comment: 'people who bought something',
    });
    expect(list.find((t) => t.name === 'events')?.rowEstimate).toBeGreaterThan(15000);
  });

  it('db_describe_table gives columns, keys, indexes and foreign keys', async () => {
    const { data, text } = await callTool(surface, 'db_describe_table', { table: 'orders' }, ctx());
    const columns = data.columns as {
      name: string;
      type: string;
      nullable: boolean;
      generated: boolean;
      default: string | null;
    }[];
    expect(columns.map((c) => c.name)).toEqual([
      'id',
      'customer_id',
      'total',
      'status',
      'placed_at',
      'raw',
      'big',
    ]);
    expect(columns.find((c) => c.name === 'total')).toMatchObject({ type: 'decimal(10,2)', nullable: false });
    expect(columns.find((c) => c.name === 'raw')).toMatchObject({ nullable: true, default: null });
    expect(columns.find((c) => c.name === 'id')).toMatchObject({ generated: true });
    expect(data.primaryKey).toEqual(['id']);
    expect(data.foreignKeys).toEqual([
      {
        name: 'orders_customer_fk',
        columns: ['customer_id'],
        referencedSchema: dbName,
        referencedTable: 'customers',
        referencedColumns: ['id'],
      },
    ]);
    expect((data.indexes as { name: string; unique: boolean }[]).map((i) => [i.name, i.unique])).toEqual([
      ['PRIMARY', true],
      ['orders_customer_idx', false],
    ]);
    expect(text).toContain(`→ ${dbName}.customers (id)`);
  });

  it('db_describe_table treats a malicious table name as a name', async () => {
    for (const table of [
      "orders' OR '1'='1",
      'orders`; DROP TABLE customers; --',
      "x'; DROP TABLE customers; -- ",
    ]) {
      expect(await expectToolError(callTool(surface, 'db_describe_table', { table }, ctx()))).toContain(
        'No table or view named',
      );
    }
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${dbName}.customers`);
    expect((rows as { n: number }[])[0]?.n).toBe(2);
  });

  it('db_query binds parameters with prepared statements', async () => {
    const ok = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT name, vip FROM customers WHERE email = ?', params: ['ada@example.com'] },
      ctx(),
    );
    expect(ok.data.rows).toEqual([['Ada', 1]]);
    for (const attempt of ["x' OR '1'='1", "\\'; DELETE FROM orders; -- ", '1 OR 1=1']) {
      const res = await callTool(
        surface,
        'db_query',
        { sql: 'SELECT name FROM customers WHERE email = ?', params: [attempt] },
        ctx(),
      );
      expect(res.data.rows).toEqual([]);
    }
  });

  it('db_query keeps exact values: decimals and unsigned bigints as strings, datetimes as printed, bytes as hex', async () => {
    const { data } = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id, total, placed_at, raw, big FROM orders WHERE id = ?', params: [1] },
      ctx(),
    );
    expect(data.rows).toEqual([
      [1, '12.50', '2024-05-01 12:34:56.789012', '\\x00ff10', '18446744073709551615'],
    ]);
    expect((data.columns as { type: string }[]).map((c) => c.type)).toEqual([
      'bigint',
      'decimal',
      'datetime',
      'varchar',
      'bigint',
    ]);
  });

  it('refuses several statements, writes and executable comments before they reach the server', async () => {
    expect(
      await expectToolError(callTool(surface, 'db_query', { sql: 'SELECT 1; DELETE FROM orders' }, ctx())),
    ).toContain('Only one statement');
    expect(
      await expectToolError(
        callTool(surface, 'db_query', { sql: 'SELECT 1 /*!50000 ; DELETE FROM orders */' }, ctx()),
      ),
    ).toContain('executable comments');
    expect(
      await expectToolError(
        callTool(surface, 'db_query', { sql: "SELECT * FROM orders INTO OUTFILE '/tmp/x'" }, ctx()),
      ),
    ).toContain('may not contain INTO');
  });

  it('the server itself refuses writes: a statement past the tokenizer, and a function that writes', async () => {
    const config = databaseConfigSchema.parse(baseConfig);
    const refusal = await h.pools
      .use(
        {
          tenantId: 'tenant-db-tests',
          connectionId,
          config,
          secrets: { password: null, clientKey: null },
          logger: { info() {}, warn() {} },
        },
        (driver) =>
          driver.query('DELETE FROM orders', [], {
            timeoutMs: 5000,
            maxRows: 10,
            maxBytes: 10_000,
            maxCellChars: 100,
          }),
      )
      .then(
        () => null,
        (e: { errno?: number; message?: string }) => e,
      );
    expect(refusal).toMatchObject({ errno: 1792 });
    const fn = await expectToolError(
      callTool(surface, 'db_query', { sql: "SELECT log_visit('sneaky')" }, ctx()),
    );
    expect(fn).toContain('The database refused to write: this query runs in a read-only transaction');
    const [rows] = await admin.query(
      `SELECT (SELECT COUNT(*) FROM ${dbName}.orders) AS o, (SELECT COUNT(*) FROM ${dbName}.visits) AS v`,
    );
    expect(rows).toEqual([{ o: 3, v: 0 }]);
  });

  it('stops a slow query at the statement timeout', async () => {
    const slow = callContext({ ...baseConfig, statementTimeoutMs: 300 }, { connectionId: 'my-slow' });
    const s = await surfaceOf(h.pack, slow);
    expect(await expectToolError(callTool(s, 'db_query', { sql: 'SELECT SLEEP(5)' }, slow))).toContain(
      'statement timeout (300 ms)',
    );
    expect((await callTool(s, 'db_query', { sql: 'SELECT 1 AS one' }, slow)).data.rows).toEqual([[1]]);
  });

  it('truncates a huge result and says so, then carries on with a fresh connection', async () => {
    const { data, text } = await callTool(
      surface,
      'db_query',
      { sql: "SELECT seq, REPEAT('x', 50) FROM seq_1_to_1000000" },
      ctx(),
    );
    expect(data).toMatchObject({ rowCount: 500, truncated: true, truncationReason: 'row_limit' });
    expect(text).toContain('TRUNCATED');
    const small = callContext({ ...baseConfig, maxResultBytes: 8 * 1024 }, { connectionId: 'my-small' });
    const sized = await callTool(
      surface,
      'db_query',
      { sql: 'SELECT id, payload FROM events ORDER BY id' },
      small,
    );
    expect(sized.data).toMatchObject({ truncated: true, truncationReason: 'size_limit' });
    expect(
      (await callTool(surface, 'db_query', { sql: 'SELECT COUNT(*) FROM events' }, ctx())).data.rows,
    ).toEqual([[20000]]);
  });

  it('db_explain shows the plan as JSON, and ANALYZE runs it', async () => {
    const plan = await callTool(
      surface,
      'db_explain',
      { sql: 'SELECT * FROM orders WHERE customer_id = ?', params: [1] },
      ctx(),
    );
    expect(plan.data).toMatchObject({ format: 'json', analyzed: false });
    expect(plan.text).toContain('query_block');
    const analyzed = await callTool(
      surface,
      'db_explain',
      { sql: 'SELECT COUNT(*) FROM events', analyze: true },
      ctx(),
    );
    expect(analyzed.data.analyzed).toBe(true);
    expect(analyzed.text).toMatch(/r_loops|actual time/);
  });

  it('survives its connections being killed on the server', async () => {
    const id = async () =>
      (
        (await callTool(surface, 'db_query', { sql: 'SELECT CONNECTION_ID()' }, ctx())).data
          .rows as number[][]
      )[0]?.[0];
    const first = await id();
    expect(await id()).toBe(first);
    await admin.query(`KILL ${Number(first)}`);
    const after = await id();
    expect(after).not.toBe(first);
    expect(
      (await callTool(surface, 'db_query', { sql: 'SELECT COUNT(*) FROM customers' }, ctx())).data.rows,
    ).toEqual([[2]]);
  });

  it('never shows the password, even when the server rejects it', async () => {
    const logs: LogLine[] = [];
    const config = { ...baseConfig, user: userName };
    const wrong = callContext(config, {
      connectionId: 'my-user',
      secrets: { password: `${userPassword}-wrong` },
      logs,
    });
    const s = await surfaceOf(h.pack, wrong);
    const message = await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, wrong));
    expect(message).toContain('Access denied');
    expect(message).not.toContain(userPassword);
    expect(JSON.stringify(logs)).not.toContain(userPassword);
    const right = callContext(config, { connectionId: 'my-user', secrets: { password: userPassword }, logs });
    expect(
      (await callTool(s, 'db_query', { sql: 'SELECT COUNT(*) FROM customers' }, right)).data.rows,
    ).toEqual([[2]]);
  });

  it('insists on TLS when the configuration asks for it', async () => {
    const tls = callContext({ ...baseConfig, tls: { mode: 'verify-full' } }, { connectionId: 'my-tls' });
    const s = await surfaceOf(h.pack, tls);
    expect(await expectToolError(callTool(s, 'db_query', { sql: 'SELECT 1' }, tls))).toMatch(
      /does not support secure connection/i,
    );
  });

  it('exposes the schema as resources', async () => {
    const uris = (surface.resources ?? []).map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([`db://${connectionId}/schemas`, `db://${connectionId}/schemas/${dbName}`]),
    );
    const table = await readResource(
      surface,
      `db://${connectionId}/schemas/${dbName}/tables/customers`,
      ctx(),
    );
    expect(JSON.parse((table.contents[0] as { text: string }).text)).toMatchObject({
      name: 'customers',
      primaryKey: ['id'],
    });
  });

  it('with writes enabled: insert, update, delete by key and guarded statements', async () => {
    const writable = callContext({ ...baseConfig, allowWrites: true }, { connectionId: 'my-writable' });
    const w = await surfaceOf(h.pack, writable);
    const inserted = await callTool(
      w,
      'db_insert_row',
      { table: 'customers', values: { name: 'Linus', email: 'linus@example.com' } },
      writable,
    );
    expect(inserted.data).toMatchObject({ affectedRows: 1, insertId: 3, returned: null });
    const updated = await callTool(
      w,
      'db_update_row',
      { table: 'customers', key: { id: 3 }, values: { vip: true } },
      writable,
    );
    expect(updated.data.affectedRows).toBe(1);
    const deleted = await callTool(
      w,
      'db_delete_row',
      { table: 'customers', key: { email: 'linus@example.com' } },
      writable,
    );
    expect(deleted.data.affectedRows).toBe(1);
    const tooMany = await expectToolError(
      callTool(
        w,
        'db_execute',
        { sql: 'UPDATE events SET payload = ?', params: ['z'], max_affected_rows: 5 },
        writable,
      ),
    );
    expect(tooMany).toContain('would change 20000 rows');
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${dbName}.events WHERE payload = 'z'`);
    expect(rows).toEqual([{ n: 0 }]);
    expect(
      await expectToolError(callTool(w, 'db_query', { sql: "SELECT log_visit('x')" }, writable)),
    ).toContain('read-only transaction');
  });
});
