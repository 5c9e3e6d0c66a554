import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Outbound fetches of the authorization server (Client ID Metadata Documents): refuse any host that is
 * or resolves to a non-public address, and cap the time. oidc-provider adds its own checks on top (the
 * connected socket's address, so DNS rebinding between our lookup and its connect fails too; 5 KB body;
 * no redirects; the document's client_id must equal its URL).
 */

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, metadata, documentation, multicast and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return BLOCKED.check(mapped[1] as string, 'ipv4');
    if (lower.startsWith('::ffff:')) return true;
    return BLOCKED.check(lower, 'ipv6');
  }
  return true;
}

export type Resolver = (hostname: string) => Promise<readonly string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Why a URL may not be fetched, or null when it may. Every address the name resolves to must be public. */
export async function refuseFetch(url: string, resolve: Resolver = systemResolver): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:') return 'only https URLs are fetched';
  if (parsed.username || parsed.password) return 'credentials in URL';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return 'host is not public';
  }
  let addresses: readonly string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      return 'host does not resolve';
    }
  }
  if (addresses.length === 0) return 'host does not resolve';
  return addresses.some(isNonPublicAddress) ? 'host resolves to a non-public address' : null;
}

export interface GuardedFetchOptions {
  readonly timeoutMs: number;
  /** Tests only: https origin → loopback http origin serving the same paths. */
  readonly reroute?: Readonly<Record<string, string>>;
}

type FetchInit = RequestInit & { dispatcher?: unknown };

/** The provider's `fetch` hook: a time cap on top of the provider's, and the test-only reroute. */
export function guardedFetch(opts: GuardedFetchOptions) {
  return async (url: URL | string, init: FetchInit): Promise<Response> => {
    const target = new URL(String(url));
    const signal = AbortSignal.any(
      [init.signal, AbortSignal.timeout(opts.timeoutMs)].filter(
        (s): s is AbortSignal => s instanceof AbortSignal,
      ),
    );
    const rerouted = opts.reroute?.[target.origin];
    if (rerouted !== undefined) {
      // The reroute points at loopback on purpose; the provider's socket guard would refuse it.
      const { dispatcher: _dispatcher, ...rest } = init;
      return fetch(`${rerouted}${target.pathname}${target.search}`, { ...rest, signal });
    }
    return fetch(target, { ...init, signal } as RequestInit);
  };
}
