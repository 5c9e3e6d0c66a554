import { describe, expect, it } from '@jest/globals';
import { EgressRefusedError } from '@switchboard/http-client';

import { DatabaseToolError, isConnectionLost, isDriverError, toToolError } from './database.errors.js';
import { SqlRejectedError } from './sql-guard.js';

const context = { timeoutMs: 1500, secrets: ['hunter22', null] };

describe('toToolError', () => {
  it('names timeouts from every dialect the same way', () => {
    for (const error of [
      { code: '57014', message: 'canceling statement due to statement timeout' },
      { errno: 1969, code: 'ER_STATEMENT_TIMEOUT' },
      { errno: 3024 },
    ]) {
      const mapped = toToolError(error, context);
      expect(mapped.kind).toBe('timeout');
      expect(mapped.message).toContain('statement timeout (1500 ms)');
    }
  });

  it('says plainly that the database refused a write', () => {
    for (const error of [
      { code: '25006', message: 'cannot execute INSERT in a read-only transaction' },
      { errno: 1792, sqlMessage: 'Cannot execute statement in a READ ONLY transaction' },
      { code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' },
    ]) {
      expect(toToolError(error, context)).toMatchObject({ kind: 'read_only' });
    }
  });

  it('keeps detail and hint, and never repeats a secret', () => {
    const mapped = toToolError(
      {
        code: '42P01',
        message: 'relation "x" does not exist',
        detail: 'password hunter22 was used',
        hint: 'check',
        position: '15',
      },
      context,
    );
    expect(mapped.message).toBe(
      'The database returned an error 42P01: relation "x" does not exist Detail: password [redacted] was used Hint: check (at character 15)',
    );
    expect(toToolError(new DatabaseToolError('connection', 'bad hunter22'), context).message).toBe(
      'bad [redacted]',
    );
  });

  it('classifies connection failures, rejections and egress refusals', () => {
    expect(
      toToolError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
        context,
      ).kind,
    ).toBe('connection');
    expect(toToolError(new Error('Connection terminated unexpectedly'), context).kind).toBe('connection');
    expect(toToolError(new SqlRejectedError('no'), context)).toMatchObject({
      kind: 'rejected',
      message: 'no',
    });
    expect(
      toToolError(new EgressRefusedError('db.internal', '10.0.0.5', 'a private address'), context),
    ).toMatchObject({
      kind: 'connection',
      message: 'Refused to connect to db.internal: it resolves to 10.0.0.5, a private address.',
    });
  });
});

describe('isDriverError and isConnectionLost', () => {
  it('tells driver failures from bugs', () => {
    expect(isDriverError({ code: '42601' })).toBe(true);
    expect(isDriverError({ errno: 1064 })).toBe(true);
    expect(isDriverError(new TypeError('x is not a function'))).toBe(false);
    expect(isDriverError('string')).toBe(false);
  });

  it('recognises a dropped connection', () => {
    expect(isConnectionLost({ code: '57P01' })).toBe(true);
    expect(isConnectionLost({ code: 'PROTOCOL_CONNECTION_LOST' })).toBe(true);
    expect(isConnectionLost(new Error("Can't add new command when connection is in closed state"))).toBe(
      true,
    );
    expect(isConnectionLost({ code: '42601' })).toBe(false);
  });
});
