import { Injectable } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { EndpointDescriptor } from '../mcp/mcp.types.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { ApiKeyService } from './api-key.service.js';

const ANONYMOUS_SCOPES = ['mcp:read'] as const;

/**
 * What the MCP route asks before serving: which endpoint a URL names, and who the caller is there.
 * A credential is checked against the URL's tenant only; a key of another tenant is simply invalid.
 */
@Injectable()
export class McpGateService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  resolveEndpoint(tenant: string, endpoint: string | null): Promise<EndpointDescriptor | null> {
    return this.tenancy.resolveEndpoint(tenant, endpoint);
  }

  async authenticate(
    authorization: string | undefined,
    endpoint: EndpointDescriptor,
  ): Promise<Principal | null> {
    if (authorization === undefined || authorization === '') {
      return endpoint.endpoint.public ? anonymous(endpoint) : null;
    }
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (!m) return null;
    return this.apiKeys.verify(m[1] as string, endpoint.tenant.id);
  }

  challenge(_endpoint: EndpointDescriptor): string {
    return 'Bearer realm="switchboard"';
  }
}

function anonymous(endpoint: EndpointDescriptor): Principal {
  return {
    kind: 'anonymous',
    id: `anonymous:${endpoint.endpoint.id}`,
    tenantId: endpoint.tenant.id,
    userId: null,
    role: 'viewer',
    scopes: ANONYMOUS_SCOPES,
  };
}
