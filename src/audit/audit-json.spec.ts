import { describe, expect, it } from '@jest/globals';
import { isSecretKey, looksLikeSecret, REDACTED, toAuditJson, toAuditObject } from './audit-json.js';

describe('audit JSON normalisation', () => {
  it('redacts secret-looking keys (by suffix) but not their lookalikes', () => {
    for (const k of [
      'password',
      'clientSecret',
      'client_secret',
      'refresh_token',
      'X-Api-Key',
      'Authorization',
      'privateKey',
      'sessionId',
    ])
      expect(isSecretKey(k)).toBe(true);
    for (const k of [
      'tokenType',
      'secretName',
      'passwordPolicy',
      'keyId',
      'author',
      'sessions',
      'tokens_used',
    ])
      expect(isSecretKey(k)).toBe(false);
  });

  it('redacts secret-looking values anywhere', () => {
    for (const v of [
      'Bearer abcdefghijklmnop',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      'sb_abc12345_abcdefghijklmnopqrstuv',
      '-----BEGIN RSA PRIVATE KEY-----\nMII',
      'postgres://user:pw@db.example/x',
      'AKIAABCDEFGHIJKLMNOP',
    ])
      expect(looksLikeSecret(v)).toBe(true);
    for (const v of ['hello', 'bearer', 'https://example.com/path', 'eyJ only'])
      expect(looksLikeSecret(v)).toBe(false);
  });

  it('keeps structure, redacting when asked', () => {
    const input = {
      user: 'ada',
      password: 'x',
      hasSecret: true,
      nested: [{ token: 'y', note: 'Bearer abcdefghijkl' }],
    };
    expect(toAuditJson(input, { redact: true })).toEqual({
      user: 'ada',
      password: REDACTED,
      hasSecret: true,
      nested: [{ token: REDACTED, note: REDACTED }],
    });
    expect(toAuditJson(input, { redact: false })).toEqual(input);
  });

  it('turns what JSON, jsonb or RFC 8785 refuse into safe values', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const out = toAuditObject(
      {
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        negZero: -0,
        big: 12345678901234567890n,
        nul: 'a\u0000b',
        lone: 'x\uD800y',
        pair: '🔑',
        when: new Date('2026-01-01T00:00:00.000Z'),
        bytes: new Uint8Array(3),
        undef: undefined,
        fn: () => 1,
        arr: [undefined, 1],
        cyclic,
        long: 'z'.repeat(10),
        cutPair: 'abcd🔑',
      },
      { redact: false, maxStringLength: 5 },
    );
    expect(out).toEqual({
      nan: null,
      inf: null,
      negZero: 0,
      big: '12345678901234567890',
      nul: 'a\uFFFDb',
      lone: 'x\uFFFDy',
      pair: '🔑',
      when: '2026-01-01T00:00:00.000Z',
      bytes: '[3 bytes]',
      arr: [null, 1],
      cyclic: { a: 1, self: '[circular]' },
      long: 'zzzzz…[5 more characters]',
      cutPair: 'abcd\uFFFD…[1 more characters]',
    });
    expect(toAuditObject('plain', { redact: false })).toEqual({ value: 'plain' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 30; i++) deep = { d: deep };
    expect(JSON.stringify(toAuditJson(deep, { redact: false, maxDepth: 3 }))).toBe(
      '{"d":{"d":{"d":"[too deep]"}}}',
    );
  });
});
