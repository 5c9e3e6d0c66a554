import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { UpstreamClients } from '@switchboard/upstream-mcp';
import { McpHostService } from '../mcp/index.js';
import { EndpointEvents, type EndpointChange } from '../tenancy/endpoint-events.js';
import { TenancyService } from '../tenancy/tenancy.service.js';

/**
 * Pushes a tenant's changes to the endpoints this process is serving, so open sessions get list_changed
 * without waiting for their next request.
 */
@Injectable()
export class SurfaceSyncService implements OnModuleInit {
  private readonly logger = new Logger(SurfaceSyncService.name);

  constructor(
    private readonly events: EndpointEvents,
    private readonly tenancy: TenancyService,
    private readonly host: McpHostService,
    private readonly upstreams: UpstreamClients,
  ) {}

  onModuleInit(): void {
    this.events.on((change) => void this.push(change));
    // An upstream MCP server changed its lists: rebuild (re-list) every served endpoint that exposes it.
    this.upstreams.onListChanged((connectionId) => void this.refreshConnection(connectionId));
  }

  private async refreshConnection(connectionId: string): Promise<void> {
    for (const d of this.host.servedEndpoints()) {
      if (!d.connections.some((c) => c.connectionId === connectionId)) continue;
      await this.host.invalidate(d.endpoint.id).catch((e: unknown) =>
        this.logger.error({
          msg: 'could not refresh endpoint after an upstream change',
          endpointId: d.endpoint.id,
          err: (e as Error).message,
        }),
      );
    }
  }

  private async push(change: EndpointChange): Promise<void> {
    const affected = this.host
      .servedEndpoints()
      .filter(
        (d) =>
          d.tenant.id === change.tenantId &&
          (change.endpointSlug === null || d.endpoint.slug === change.endpointSlug),
      );
    for (const current of affected) {
      try {
        const next = await this.tenancy.resolveEndpoint(current.tenant.slug, current.endpoint.slug);
        // Gone or suspended: rebuild with nothing exposed so open sessions see empty lists until they end.
        await this.host.invalidate(
          current.endpoint.id,
          next ?? { ...current, connections: [], generation: current.generation + 1 },
        );
      } catch (e) {
        this.logger.error({
          msg: 'could not refresh endpoint after a change',
          endpointId: current.endpoint.id,
          err: (e as Error).message,
        });
      }
    }
  }
}
