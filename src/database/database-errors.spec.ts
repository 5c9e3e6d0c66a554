import { describe, expect, it } from '@jest/globals';
import { describePostgresUrl, redactSecrets } from './database-errors.js';
import { engineMessage } from './migrator.js';

describe('describePostgresUrl', () => {
  it('names database, host and user, never the password', () => {
    const text = describePostgresUrl('postgres://svc:p%40ss@db:5432/app?sslmode=require');
    expect(text).toBe('PostgreSQL database "app" on db:5432 as user "svc"');
    expect(text).not.toContain('p@ss');
  });

  it('copes with URLs it cannot parse', () => {
    expect(describePostgresUrl('postgres://[bad')).toBe('PostgreSQL database (unparseable DATABASE_URL)');
  });
});

describe('redactSecrets', () => {
  it('removes the URL and its password, raw and decoded', () => {
    const url = 'postgres://svc:p%40ss@db/app';
    expect(redactSecrets(`failed for ${url}: p@ss and p%40ss`, url)).toBe(
      'failed for <DATABASE_URL>: *** and ***',
    );
  });
});

describe('engineMessage', () => {
  it('keeps the message and the migration, drops the Rust span trace', () => {
    const raw =
      'external connector error\nNo such table: Nope\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="2026_bad"\n             at x.rs:113';
    expect(engineMessage(new Error(raw))).toBe(
      'external connector error: No such table: Nope (in migration 2026_bad)',
    );
  });
});
