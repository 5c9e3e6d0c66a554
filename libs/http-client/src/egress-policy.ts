import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import { EgressRefusedError } from './http-client.errors.js';

/** One address a name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has. Injected in tests to simulate DNS answers. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface EgressPolicyOptions {
  /**
   * Host names that may resolve to non-public addresses: exact names (`db.corp.example`) or a leading
   * wildcard for subdomains (`*.corp.example`). Compared case-insensitively, without a port.
   */
  readonly allowHosts?: readonly string[];
  /** Addresses or CIDR blocks that may be reached although non-public (`10.20.0.0/16`, `127.0.0.1`, `::1`). */
  readonly allowCidrs?: readonly string[];
  readonly resolver?: Resolver;
}

interface Category {
  readonly reason: string;
  readonly list: BlockList;
}

function category(
  reason: string,
  v4: readonly [string, number][],
  v6: readonly [string, number][],
): Category {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return { reason, list };
}

/**
 * Cloud instance-metadata services hand out the platform's own credentials: no allow-list entry opens them.
 * (AWS/GCP/Azure/OpenStack 169.254.169.254, ECS task metadata, EKS pod identity, AWS IPv6, Alibaba, Oracle.)
 */
const METADATA = category(
  'a cloud metadata address',
  [
    ['169.254.169.254', 32],
    ['169.254.170.2', 32],
    ['169.254.170.23', 32],
    ['100.100.100.200', 32],
    ['192.0.0.192', 32],
  ],
  [
    ['fd00:ec2::254', 128],
    ['fd00:ec2::23', 128],
  ],
);

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);

/** Non-public ranges, most specific reason first. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is checked as IPv4. */
const NON_PUBLIC: readonly Category[] = [
  category('a loopback address', [['127.0.0.0', 8]], [['::1', 128]]),
  category('an unspecified address', [['0.0.0.0', 8]], [['::', 128]]),
  category(
    'a private address',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
    [],
  ),
  category('a link-local address', [['169.254.0.0', 16]], [['fe80::', 10]]),
  category('a carrier-grade NAT (shared) address', [['100.64.0.0', 10]], []),
  category('a unique local (private IPv6) address', [], [['fc00::', 7]]),
  category('a multicast address', [['224.0.0.0', 4]], [['ff00::', 8]]),
  category(
    'a reserved, documentation or benchmarking address',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4],
    ],
    [
      ['100::', 64],
      ['2001::', 23],
      ['2001:db8::', 32],
      ['fec0::', 10],
      ['3fff::', 20],
    ],
  ),
  // These embed an IPv4 address that a gateway would reach on the caller's behalf; refusing them whole
  // is simpler than decoding each format, and an operator can still allow-list a block.
  category(
    'an IPv6 transition address (NAT64, 6to4, IPv4-compatible)',
    [],
    [
      ['64:ff9b::', 96],
      ['64:ff9b:1::', 48],
      ['2002::', 16],
      ['::', 96],
    ],
  ),
];

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Drops an IPv6 zone (`fe80::1%eth0`): the address decides, not the interface. */
function withoutZone(address: string): string {
  const at = address.indexOf('%');
  return at === -1 ? address : address.slice(0, at);
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : null;
}

function parseCidr(entry: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [rawNet, rawPrefix, ...rest] = entry.trim().split('/');
  const net = withoutZone(stripBrackets(rawNet ?? ''));
  const family = familyOf(net);
  if (!family || rest.length > 0) throw new Error(`"${entry}" is not an IP address or CIDR block`);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`"${entry}" has an invalid prefix length (0–${max})`);
  }
  return { net, prefix, family };
}

function normaliseHostPattern(entry: string): string {
  const value = entry.trim().toLowerCase().replace(/\.$/, '');
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(bare)) {
    throw new Error(`"${entry}" is not a host name or "*.domain" pattern`);
  }
  return value;
}

/**
 * Decides which network addresses outbound connections may reach. By default only public unicast
 * addresses; an operator opens internal hosts or blocks explicitly. Integrations that open their own
 * sockets (database drivers) use {@link EgressPolicy.resolve} and connect to the address it returns, so
 * the checked address is the one used.
 */
export class EgressPolicy {
  readonly resolver: Resolver;
  private readonly allowExact = new Set<string>();
  private readonly allowSuffixes: string[] = [];
  private readonly allowList = new BlockList();
  private readonly hasAllowedCidrs: boolean;

  constructor(options: EgressPolicyOptions = {}) {
    this.resolver = options.resolver ?? systemResolver;
    for (const entry of options.allowHosts ?? []) {
      const pattern = normaliseHostPattern(entry);
      if (pattern.startsWith('*.')) this.allowSuffixes.push(pattern.slice(1));
      else this.allowExact.add(pattern);
    }
    for (const entry of options.allowCidrs ?? []) {
      const { net, prefix, family } = parseCidr(entry);
      this.allowList.addSubnet(net, prefix, family);
    }
    this.hasAllowedCidrs = (options.allowCidrs ?? []).length > 0;
  }

  /**
   * Builds a policy from one mixed list, as an operator writes it in configuration: each entry is an
   * address, a CIDR block, a host name or `*.domain`.
   */
  static fromList(entries: readonly string[], resolver?: Resolver): EgressPolicy {
    const allowHosts: string[] = [];
    const allowCidrs: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      const head = withoutZone(stripBrackets(entry.split('/')[0] ?? ''));
      if (familyOf(head)) allowCidrs.push(entry);
      else allowHosts.push(entry);
    }
    return new EgressPolicy({ allowHosts, allowCidrs, ...(resolver && { resolver }) });
  }

  /** Whether the operator opened this host name (any address it resolves to, except metadata). */
  isHostAllowed(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    if (this.allowExact.has(host)) return true;
    return this.allowSuffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  }

  /**
   * Why this address may not be reached (a phrase such as "a private address"), or null when it may.
   * `hostname` is the name it came from, for the host allow-list.
   */
  refusalFor(address: string, hostname?: string): string | null {
    const ip = withoutZone(stripBrackets(address));
    const family = familyOf(ip);
    if (!family) return 'not an IP address';
    if (METADATA.list.check(ip, family)) return METADATA.reason;
    if (hostname !== undefined && this.isHostAllowed(hostname)) return null;
    if (this.hasAllowedCidrs && this.allowList.check(ip, family)) return null;
    for (const c of NON_PUBLIC) if (c.list.check(ip, family)) return c.reason;
    return null;
  }

  /**
   * Resolves `hostname` once and checks every address it resolves to; throws {@link EgressRefusedError}
   * when any is refused (a name that answers both a public and a private address is not trusted), and
   * returns the addresses otherwise. IP literals are checked as they are.
   */
  async resolve(hostname: string): Promise<readonly ResolvedAddress[]> {
    const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
    const literal = familyOf(withoutZone(host));
    if (literal) {
      this.assertAllowed(host, host);
      return [{ address: withoutZone(host), family: literal === 'ipv4' ? 4 : 6 }];
    }
    if (METADATA_HOSTS.has(host) || host.endsWith('.metadata.google.internal')) {
      throw new EgressRefusedError(hostname, null, METADATA.reason);
    }
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await this.resolver(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new EgressRefusedError(
        hostname,
        null,
        `its name does not resolve${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
    if (addresses.length === 0) throw new EgressRefusedError(hostname, null, 'its name does not resolve');
    for (const a of addresses) this.assertAllowed(a.address, host);
    return addresses;
  }

  private assertAllowed(address: string, hostname: string): void {
    const reason = this.refusalFor(address, hostname);
    if (reason !== null) throw new EgressRefusedError(hostname, withoutZone(address), reason);
  }
}
