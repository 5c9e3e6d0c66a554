import { Controller, Delete, Get, HttpCode, Param, Req, Res } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { Request, Response } from 'express';
import { parseApiKey } from '../../auth/api-key.format.js';
import { ApiKeyService } from '../../auth/api-key.service.js';
import { DomainError } from '../../common/domain-error.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { OAuthServer } from '../oauth-server.service.js';
import { sessionServesTenant } from '../upstream/tenant-bound-session.js';
import { ConnectedAppsService, type ConnectedAppView } from './connected-apps.service.js';

/**
 * Connected apps: `/me/…` for the caller's own grants (the tenant-wide view is the admin API's `/grants`).
 * Callers authenticate with an API key carrying the `admin` scope, or with their sign-in session (the
 * authorization server's cookie; SameSite=Lax keeps other sites from using it for DELETE).
 */
@Controller('api/v1/tenants/:tenant')
export class ConnectedAppsController {
  constructor(
    private readonly apps: ConnectedAppsService,
    private readonly tenancy: TenancyService,
    private readonly apiKeys: ApiKeyService,
    private readonly memberships: MembershipRepository,
    private readonly server: OAuthServer,
  ) {}

  @Get('me/connected-apps')
  async mine(
    @Param('tenant') tenant: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { actor, scope } = await this.caller(tenant, req, res);
    return { items: await this.apps.list(actor, scope, false) } satisfies { items: ConnectedAppView[] };
  }

  @Delete('me/connected-apps/:grantId')
  @HttpCode(204)
  async revokeMine(
    @Param('tenant') tenant: string,
    @Param('grantId') grantId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { actor, scope } = await this.caller(tenant, req, res);
    await this.apps.revoke(actor, scope, grantId, false);
  }

  private async caller(
    tenantSlug: string,
    req: Request,
    res: Response,
  ): Promise<{ actor: Principal; scope: { tenantId: string } }> {
    const tenant = await this.tenancy.getTenant(tenantSlug).catch(() => null);
    const unauthenticated = new DomainError(
      'unauthenticated',
      'an API key with the admin scope or a sign-in session is required',
    );
    if (!tenant) throw unauthenticated;
    const scope = { tenantId: tenant.id };
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (m) {
      const key = m[1] as string;
      const principal = parseApiKey(key) ? await this.apiKeys.verify(key, tenant.id) : null;
      if (!principal) throw unauthenticated;
      if (!principal.scopes.includes('admin'))
        throw new DomainError('forbidden', 'this API key lacks the admin scope');
      return { actor: principal, scope };
    }
    const accountId = await this.sessionAccount(req, res, tenant.id);
    const membership = accountId ? await this.memberships.find(scope, accountId) : null;
    if (!accountId || !membership) throw unauthenticated;
    return {
      actor: {
        kind: 'user',
        id: accountId,
        tenantId: tenant.id,
        userId: accountId,
        role: membership.role,
        scopes: ['admin'],
      },
      scope,
    };
  }

  private async sessionAccount(req: Request, res: Response, tenantId: string): Promise<string | null> {
    const { provider } = this.server;
    const ctx = provider.createContext(req, res);
    const sid = ctx.cookies.get(provider.cookieName('session'), { signed: true });
    if (!sid) return null;
    const session = await provider.Session.find(sid);
    // A session opened by one tenant's identity provider does not act in another tenant.
    if (!session || !sessionServesTenant(session, tenantId)) return null;
    return typeof session.accountId === 'string' ? session.accountId : null;
  }
}
