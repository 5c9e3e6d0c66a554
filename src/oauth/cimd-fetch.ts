import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { EgressPolicy } from '@switchboard/http-client';

/**
 * Outbound fetches of the authorization server (Client ID Metadata Documents): refuse any host that is
 * or resolves to a non-public address, and cap the time. oidc-provider adds its own checks on top (the
 * connected socket's address, so DNS rebinding between our lookup and its connect fails too; 5 KB body;
 * no redirects; the document's client_id must equal its URL).
 */

/** Public unicast addresses only: the platform's one classification of addresses, with no exceptions. */
const PUBLIC_ONLY = new EgressPolicy();

/** True for loopback, private, link-local, metadata, documentation, multicast and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const lower = address.toLowerCase();
  // An IPv6 form of an IPv4 address other than the plain mapped one hides which address it is.
  if (lower.startsWith('::ffff:') && !/^::ffff:\d+\.\d+\.\d+\.\d+$/.test(lower)) return true;
  return PUBLIC_ONLY.refusalFor(lower) !== null;
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
