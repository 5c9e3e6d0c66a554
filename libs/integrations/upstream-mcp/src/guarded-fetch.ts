import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

import type { FetchLike } from '@modelcontextprotocol/client';
import { EgressPolicy } from '@switchboard/http-client';
import { Agent, fetch as undiciFetch } from 'undici';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export interface GuardedFetch {
  readonly fetch: FetchLike;
  close(): Promise<void>;
}

/**
 * A `fetch` for the MCP client transport that obeys the egress policy the same way `GuardedHttpClient` does:
 * the host name is resolved once inside the socket's own `lookup` through `EgressPolicy.resolve`, every
 * address is checked, and the socket connects to a checked one (DNS-rebinding safe); IP literals are checked
 * before connecting. `GuardedHttpClient.request` itself cannot be used here: it buffers whole bodies, and
 * Streamable HTTP needs long-lived SSE response streams (the GET stream and `subscriptions/listen`).
 * Redirects are never followed by fetch: the transport's `same-origin` redirect policy follows them itself,
 * through this fetch again, so every hop is checked.
 */
export function createGuardedFetch(policy: EgressPolicy, connectTimeoutMs = 10_000): GuardedFetch {
  const agent = new Agent({
    connect: {
      timeout: connectTimeoutMs,
      lookup: (hostname: string, options: LookupOptions, callback: LookupCallback) => {
        policy.resolve(hostname).then(
          (addresses) => {
            const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
            const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
            const first = usable[0];
            if (!first) {
              callback(
                Object.assign(new Error(`no IPv${wanted} address for ${hostname}`), { code: 'ENOTFOUND' }),
                '',
              );
            } else if (options.all) {
              callback(
                null,
                usable.map((a) => ({ address: a.address, family: a.family })),
              );
            } else {
              callback(null, first.address, first.family);
            }
          },
          (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
        );
      },
    },
    keepAliveTimeout: 4_000,
  });

  const guarded: FetchLike = async (input, init) => {
    const url = new URL(input instanceof URL ? input.href : String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`Only http and https URLs are allowed, not ${url.protocol}`);
    }
    // A socket given an IP address never calls `lookup`, so literal addresses are checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) await policy.resolve(host);
    const redirect = init?.redirect === 'error' ? 'error' : 'manual';
    const response = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      redirect,
      dispatcher: agent,
    });
    // undici's Response is the WHATWG Response the SDK expects; only the declared types differ.
    return response as unknown as Response;
  };

  return { fetch: guarded, close: () => agent.close() };
}
