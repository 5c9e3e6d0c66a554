import type { Dialect } from './database.config.js';

/**
 * A careful tokenizer (not a full parser) that finds statement boundaries and keywords while skipping
 * comments, string literals, quoted identifiers and PostgreSQL dollar-quoted bodies. It is the first of
 * two guards: it rejects more than one statement and anything that is not plainly a read before the
 * database sees it; the database's read-only transaction is the second, and the one that cannot be
 * talked around. A parser would refuse valid SQL it does not know (window clauses, JSON operators,
 * vendor syntax); the tokenizer only has to be right about where code is, which it can be exactly.
 */

export class SqlRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlRejectedError';
  }
}

interface Token {
  /**
   * `word`: an unquoted identifier or keyword, upper-cased. `ident`: a quoted identifier's name,
   * upper-cased. `punct`: one character of code. `literal`: a string or number (value not kept).
   */
  readonly kind: 'word' | 'ident' | 'punct' | 'literal';
  readonly value: string;
}

const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/;

function unterminated(what: string): SqlRejectedError {
  return new SqlRejectedError(`The SQL has an unterminated ${what}.`);
}

/** Index just past a quoted run that starts at `start` (the opening quote). */
function skipQuoted(
  sql: string,
  start: number,
  quote: string,
  backslashEscapes: boolean,
  what: string,
): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  throw unterminated(what);
}

/** Splits SQL into statements of tokens. Empty statements (stray semicolons) are dropped. */
export function tokenize(sql: string, dialect: Dialect): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let i = 0;
  /** End index of the last word, to spot a string prefix written against it (E'…'). */
  let lastWordEnd = -1;
  let lastWord = '';

  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];

    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // Line comments: `--` everywhere (MySQL wants a space or control character after it), `#` in MySQL.
    if (
      (ch === '-' &&
        next === '-' &&
        (dialect !== 'mysql' || i + 2 >= sql.length || /[\s\p{Cc}]/u.test(sql[i + 2] as string))) ||
      (ch === '#' && dialect === 'mysql')
    ) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      if (dialect === 'mysql' && (sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!'))) {
        throw new SqlRejectedError(
          'MySQL executable comments (/*! … */) are not allowed: write the SQL plainly.',
        );
      }
      i = skipBlockComment(sql, i, dialect === 'postgres');
      continue;
    }
    if (ch === "'") {
      const escapePrefix = dialect === 'postgres' && lastWordEnd === i && lastWord === 'E';
      const backslashes = dialect === 'mysql' || escapePrefix;
      i = skipQuoted(sql, i, "'", backslashes, 'string literal');
      current.push({ kind: 'literal', value: "'" });
      continue;
    }
    if (ch === '"' && dialect === 'mysql') {
      // A string in MySQL: the session runs without ANSI_QUOTES.
      i = skipQuoted(sql, i, '"', true, 'string literal');
      current.push({ kind: 'literal', value: '"' });
      continue;
    }
    if (ch === '"' || (ch === '`' && dialect !== 'postgres')) {
      const end = skipQuoted(sql, i, ch, false, 'quoted identifier');
      current.push({
        kind: 'ident',
        value: sql
          .slice(i + 1, end - 1)
          .replaceAll(ch + ch, ch)
          .toUpperCase(),
      });
      i = end;
      continue;
    }
    if (ch === '[' && dialect === 'sqlite') {
      const end = sql.indexOf(']', i + 1);
      if (end === -1) throw unterminated('quoted identifier');
      current.push({ kind: 'ident', value: sql.slice(i + 1, end).toUpperCase() });
      i = end + 1;
      continue;
    }
    if (ch === '$' && dialect === 'postgres') {
      const tag = DOLLAR_TAG.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close === -1) throw unterminated('dollar-quoted string');
        i = close + tag[0].length;
        current.push({ kind: 'literal', value: '$' });
        continue;
      }
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end] as string)) end++;
      lastWord = sql.slice(i, end).toUpperCase();
      lastWordEnd = end;
      current.push({ kind: 'word', value: lastWord });
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end] as string)) end++;
      current.push({ kind: 'literal', value: '0' });
      i = end;
      continue;
    }
    if (ch === ';') {
      if (current.length > 0) statements.push(current);
      current = [];
      i++;
      continue;
    }
    current.push({ kind: 'punct', value: ch });
    i++;
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

function skipBlockComment(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      if (depth === 0 || nested) depth++;
      i += 2;
      continue;
    }
    if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  throw unterminated('comment');
}

const READ_STARTS: Record<Dialect, ReadonlySet<string>> = {
  postgres: new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW']),
  mysql: new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC']),
  sqlite: new Set(['SELECT', 'WITH', 'VALUES']),
};

const WRITE_STARTS: Record<Dialect, ReadonlySet<string>> = {
  postgres: new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'WITH']),
  mysql: new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']),
  sqlite: new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']),
};

/** Keywords that only appear in statements that change something (data, schema, files, sessions, locks). */
const NOT_IN_READS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'INTO',
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
  'COPY',
  'CALL',
  'LOCK',
  'ATTACH',
  'DETACH',
  'OUTFILE',
  'DUMPFILE',
]);

/** Schema and privilege changes are out of scope for the write tools too. */
const NOT_IN_WRITES = new Set([
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
  'COPY',
  'CALL',
  'LOCK',
  'ATTACH',
  'DETACH',
  'OUTFILE',
  'DUMPFILE',
]);

/**
 * Functions that reach outside the query: server administration, files, other servers, session settings,
 * locks. The database's own privileges usually refuse them too; refusing them by name gives the model a
 * clear answer and covers a connection made with a too-powerful role.
 */
const DENIED_FUNCTIONS: Record<Dialect, ReadonlySet<string>> = {
  postgres: new Set([
    'PG_TERMINATE_BACKEND',
    'PG_CANCEL_BACKEND',
    'PG_RELOAD_CONF',
    'PG_ROTATE_LOGFILE',
    'PG_PROMOTE',
    'PG_SWITCH_WAL',
    'PG_CREATE_RESTORE_POINT',
    'PG_READ_FILE',
    'PG_READ_BINARY_FILE',
    'PG_LS_DIR',
    'PG_STAT_FILE',
    'PG_FILE_WRITE',
    'LO_IMPORT',
    'LO_EXPORT',
    'LO_UNLINK',
    'DBLINK',
    'DBLINK_EXEC',
    'DBLINK_CONNECT',
    'SET_CONFIG',
    'PG_ADVISORY_LOCK',
    'PG_ADVISORY_XACT_LOCK',
    'PG_ADVISORY_LOCK_SHARED',
    'PG_TRY_ADVISORY_LOCK',
  ]),
  mysql: new Set(['LOAD_FILE', 'GET_LOCK', 'RELEASE_LOCK', 'RELEASE_ALL_LOCKS', 'SYS_EXEC', 'SYS_EVAL']),
  sqlite: new Set(['LOAD_EXTENSION', 'READFILE', 'WRITEFILE', 'EDIT', 'FTS3_TOKENIZER']),
};

function single(sql: string, dialect: Dialect): Token[] {
  if (sql.length > 100_000) throw new SqlRejectedError('The SQL is longer than 100,000 characters.');
  const statements = tokenize(sql, dialect);
  if (statements.length === 0) throw new SqlRejectedError('The SQL is empty.');
  if (statements.length > 1) {
    throw new SqlRejectedError(
      `Only one statement is allowed per call; found ${statements.length}. Send them one at a time.`,
    );
  }
  return statements[0] as Token[];
}

function firstWord(tokens: readonly Token[]): string | null {
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === '(') continue;
    return t.kind === 'word' ? t.value : null;
  }
  return null;
}

function checkFunctions(tokens: readonly Token[], dialect: Dialect): void {
  const denied = DENIED_FUNCTIONS[dialect];
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i] as Token;
    const n = tokens[i + 1] as Token;
    // A quoted name calls the same function (`"pg_read_file"(…)`), so both spellings are checked.
    if (
      (t.kind === 'word' || t.kind === 'ident') &&
      denied.has(t.value) &&
      n.kind === 'punct' &&
      n.value === '('
    ) {
      throw new SqlRejectedError(`The function ${t.value.toLowerCase()}() is not allowed through this tool.`);
    }
  }
}

/** Throws unless `sql` is exactly one statement that only reads. */
export function assertReadOnlySql(sql: string, dialect: Dialect): void {
  const tokens = single(sql, dialect);
  const first = firstWord(tokens);
  if (first === null || !READ_STARTS[dialect].has(first)) {
    throw new SqlRejectedError(
      `Only read statements are allowed here (${[...READ_STARTS[dialect]].join(', ')}); this one starts with ${first ?? 'something else'}.`,
    );
  }
  for (const t of tokens) {
    if (t.kind === 'word' && NOT_IN_READS.has(t.value)) {
      throw new SqlRejectedError(
        `Read-only queries may not contain ${t.value}. (If it is a column or table name, quote it.)`,
      );
    }
  }
  checkFunctions(tokens, dialect);
}

/** Throws unless `sql` is exactly one INSERT/UPDATE/DELETE-style statement with no schema change. */
export function assertWriteSql(sql: string, dialect: Dialect): void {
  const tokens = single(sql, dialect);
  const first = firstWord(tokens);
  if (first === null || !WRITE_STARTS[dialect].has(first)) {
    throw new SqlRejectedError(
      `Only data-changing statements are allowed here (${[...WRITE_STARTS[dialect]].join(', ')}); this one starts with ${first ?? 'something else'}. Use db_query for reads.`,
    );
  }
  for (const t of tokens) {
    if (t.kind === 'word' && NOT_IN_WRITES.has(t.value)) {
      throw new SqlRejectedError(
        `Statements containing ${t.value} are not allowed: schema and privilege changes are out of scope.`,
      );
    }
  }
  checkFunctions(tokens, dialect);
}

/** Quotes an identifier for the dialect. Only ever used on names read back from the catalog. */
export function quoteIdent(name: string, dialect: Dialect): string {
  if (name.includes('\0')) throw new SqlRejectedError('Identifiers may not contain NUL characters.');
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

/** The placeholder for the `n`-th (1-based) parameter. */
export function placeholder(n: number, dialect: Dialect): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}
