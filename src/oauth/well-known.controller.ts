import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { OAuthServer } from './oauth-server.service.js';
import { MCP_SCOPES, OAUTH_MOUNT, resourceUrlFor } from './oauth-urls.js';

const PRM = '.well-known/oauth-protected-resource';

/**
 * Discovery documents at the well-known paths the specs derive from URLs with a path:
 * RFC 9728 §3.1 for every MCP endpoint, RFC 8414 §3.1 (and the OpenID variant clients also try) for
 * our issuer `${PUBLIC_URL}/oauth`. Public, cacheable, readable cross-origin.
 */
@Controller()
export class WellKnownController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
    private readonly server: OAuthServer,
  ) {}

  @Get([`${PRM}/t/:tenant/mcp`, `${PRM}/t/:tenant/e/:endpoint/mcp`])
  async protectedResource(
    @Param('tenant') tenant: string,
    @Param('endpoint') endpoint: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
    const d = await this.tenancy.resolveEndpoint(tenant, endpoint ?? null);
    if (!d) {
      res.status(404).json({ error: { code: 'not_found', message: 'No MCP endpoint at this URL' } });
      return;
    }
    res.json({
      resource: resourceUrlFor(this.config.publicUrl, d.path),
      authorization_servers: [this.server.issuer],
      scopes_supported: [...MCP_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: `${d.tenant.name}: ${d.endpoint.name}`,
    });
  }

  @Get(['.well-known/oauth-authorization-server/oauth', '.well-known/openid-configuration/oauth'])
  authorizationServer(@Req() req: Request, @Res() res: Response): void {
    const document = req.path.startsWith('/.well-known/oauth-authorization-server')
      ? 'oauth-authorization-server'
      : 'openid-configuration';
    // Hand over to the provider as if the request had come to its own mount (it builds URLs from both).
    req.url = `/.well-known/${document}`;
    req.originalUrl = `${OAUTH_MOUNT}/.well-known/${document}`;
    this.server.middleware()(req, res);
  }
}
