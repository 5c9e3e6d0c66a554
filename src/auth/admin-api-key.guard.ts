import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { Request, Response } from 'express';

import { ApiKeyService } from './api-key.service.js';
import { DomainError, NotFoundError } from '../common/domain-error.js';
import { RbacService } from '../rbac/rbac.service.js';
import { TenancyService } from '../tenancy/tenancy.service.js';

/** The principal an admin request was authenticated as, set by {@link AdminApiKeyGuard}. */
export type AdminRequest = Request & { adminPrincipal?: Principal };

/**
 * Shared by every tenant-admin REST route (audit, rate-limit policy, …).
 * Tenant administration over REST: a Bearer API key of the tenant named in the path, carrying the `admin`
 * scope, held by a member whose role allows administration. An unknown tenant gets the same 401 as a bad
 * key, so the API does not reveal which tenants exist.
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly tenancy: TenancyService,
    private readonly rbac: RbacService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const unauthenticated = (): DomainError => {
      res.setHeader('WWW-Authenticate', 'Bearer realm="switchboard"');
      return new DomainError('unauthenticated', 'a valid API key with the admin scope is required');
    };
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(req.headers.authorization ?? '');
    const slug = req.params['tenant'];
    if (!m || typeof slug !== 'string') throw unauthenticated();
    const tenant = await this.tenancy.getTenant(slug).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    const principal = tenant ? await this.apiKeys.verify(m[1]!, tenant.id) : null;
    if (!principal) throw unauthenticated();
    if (!principal.scopes.includes('admin') || !this.rbac.roleAllows(principal.role, 'admin')) {
      throw new DomainError(
        'forbidden',
        'this API key lacks the admin scope or its holder is not a tenant admin',
      );
    }
    req.adminPrincipal = principal;
    return true;
  }
}
