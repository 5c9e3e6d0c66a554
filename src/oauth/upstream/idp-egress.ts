import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { isNonPublicAddress } from '../cimd-fetch.js';

/**
 * Outbound requests to tenants' identity providers (discovery, JWKS, token, userinfo). The issuer URL is
 * tenant-supplied, so every request is checked like the CIMD fetches: only public addresses, unless the
 * operator allow-listed a host or network (SWITCHBOARD_IDP_ALLOWED_HOSTS); cloud metadata addresses never.
 * The name is resolved inside the socket's own `lookup` and the socket connects to an address that was
 * checked, so DNS rebinding between a check and the connection does not get through.
 */

export type AddressResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: AddressResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Instance-metadata services hand out the platform's own cloud credentials: no allow-list opens them. */
const METADATA = new BlockList();
for (const a of ['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200', '192.0.0.192']) {
  METADATA.addAddress(a, 'ipv4');
}
for (const a of ['fd00:ec2::254', 'fd00:ec2::23']) METADATA.addAddress(a, 'ipv6');
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Largest response body read from an identity provider (discovery documents and JWKS are a few KB). */
const MAX_RESPONSE_BYTES = 256 * 1024;

export class IdpEgressRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'IdpEgressRefusedError';
  }
}

export interface IdpEgressOptions {
  /** Host names, `*.domain` patterns, addresses or CIDR blocks that may be non-public. */
  readonly allow: readonly string[];
  /** Tests only: loopback identity providers over plain http. */
  readonly loopbackForTests?: boolean;
  readonly resolver?: AddressResolver;
  readonly connectTimeoutMs?: number;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function bare(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const f = isIP(address);
  return f === 4 ? 'ipv4' : f === 6 ? 'ipv6' : null;
}

/** `::ffff:10.0.0.1` (or `::ffff:a00:1`, as URL writes it) is 10.0.0.1 as far as where the packets go. */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1] as string;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const [hi, lo] = [parseInt(hex[1] as string, 16), parseInt(hex[2] as string, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export class IdpEgress {
  private readonly allowExact = new Set<string>();
  private readonly allowSuffixes: string[] = [];
  private readonly allowNets = new BlockList();
  private readonly resolver: AddressResolver;
  private readonly loopback: boolean;
  private readonly agent: Agent;

  constructor(options: IdpEgressOptions) {
    this.resolver = options.resolver ?? systemResolver;
    this.loopback = options.loopbackForTests === true;
    for (const raw of options.allow) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      const [net, prefix, ...rest] = entry.split('/');
      const family = familyOf(bare(net ?? ''));
      if (family) {
        const max = family === 'ipv4' ? 32 : 128;
        const bits = prefix === undefined ? max : Number(prefix);
        if (rest.length > 0 || !Number.isInteger(bits) || bits < 0 || bits > max) {
          throw new Error(`SWITCHBOARD_IDP_ALLOWED_HOSTS: "${raw}" is not an address or CIDR block`);
        }
        this.allowNets.addSubnet(bare(net as string), bits, family);
      } else if (/^(\*\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/.test(entry)) {
        if (entry.startsWith('*.')) this.allowSuffixes.push(entry.slice(1));
        else this.allowExact.add(entry.replace(/\.$/, ''));
      } else {
        throw new Error(
          `SWITCHBOARD_IDP_ALLOWED_HOSTS: "${raw}" is not a host name, *.domain, address or CIDR`,
        );
      }
    }
    this.agent = new Agent({
      connect: {
        timeout: options.connectTimeoutMs ?? 5_000,
        lookup: (hostname: string, opts: LookupOptions, callback: LookupCallback) => {
          this.resolveChecked(hostname).then(
            (addresses) => {
              const wanted = opts.family === 4 || opts.family === 6 ? opts.family : 0;
              const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
              const first = usable[0];
              if (!first) {
                callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
              } else if (opts.all) {
                callback(null, [...usable]);
              } else {
                callback(null, first.address, first.family);
              }
            },
            (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
          );
        },
      },
      // A pooled socket keeps the address it was checked with; do not keep idle ones long.
      keepAliveTimeout: 4_000,
    });
  }

  /**
   * Why this URL may not be used for an identity provider (without resolving its name), or null. Checks
   * the scheme (https; plain http only for loopback in tests), credentials, and literal addresses.
   */
  refusalFor(url: string): string | null {
    const parsed = URL.parse(url);
    if (!parsed) return 'it is not a URL';
    const host = bare(parsed.hostname);
    if (parsed.username || parsed.password) return 'it contains credentials';
    const loopbackHost = host === 'localhost' || (familyOf(host) !== null && this.isLoopback(host));
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && this.loopback && loopbackHost)) {
      return 'only https identity providers are supported';
    }
    if (familyOf(host)) return this.addressRefusal(host, host);
    if (METADATA_HOSTS.has(host) || host.endsWith('.metadata.google.internal'))
      return 'a cloud metadata host';
    if (this.isHostAllowed(host) || (this.loopback && host === 'localhost')) return null;
    if (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host.endsWith('.local') ||
      host.endsWith('.internal') ||
      !host.includes('.')
    ) {
      return 'its host is not a public name';
    }
    return null;
  }

  /** {@link refusalFor}, then every address the name resolves to. */
  async refusalAfterLookup(url: string): Promise<string | null> {
    const reason = this.refusalFor(url);
    if (reason !== null) return reason;
    try {
      await this.resolveChecked(new URL(url).hostname);
      return null;
    } catch (e) {
      return e instanceof IdpEgressRefusedError ? e.reason : 'its name does not resolve';
    }
  }

  /**
   * A fetch for openid-client (`customFetch`): checked destination, connect-time address check, no
   * redirects (openid-client asks for `manual`), bodies capped.
   */
  readonly fetch = async (
    url: string,
    init: {
      body?: unknown;
      headers: Record<string, string>;
      method: string;
      redirect: 'manual';
      signal?: AbortSignal;
    },
  ): Promise<Response> => {
    const reason = this.refusalFor(url);
    if (reason !== null) throw new IdpEgressRefusedError(`${new URL(url).host}: ${reason}`);
    let response: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      // undici's own fetch with its own Agent: the lookup's refusal reaches us as the error's cause.
      response = await undiciFetch(url, { ...init, dispatcher: this.agent } as Parameters<
        typeof undiciFetch
      >[1]);
    } catch (e) {
      const refused = findRefusal(e);
      if (refused) throw refused;
      throw e;
    }
    return capped(response, MAX_RESPONSE_BYTES);
  };

  async close(): Promise<void> {
    await this.agent.close();
  }

  private isHostAllowed(host: string): boolean {
    return (
      this.allowExact.has(host) || this.allowSuffixes.some((s) => host.endsWith(s) && host.length > s.length)
    );
  }

  private isLoopback(address: string): boolean {
    const a = unmapped(address);
    const family = familyOf(a);
    return family !== null && LOOPBACK.check(a, family);
  }

  /** Why an address may not be reached (`hostname` is the name it came from), or null. */
  private addressRefusal(address: string, hostname: string): string | null {
    const a = unmapped(bare(address));
    const family = familyOf(a);
    if (!family) return 'not an IP address';
    if (METADATA.check(a, family)) return `${a} is a cloud metadata address`;
    if (!isNonPublicAddress(a)) return null;
    if (this.loopback && LOOPBACK.check(a, family)) return null;
    if (this.isHostAllowed(bare(hostname)) || this.allowNets.check(a, family)) return null;
    return `${a} is not a public address (allow it with SWITCHBOARD_IDP_ALLOWED_HOSTS)`;
  }

  private async resolveChecked(hostname: string): Promise<readonly LookupAddress[]> {
    const host = bare(hostname);
    if (familyOf(host)) {
      const reason = this.addressRefusal(host, host);
      if (reason) throw new IdpEgressRefusedError(`${host}: ${reason}`);
      return [{ address: host, family: isIP(host) }];
    }
    let addresses: readonly LookupAddress[];
    try {
      addresses = await this.resolver(host);
    } catch {
      throw new IdpEgressRefusedError(`${host}: its name does not resolve`);
    }
    if (addresses.length === 0) throw new IdpEgressRefusedError(`${host}: its name does not resolve`);
    // A name that answers both public and private addresses is not trusted with either.
    for (const a of addresses) {
      const reason = this.addressRefusal(a.address, host);
      if (reason) throw new IdpEgressRefusedError(`${host}: ${reason}`);
    }
    return addresses;
  }
}

function findRefusal(error: unknown): IdpEgressRefusedError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof IdpEgressRefusedError) return e;
  }
  return null;
}

/** Reads at most `max` bytes of the body; a larger answer is an error, not a truncated document. */
async function capped(response: Awaited<ReturnType<typeof undiciFetch>>, max: number): Promise<Response> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw new Error(`the identity provider's response is larger than ${max} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw new Error(`the identity provider's response is larger than ${max} bytes`);
      }
      chunks.push(value);
    }
  }
  const empty = response.status === 204 || response.status === 304 || size === 0;
  // The body is already decoded and now complete: its encoding and length headers no longer describe it.
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    if (name !== 'content-encoding' && name !== 'content-length') headers.append(name, value);
  });
  return new Response(empty ? null : Buffer.concat(chunks, size), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
