import { describe, expect, it } from '@jest/globals';

import { SecretRedactor } from './secrets.js';

describe('SecretRedactor', () => {
  it('masks registered values wherever they appear, also URL-encoded and inside JSON', () => {
    const r = new SecretRedactor();
    r.add('eyJhbGciOiJSUzI1NiJ9.payload.sig');
    r.add('code/with+chars=');
    r.add('short'); // too short to mask safely: ignored
    expect(r.scrub('token eyJhbGciOiJSUzI1NiJ9.payload.sig refused')).toBe('token [redacted] refused');
    expect(r.scrub('cb?code=code%2Fwith%2Bchars%3D&state=1')).toBe('cb?code=[redacted]&state=1');
    expect(r.scrub('a short word')).toBe('a short word');
    expect(
      r.scrubJson({
        list: ['x code/with+chars= y'],
        n: 1,
        nested: { t: 'eyJhbGciOiJSUzI1NiJ9.payload.sig' },
      }),
    ).toEqual({
      list: ['x [redacted] y'],
      n: 1,
      nested: { t: '[redacted]' },
    });
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const r = new SecretRedactor();
    r.add('abcdefgh');
    r.add('abcdefgh-ijklmnop');
    expect(r.scrub('abcdefgh-ijklmnop')).toBe('[redacted]');
  });
});
