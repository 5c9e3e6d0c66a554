import { Injectable } from '@nestjs/common';

import { InvalidationBus } from '../redis/invalidation-bus.js';

export interface EndpointChange {
  readonly tenantId: string;
  readonly tenantSlug: string;
  /** null: every endpoint of the tenant changed (a connection used by several endpoints, a suspension). */
  readonly endpointSlug: string | null;
}

type Listener = (change: EndpointChange) => void;

/** Bus topic of endpoint changes (other modules may publish an `EndpointChange` on it too). */
export const ENDPOINT_CHANGED = 'tenancy.endpoint-changed';

function isChange(v: unknown): v is EndpointChange {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<EndpointChange>;
  return (
    typeof c.tenantId === 'string' &&
    typeof c.tenantSlug === 'string' &&
    (c.endpointSlug === null || typeof c.endpointSlug === 'string')
  );
}

/**
 * "This endpoint's surface changed", on every node: the tenancy cache and the MCP host listen. Emitted
 * on the node (or CLI) that made the change and carried to the others by the `InvalidationBus`.
 */
@Injectable()
export class EndpointEvents {
  constructor(private readonly bus: InvalidationBus) {}

  on(listener: Listener): () => void {
    return this.bus.on<unknown>(ENDPOINT_CHANGED, (change) => {
      if (isChange(change)) listener(change);
    });
  }

  /** Runs when this node may have missed changes (see `InvalidationBus.onResync`). */
  onResync(listener: () => void): () => void {
    return this.bus.onResync(listener);
  }

  emit(change: EndpointChange): void {
    void this.bus.publish<EndpointChange>(ENDPOINT_CHANGED, {
      tenantId: change.tenantId,
      tenantSlug: change.tenantSlug,
      endpointSlug: change.endpointSlug,
    });
  }
}
