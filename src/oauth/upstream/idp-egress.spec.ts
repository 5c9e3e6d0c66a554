import { afterEach, describe, expect, it } from '@jest/globals';
import { IdpEgress, IdpEgressRefusedError, type AddressResolver } from './idp-egress.js';

const dns =
  (answers: Record<string, string[]>): AddressResolver =>
  async (host) => {
    const list = answers[host];
    if (!list) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const opened: IdpEgress[] = [];
function egress(
  allow: string[] = [],
  extra: { loopback?: boolean; answers?: Record<string, string[]> } = {},
) {
  const e = new IdpEgress({
    allow,
    loopbackForTests: extra.loopback ?? false,
    resolver: dns(extra.answers ?? { 'login.example.com': ['93.184.216.34'] }),
  });
  opened.push(e);
  return e;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe('IdpEgress', () => {
  it('accepts public https identity providers', async () => {
    expect(egress().refusalFor('https://login.example.com/realms/acme')).toBeNull();
    expect(await egress().refusalAfterLookup('https://login.example.com')).toBeNull();
  });

  it.each([
    ['http://login.example.com', /only https/],
    ['https://user:pw@login.example.com', /credentials/],
    ['https://10.1.2.3', /10\.1\.2\.3 is not a public address/],
    ['https://127.0.0.1:8443', /not a public address/],
    ['https://[::1]', /not a public address/],
    ['https://[::ffff:192.168.0.1]', /192\.168\.0\.1 is not a public address/],
    ['https://169.254.169.254', /cloud metadata/],
    ['https://metadata.google.internal', /metadata/],
    ['https://localhost', /not a public name/],
    ['https://idp.corp.internal', /not a public name/],
    ['https://keycloak', /not a public name/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, reason) => {
    expect(egress().refusalFor(url)).toMatch(reason);
  });

  it('refuses a public-looking name that resolves to a private address, or to both kinds', async () => {
    const e = egress([], {
      answers: { 'sso.example.com': ['10.0.0.5'], 'mixed.example.com': ['93.184.216.34', '172.16.3.4'] },
    });
    expect(await e.refusalAfterLookup('https://sso.example.com')).toMatch(
      /10\.0\.0\.5 is not a public address/,
    );
    expect(await e.refusalAfterLookup('https://mixed.example.com')).toMatch(/172\.16\.3\.4/);
    expect(await e.refusalAfterLookup('https://gone.example.com')).toMatch(/does not resolve/);
  });

  it('opens what the operator allow-lists, except metadata addresses', async () => {
    const e = egress(['10.20.0.0/16', '*.corp.example', 'keycloak'], {
      answers: {
        'sso.corp.example': ['10.99.0.1'],
        keycloak: ['192.168.4.4'],
        'meta.corp.example': ['169.254.169.254'],
      },
    });
    expect(e.refusalFor('https://10.20.3.4')).toBeNull();
    expect(e.refusalFor('https://10.21.3.4')).toMatch(/not a public address/);
    expect(await e.refusalAfterLookup('https://sso.corp.example')).toBeNull();
    expect(await e.refusalAfterLookup('https://keycloak')).toBeNull();
    expect(await e.refusalAfterLookup('https://meta.corp.example')).toMatch(/cloud metadata/);
    expect(egress(['169.254.0.0/16']).refusalFor('https://169.254.169.254')).toMatch(/cloud metadata/);
  });

  it('rejects a malformed allow-list entry at start', () => {
    expect(() => egress(['10.0.0.0/33'])).toThrow(/SWITCHBOARD_IDP_ALLOWED_HOSTS/);
    expect(() => egress(['https://x'])).toThrow(/SWITCHBOARD_IDP_ALLOWED_HOSTS/);
  });

  it('allows loopback over http only with the test-only switch', () => {
    expect(egress().refusalFor('http://127.0.0.1:4000')).toMatch(/only https/);
    const test = egress([], { loopback: true });
    expect(test.refusalFor('http://127.0.0.1:4000')).toBeNull();
    expect(test.refusalFor('http://localhost:4000')).toBeNull();
    expect(test.refusalFor('http://10.0.0.1')).toMatch(/only https/);
    expect(test.refusalFor('https://10.0.0.1')).toMatch(/not a public address/);
  });

  it('refuses to fetch from a refused address, before and at connect time', async () => {
    const e = egress([], { answers: { 'rebind.example.com': ['127.0.0.1'] } });
    const init = { headers: {}, method: 'GET', redirect: 'manual' as const };
    await expect(e.fetch('https://10.1.2.3/.well-known/openid-configuration', init)).rejects.toBeInstanceOf(
      IdpEgressRefusedError,
    );
    // The static check passes (a public-looking name); the socket's lookup sees loopback and refuses.
    await expect(
      e.fetch('https://rebind.example.com/.well-known/openid-configuration', init),
    ).rejects.toThrow(/127\.0\.0\.1 is not a public address/);
  });
});
