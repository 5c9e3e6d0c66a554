import { describe, expect, it } from '@jest/globals';

import type { Dialect } from './database.config.js';
import { assertReadOnlySql, assertWriteSql, quoteIdent, SqlRejectedError, tokenize } from './sql-guard.js';

function rejection(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SqlRejectedError) return error.message;
    throw error;
  }
  throw new Error('expected the SQL to be rejected');
}

const ALL: Dialect[] = ['postgres', 'mysql', 'sqlite'];

describe('assertReadOnlySql', () => {
  it.each(ALL)('accepts plain reads (%s)', (dialect) => {
    for (const sql of [
      'SELECT 1',
      'select * from orders where id = 1;',
      'SELECT 1;;',
      '  (SELECT a FROM t) UNION (SELECT b FROM u)',
      "SELECT ';DELETE FROM t' AS x",
      'SELECT 1 -- ; DELETE FROM t',
      'SELECT 1 /* ; DROP TABLE t */',
      'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
      "SELECT replace(name, 'a', 'b') FROM t",
    ]) {
      expect(() => assertReadOnlySql(sql, dialect)).not.toThrow();
    }
  });

  it.each(ALL)('rejects several statements, however they are spaced (%s)', (dialect) => {
    expect(rejection(() => assertReadOnlySql('SELECT 1; SELECT 2', dialect))).toBe(
      'Only one statement is allowed per call; found 2. Send them one at a time.',
    );
    expect(rejection(() => assertReadOnlySql('SELECT 1;\n/* c */ DELETE FROM t', dialect))).toContain(
      'found 2',
    );
  });

  it.each(ALL)('rejects writes, DDL and writes hidden in a CTE (%s)', (dialect) => {
    expect(rejection(() => assertReadOnlySql('DELETE FROM t', dialect))).toContain(
      'this one starts with DELETE',
    );
    expect(rejection(() => assertReadOnlySql('drop table t', dialect))).toContain('starts with DROP');
    expect(
      rejection(() => assertReadOnlySql('WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', dialect)),
    ).toBe('Read-only queries may not contain DELETE. (If it is a column or table name, quote it.)');
    expect(rejection(() => assertReadOnlySql('SELECT * INTO copy FROM t', dialect))).toContain('INTO');
    expect(rejection(() => assertReadOnlySql('SELECT * FROM t FOR UPDATE', dialect))).toContain('UPDATE');
    expect(rejection(() => assertReadOnlySql('EXPLAIN ANALYZE DELETE FROM t', dialect))).toContain(
      'starts with EXPLAIN',
    );
    expect(rejection(() => assertReadOnlySql('', dialect))).toBe('The SQL is empty.');
    expect(rejection(() => assertReadOnlySql(' ; -- nothing', dialect))).toBe('The SQL is empty.');
  });

  it('lets quoted identifiers that look like keywords through', () => {
    expect(() => assertReadOnlySql('SELECT "update", "delete" FROM "insert"', 'postgres')).not.toThrow();
    expect(() => assertReadOnlySql('SELECT `update` FROM `into`', 'mysql')).not.toThrow();
    expect(() => assertReadOnlySql('SELECT [delete] FROM t', 'sqlite')).not.toThrow();
  });

  it('follows PostgreSQL string rules: standard strings, E-strings, dollar quotes, nested comments', () => {
    // Standard strings have no backslash escape, so the statement really ends after '\'.
    expect(rejection(() => assertReadOnlySql("SELECT '\\'; DELETE FROM t; --'", 'postgres'))).toContain(
      'found 2',
    );
    // In an E-string the backslash escapes the quote: one statement, all inside the literal.
    expect(() => assertReadOnlySql("SELECT E'\\'; DELETE FROM t; --'", 'postgres')).not.toThrow();
    expect(() => assertReadOnlySql('SELECT $$; DELETE FROM t;$$', 'postgres')).not.toThrow();
    expect(() => assertReadOnlySql('SELECT $tag$ $$ ; $tag$, $1::int', 'postgres')).not.toThrow();
    expect(() =>
      assertReadOnlySql('SELECT 1 /* outer /* inner */ ; still comment */', 'postgres'),
    ).not.toThrow();
    expect(rejection(() => assertReadOnlySql('SELECT $x$ never closed', 'postgres'))).toBe(
      'The SQL has an unterminated dollar-quoted string.',
    );
  });

  it('follows MySQL string rules: backslash escapes, double-quoted strings, # comments', () => {
    expect(() => assertReadOnlySql("SELECT '\\'; DELETE FROM t; -- '", 'mysql')).not.toThrow();
    expect(() => assertReadOnlySql('SELECT "a;b" # ; DELETE', 'mysql')).not.toThrow();
    // Without a space after it, -- is not a comment in MySQL: the semicolon ends the statement.
    expect(rejection(() => assertReadOnlySql('SELECT 1 --; DELETE FROM t', 'mysql'))).toContain('found 2');
  });

  it('rejects MySQL executable comments, which the server runs', () => {
    expect(rejection(() => assertReadOnlySql('SELECT 1 /*!50000 , (DELETE) */', 'mysql'))).toContain(
      'executable comments',
    );
    expect(rejection(() => assertReadOnlySql('SELECT 1 /*M! , 2 */', 'mysql'))).toContain(
      'executable comments',
    );
  });

  it('rejects unterminated literals and comments', () => {
    for (const dialect of ALL) {
      expect(rejection(() => assertReadOnlySql("SELECT 'abc", dialect))).toContain('unterminated');
      expect(rejection(() => assertReadOnlySql('SELECT 1 /* open', dialect))).toBe(
        'The SQL has an unterminated comment.',
      );
    }
  });

  it('refuses administrative and file functions by name, quoted or qualified', () => {
    expect(rejection(() => assertReadOnlySql('SELECT pg_terminate_backend(123)', 'postgres'))).toBe(
      'The function pg_terminate_backend() is not allowed through this tool.',
    );
    expect(rejection(() => assertReadOnlySql('SELECT pg_catalog.pg_read_file($1)', 'postgres'))).toContain(
      'pg_read_file',
    );
    expect(
      rejection(() => assertReadOnlySql("SELECT \"set_config\"('a', 'b', false)", 'postgres')),
    ).toContain('set_config');
    expect(rejection(() => assertReadOnlySql("SELECT LOAD_FILE('/etc/passwd')", 'mysql'))).toContain(
      'load_file',
    );
    expect(rejection(() => assertReadOnlySql("SELECT load_extension('x')", 'sqlite'))).toContain(
      'load_extension',
    );
    expect(() => assertReadOnlySql('SELECT pg_sleep(1)', 'postgres')).not.toThrow();
  });
});

describe('assertWriteSql', () => {
  it.each(ALL)('accepts one data-changing statement (%s)', (dialect) => {
    for (const sql of [
      'INSERT INTO t (a) VALUES (1)',
      'UPDATE t SET a = 2 WHERE id = 1',
      'DELETE FROM t WHERE id IN (SELECT id FROM u)',
      'WITH x AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM x;',
    ]) {
      expect(() => assertWriteSql(sql, dialect)).not.toThrow();
    }
  });

  it.each(ALL)('rejects reads, DDL and stacked statements (%s)', (dialect) => {
    expect(rejection(() => assertWriteSql('SELECT 1', dialect))).toContain('Use db_query for reads');
    expect(rejection(() => assertWriteSql('DROP TABLE t', dialect))).toContain('starts with DROP');
    expect(rejection(() => assertWriteSql('UPDATE t SET a = 1; DROP TABLE t', dialect))).toContain('found 2');
    expect(
      rejection(() => assertWriteSql('INSERT INTO t SELECT * FROM u; CREATE TABLE v (a int)', dialect)),
    ).toContain('found 2');
  });

  it('rejects schema changes inside an otherwise valid statement', () => {
    expect(
      rejection(() => assertWriteSql('WITH d AS (DELETE FROM a RETURNING 1) TRUNCATE b', 'postgres')),
    ).toContain('TRUNCATE');
  });
});

describe('tokenize and quoteIdent', () => {
  it('keeps code and drops literals', () => {
    const [statement] = tokenize('SELECT \'x;y\', "Col" FROM t -- c', 'postgres');
    expect(statement?.map((t) => `${t.kind}:${t.value}`)).toEqual([
      'word:SELECT',
      "literal:'",
      'punct:,',
      'ident:COL',
      'word:FROM',
      'word:T',
    ]);
  });

  it('quotes identifiers so they cannot end early', () => {
    expect(quoteIdent('a"b', 'postgres')).toBe('"a""b"');
    expect(quoteIdent('a`b', 'mysql')).toBe('`a``b`');
    expect(quoteIdent('x"; DROP TABLE t; --', 'sqlite')).toBe('"x""; DROP TABLE t; --"');
    expect(() => quoteIdent('a\0b', 'postgres')).toThrow('NUL');
  });
});
