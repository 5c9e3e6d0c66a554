import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import type { EndpointDescriptor } from '../mcp/mcp.types.js';
import { DEFAULT_MCP_SCOPE, protectedResourceMetadataUrlFor, resourceUrlFor } from '../oauth/oauth-urls.js';
import { RbacService } from '../rbac/rbac.service.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { parseApiKey } from './api-key.format.js';
import { ApiKeyService } from './api-key.service.js';
import { OAuthPrincipalService } from './oauth-principal.service.js';

const ANONYMOUS_SCOPES = ['mcp:read'] as const;

/**
 * What the MCP route asks before serving: which endpoint a URL names, and who the caller is there.
 * A credential is checked against the URL's endpoint only: an API key of another tenant, or an access
 * token whose audience is another endpoint's URL, is simply invalid here.
 */
@Injectable()
export class McpGateService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
    private readonly apiKeys: ApiKeyService,
    private readonly tokens: AccessTokenVerifier,
    private readonly oauthPrincipals: OAuthPrincipalService,
    private readonly rbac: RbacService,
  ) {}

  resolveEndpoint(tenant: string, endpoint: string | null): Promise<EndpointDescriptor | null> {
    return this.tenancy.resolveEndpoint(tenant, endpoint);
  }

  isSuspended(tenant: string): boolean {
    return this.tenancy.isSuspended(tenant);
  }

  async authenticate(
    authorization: string | undefined,
    endpoint: EndpointDescriptor,
  ): Promise<Principal | null> {
    const principal = await this.principalFor(authorization, endpoint);
    // Access rules are read here, asynchronously and cached, so the host's checks stay synchronous.
    if (principal) await this.rbac.prepare(endpoint.tenant.id);
    return principal;
  }

  /**
   * RFC 6750 §3 / RFC 9728 §5.1: where to find the protected-resource metadata and which scope to ask
   * for; `invalid_token` when a credential was presented and refused.
   */
  challenge(endpoint: EndpointDescriptor, authorization?: string): string {
    const parts = [
      `resource_metadata="${protectedResourceMetadataUrlFor(this.config.publicUrl, endpoint.path)}"`,
      `scope="${DEFAULT_MCP_SCOPE}"`,
    ];
    if (authorization !== undefined && authorization !== '') {
      parts.unshift('error="invalid_token"');
      parts.push('error_description="The access token is invalid, expired, revoked or for another resource"');
    }
    return `Bearer ${parts.join(', ')}`;
  }

  private async principalFor(
    authorization: string | undefined,
    endpoint: EndpointDescriptor,
  ): Promise<Principal | null> {
    if (authorization === undefined || authorization === '') {
      return endpoint.endpoint.public ? anonymous(endpoint) : null;
    }
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (!m) return null;
    const credential = m[1] as string;
    if (parseApiKey(credential)) return this.apiKeys.verify(credential, endpoint.tenant.id);
    if (!AccessTokenVerifier.looksLikeJwt(credential)) return null;
    const audience = resourceUrlFor(this.config.publicUrl, endpoint.path);
    const token = await this.tokens.verify(credential, audience);
    if (!token) return null;
    return this.oauthPrincipals.principalFor(token, endpoint.tenant.id);
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
