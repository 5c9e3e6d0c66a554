import { Injectable } from '@nestjs/common';

export interface EndpointChange {
  readonly tenantId: string;
  readonly tenantSlug: string;
  /** null: every endpoint of the tenant changed (a connection used by several endpoints, a suspension). */
  readonly endpointSlug: string | null;
}

type Listener = (change: EndpointChange) => void;

/**
 * In-process fan-out of "this endpoint's surface changed". The tenancy cache and the MCP host listen;
 * a Redis bridge can republish it to other nodes.
 */
@Injectable()
export class EndpointEvents {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: EndpointChange): void {
    for (const l of this.listeners) l(change);
  }
}
