import { Injectable } from '@nestjs/common';
import type { EndpointDescriptor } from '../mcp/mcp.types.js';

interface Entry {
  readonly value: Promise<EndpointDescriptor | null>;
  readonly expiresAt: number;
}

/** How long a resolved endpoint is trusted without an invalidation (bounds staleness between nodes). */
const HIT_TTL_MS = 30_000;
/** Misses expire fast so a newly created tenant is reachable quickly even on a node that missed the event. */
const MISS_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolution cache for MCP URLs. Concurrent lookups of one key share one database round trip; entries are
 * evicted on change events, on expiry, and oldest-first past MAX_ENTRIES.
 */
@Injectable()
export class EndpointCache {
  private readonly entries = new Map<string, Entry>();

  async get(
    tenantSlug: string,
    endpointSlug: string,
    load: () => Promise<EndpointDescriptor | null>,
  ): Promise<EndpointDescriptor | null> {
    const key = `${tenantSlug}/${endpointSlug}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = load();
    const entry: Entry = { value, expiresAt: now + HIT_TTL_MS };
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    // Only the entry this call made is shortened or dropped: an invalidation (or a newer load) that
    // replaced it in the meantime must not be undone by a load that started before the change.
    const stillOurs = (): boolean => this.entries.get(key) === entry;
    try {
      const resolved = await value;
      if (resolved === null && stillOurs()) this.entries.set(key, { value, expiresAt: now + MISS_TTL_MS });
      return resolved;
    } catch (e) {
      if (stillOurs()) this.entries.delete(key);
      throw e;
    }
  }

  /** Drops one endpoint, or every endpoint of a tenant when endpointSlug is null. */
  evictTenant(tenantSlug: string, endpointSlug: string | null): void {
    if (endpointSlug !== null) {
      this.entries.delete(`${tenantSlug}/${endpointSlug}`);
      return;
    }
    const prefix = `${tenantSlug}/`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
