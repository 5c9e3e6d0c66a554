import { describe, expect, it } from '@jest/globals';

import { findChallenge, parseWwwAuthenticate, WwwAuthenticateSyntaxError } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    const [c] = parseWwwAuthenticate(
      'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp", scope="mcp files:read"',
    );
    expect(c).toEqual({
      scheme: 'Bearer',
      params: {
        resource_metadata: 'https://mcp.example/.well-known/oauth-protected-resource/mcp',
        scope: 'mcp files:read',
      },
    });
  });

  it('lower-cases parameter names, keeps values, accepts tokens and spaces around "="', () => {
    const [c] = parseWwwAuthenticate('bearer Realm = example ,  Error="invalid_token"');
    expect(c?.scheme).toBe('bearer');
    expect({ ...c?.params }).toEqual({ realm: 'example', error: 'invalid_token' });
  });

  it('unescapes quoted-pairs and keeps commas inside quoted strings', () => {
    const [c] = parseWwwAuthenticate('Bearer error_description="a \\"quoted\\", comma-separated text"');
    expect(c?.params.error_description).toBe('a "quoted", comma-separated text');
  });

  it('separates several challenges in one header, as joined headers arrive', () => {
    const challenges = parseWwwAuthenticate(
      'Basic realm="x", Bearer resource_metadata="https://a.example/m", scope="mcp", DPoP algs="ES256", Negotiate',
    );
    expect(challenges.map((c) => c.scheme)).toEqual(['Basic', 'Bearer', 'DPoP', 'Negotiate']);
    expect(findChallenge(challenges, 'bearer')?.params.scope).toBe('mcp');
    expect(findChallenge(challenges, 'dpop')?.params.algs).toBe('ES256');
  });

  it('reads token68 credentials, padding included', () => {
    expect(parseWwwAuthenticate('Custom abc123+/==, Bearer')).toEqual([
      { scheme: 'Custom', params: {}, token68: 'abc123+/==' },
      { scheme: 'Bearer', params: {} },
    ]);
  });

  it('takes the first of repeated parameters and treats __proto__ as a plain name', () => {
    const [c] = parseWwwAuthenticate('Bearer scope="a", scope="b", __proto__="x"');
    expect(c?.params.scope).toBe('a');
    expect(Object.hasOwn(c!.params, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(c!.params)).toBeNull();
  });

  it('returns nothing for an empty header and refuses malformed ones', () => {
    expect(parseWwwAuthenticate('  ')).toEqual([]);
    expect(() => parseWwwAuthenticate('Bearer scope="never closed')).toThrow(WwwAuthenticateSyntaxError);
    expect(() => parseWwwAuthenticate('"quoted-scheme"')).toThrow(WwwAuthenticateSyntaxError);
  });
});
