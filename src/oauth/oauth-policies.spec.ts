import { describe, expect, it } from '@jest/globals';
import { isNonPublicAddress, refuseFetch } from './cimd-fetch.js';
import { parseResourceUrl, protectedResourceMetadataUrlFor } from './oauth-urls.js';
import { isAllowedRedirectUri, redirectMatches } from './redirect-policy.js';

describe('redirect policy', () => {
  it('allows https, loopback http and (native only) private-use schemes', () => {
    expect(isAllowedRedirectUri('https://claude.ai/api/mcp/auth_callback', 'web')).toBe(true);
    expect(isAllowedRedirectUri('http://127.0.0.1:3334/callback', 'web')).toBe(true);
    expect(isAllowedRedirectUri('http://example.com/cb', 'web')).toBe(false);
    expect(isAllowedRedirectUri('com.example.app:/cb', 'native')).toBe(true);
    expect(isAllowedRedirectUri('com.example.app:/cb', 'web')).toBe(false);
    expect(isAllowedRedirectUri('javascript:alert(1)', 'native')).toBe(false);
    expect(isAllowedRedirectUri('https://a.example/cb#frag', 'web')).toBe(false);
  });

  it('matches exactly, except loopback on any port', () => {
    const declared = ['http://127.0.0.1:3000/cb', 'https://app.example/cb'];
    expect(redirectMatches('http://127.0.0.1:49152/cb', declared)).toBe(true);
    expect(redirectMatches('http://127.0.0.1:49152/other', declared)).toBe(false);
    expect(redirectMatches('https://app.example/cb?x=1', declared)).toBe(false);
    expect(redirectMatches('https://app.example:8443/cb', declared)).toBe(false);
  });
});

describe('CIMD fetch guard', () => {
  it('knows non-public addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::7f00:1',
      '0.0.0.0',
    ]) {
      expect({ a, blocked: isNonPublicAddress(a) }).toEqual({ a, blocked: true });
    }
    for (const a of ['1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect({ a, blocked: isNonPublicAddress(a) }).toEqual({ a, blocked: false });
    }
  });

  it('refuses names that resolve to any private address, and non-https URLs', async () => {
    const resolver = (map: Record<string, string[]>) => async (h: string) => map[h] ?? [];
    expect(
      await refuseFetch('https://ok.example/c.json', resolver({ 'ok.example': ['93.184.216.34'] })),
    ).toBeNull();
    expect(
      await refuseFetch(
        'https://mixed.example/c.json',
        resolver({ 'mixed.example': ['93.184.216.34', '10.0.0.5'] }),
      ),
    ).toMatch(/non-public/);
    expect(
      await refuseFetch('http://ok.example/c.json', resolver({ 'ok.example': ['93.184.216.34'] })),
    ).toMatch(/https/);
    expect(await refuseFetch('https://localhost/c.json')).toMatch(/not public/);
    expect(await refuseFetch('https://nowhere.example/c.json', resolver({}))).toMatch(/resolve/);
  });
});

describe('resource URLs', () => {
  const base = 'https://mcp.example.com';
  it('accepts only the canonical spelling of an endpoint URL', () => {
    expect(parseResourceUrl(base, `${base}/t/acme/mcp`)).toEqual({ tenant: 'acme', endpoint: null });
    expect(parseResourceUrl(base, `${base}/t/acme/e/sales/mcp`)).toEqual({
      tenant: 'acme',
      endpoint: 'sales',
    });
    for (const bad of [
      `${base}/t/acme/mcp/`,
      `${base}/t/acme/mcp?x=1`,
      `${base}/t/ACME/mcp`,
      'https://evil.example/t/acme/mcp',
      `${base}.evil/t/acme/mcp`,
    ]) {
      expect(parseResourceUrl(base, bad)).toBeNull();
    }
    expect(protectedResourceMetadataUrlFor(base, '/t/acme/mcp')).toBe(
      `${base}/.well-known/oauth-protected-resource/t/acme/mcp`,
    );
  });
});
