import { describe, expect, it } from '@jest/globals';

import { EgressPolicy, type Resolver } from './egress-policy.js';
import { EgressRefusedError } from './http-client.errors.js';

const fixedDns =
  (answers: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('EgressPolicy.refusalFor', () => {
  const policy = new EgressPolicy();

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.10.10', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['fd12:3456::1', 'a unique local (private IPv6) address'],
    ['224.0.0.251', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a reserved, documentation or benchmarking address'],
    ['198.18.0.1', 'a reserved, documentation or benchmarking address'],
    ['2001:db8::1', 'a reserved, documentation or benchmarking address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['64:ff9b::7f00:1', 'an IPv6 transition address (NAT64, 6to4, IPv4-compatible)'],
    ['2002:7f00:1::', 'an IPv6 transition address (NAT64, 6to4, IPv4-compatible)'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(policy.refusalFor(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(policy.refusalFor(address)).toBeNull();
    },
  );
});

describe('EgressPolicy allow-list', () => {
  it('opens allow-listed CIDR blocks and addresses, and nothing next to them', () => {
    const policy = new EgressPolicy({ allowCidrs: ['10.20.0.0/16', '127.0.0.1', '::1/128'] });
    expect(policy.refusalFor('10.20.3.4')).toBeNull();
    expect(policy.refusalFor('127.0.0.1')).toBeNull();
    expect(policy.refusalFor('::1')).toBeNull();
    expect(policy.refusalFor('10.21.0.1')).toBe('a private address');
    expect(policy.refusalFor('127.0.0.2')).toBe('a loopback address');
  });

  it('never opens cloud metadata addresses, even inside an allow-listed block or host', () => {
    const policy = new EgressPolicy({ allowCidrs: ['169.254.0.0/16'], allowHosts: ['*.internal'] });
    expect(policy.refusalFor('169.254.1.1')).toBeNull();
    expect(policy.refusalFor('169.254.169.254')).toBe('a cloud metadata address');
    expect(policy.refusalFor('169.254.169.254', 'meta.internal')).toBe('a cloud metadata address');
  });

  it('matches host patterns exactly or by subdomain, case-insensitively', () => {
    const policy = new EgressPolicy({ allowHosts: ['db.corp.example', '*.svc.cluster.local'] });
    expect(policy.isHostAllowed('DB.corp.example')).toBe(true);
    expect(policy.isHostAllowed('db.corp.example.')).toBe(true);
    expect(policy.isHostAllowed('x.db.corp.example')).toBe(false);
    expect(policy.isHostAllowed('api.ns.svc.cluster.local')).toBe(true);
    expect(policy.isHostAllowed('svc.cluster.local')).toBe(false);
    expect(policy.isHostAllowed('evilsvc.cluster.local')).toBe(false);
  });

  it('parses a mixed operator list and rejects malformed entries', () => {
    const policy = EgressPolicy.fromList(['10.0.0.0/8', 'db.internal', '[fd00::1]', ' ']);
    expect(policy.refusalFor('10.9.9.9')).toBeNull();
    expect(policy.refusalFor('fd00::1')).toBeNull();
    expect(policy.isHostAllowed('db.internal')).toBe(true);
    expect(() => new EgressPolicy({ allowCidrs: ['10.0.0.0/33'] })).toThrow(/prefix/);
    expect(() => new EgressPolicy({ allowHosts: ['http://x'] })).toThrow(/host name/);
  });
});

describe('EgressPolicy.resolve', () => {
  it('returns every address of a public name', async () => {
    const policy = new EgressPolicy({
      resolver: fixedDns({ 'api.example.com': ['93.184.215.14', '2606:2800::1'] }),
    });
    await expect(policy.resolve('api.example.com')).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800::1', family: 6 },
    ]);
  });

  it('refuses a name with any non-public address among its answers', async () => {
    const policy = new EgressPolicy({
      resolver: fixedDns({ 'mixed.example.com': ['93.184.215.14', '10.0.0.5'] }),
    });
    const error = await policy.resolve('mixed.example.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as EgressRefusedError).message).toBe(
      'Refused to connect to mixed.example.com: it resolves to 10.0.0.5, a private address.',
    );
  });

  it('refuses a name that resolves to loopback unless the host is allow-listed', async () => {
    const resolver = fixedDns({ 'sneaky.example.com': ['127.0.0.1'] });
    await expect(new EgressPolicy({ resolver }).resolve('sneaky.example.com')).rejects.toThrow(
      'it resolves to 127.0.0.1, a loopback address',
    );
    await expect(
      new EgressPolicy({ resolver, allowHosts: ['sneaky.example.com'] }).resolve('sneaky.example.com'),
    ).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('refuses metadata host names without asking DNS, and names that do not resolve', async () => {
    const policy = new EgressPolicy({ resolver: fixedDns({}) });
    await expect(policy.resolve('metadata.google.internal')).rejects.toThrow('a cloud metadata address');
    await expect(policy.resolve('nowhere.example')).rejects.toThrow('its name does not resolve (ENOTFOUND)');
  });

  it('checks IP literals directly, bracketed or not', async () => {
    const policy = new EgressPolicy({ resolver: fixedDns({}) });
    await expect(policy.resolve('[::1]')).rejects.toThrow(
      'Refused to connect to ::1: it is a loopback address.',
    );
    await expect(policy.resolve('8.8.8.8')).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });
});
