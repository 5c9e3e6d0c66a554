import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@switchboard/integration-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiKeyService } from '../../auth/api-key.service.js';
import { DomainError, InvalidArgumentError, NotFoundError } from '../../common/domain-error.js';
import { slugSchema } from '../../common/slug.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { Tenant } from '../../generated/prisma/client.js';
import { ADMIN_SCOPE, isAdminAction, type PlatformAction } from '../../rbac/admin-permissions.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { AdminSessionService, csrfMatches } from '../session/admin-session.service.js';
import { SessionCookie, sameOrigin } from '../session/session-cookie.js';
import type { AdminCaller, AdminRequest, TenantContext } from './admin-context.js';
import { ADMIN_ROUTE, type AdminRouteSpec } from './route-spec.js';

/** The header carrying the session's synchronizer token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `path: message` per problem, the shape every validation error of the platform uses. */
export function issuesOf(e: z.ZodError, root = '(input)'): string[] {
  return e.issues.map((i) => `${i.path.map(String).join('.') || root}: ${i.message}`);
}

/**
 * Every admin route passes here, in this order: authentication (session cookie or Bearer API key), CSRF
 * for cookie-authenticated changes, the tenant in the path (a tenant the caller does not belong to is
 * "not found", exactly like one that does not exist), the route's permission through RbacService, and
 * finally the route's zod schemas for params, query and body. Handlers receive only validated input.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly cookie: SessionCookie;
  private readonly publicOrigin: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly sessions: AdminSessionService,
    private readonly apiKeys: ApiKeyService,
    private readonly tenancy: TenancyService,
    private readonly memberships: MembershipRepository,
    private readonly rbac: RbacService,
  ) {
    this.cookie = new SessionCookie(config.publicUrl);
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<AdminRouteSpec | undefined>(ADMIN_ROUTE, context.getHandler());
    if (!spec) throw new Error('admin guard on a handler without an admin route spec');
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    req.admin = {};
    if (spec.auth === 'none') {
      // Signing in: no session to protect yet, but a browser post must come from our own pages.
      if (req.headers.origin !== undefined && !this.sameOrigin(req)) throw forbiddenOrigin();
    } else {
      const caller = await this.authenticate(req, res, spec);
      req.admin.caller = caller;
      if (spec.auth === 'tenant') req.admin.tenant = await this.tenantContext(req, caller, spec);
      if (spec.auth === 'platform') {
        if (caller.kind !== 'session' || caller.session.tenantId !== null) {
          throw new DomainError(
            'forbidden',
            "platform routes need a platform operator's dashboard session signed in with a password",
          );
        }
        this.rbac.requireOperator(caller.session.user, spec.permission as PlatformAction);
      }
    }
    req.admin.input = {
      params: this.parse('path parameters', spec.params, req.params),
      query: this.parse('query', spec.query, req.query ?? {}),
      body: spec.body ? this.parse('body', spec.body, req.body ?? {}) : {},
    };
    return true;
  }

  private async authenticate(req: AdminRequest, res: Response, spec: AdminRouteSpec): Promise<AdminCaller> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
      const principal = m ? await this.apiKeys.verifyAnyTenant(m[1] as string) : null;
      if (!principal) throw unauthenticated(res, 'the API key is invalid, expired or revoked');
      if (spec.auth !== 'tenant') {
        throw new DomainError('forbidden', 'this route needs a dashboard session, not an API key');
      }
      return { kind: 'api_key', principal, actor: { type: 'api_key', id: principal.id } };
    }
    const token = this.cookie.read(req);
    const session = token ? await this.sessions.find(token) : null;
    if (!session) {
      if (token) this.cookie.clear(res);
      throw unauthenticated(res, 'sign in, or send an API key with the admin scope');
    }
    if (!SAFE_METHODS.has(req.method)) {
      // A cookie rides along on cross-site requests; the token and the origin prove the page is ours.
      if (!this.sameOrigin(req)) throw forbiddenOrigin();
      if (!csrfMatches(session, req.headers[CSRF_HEADER])) {
        throw new DomainError(
          'forbidden',
          `missing or wrong CSRF token: send the session's csrfToken in the ${CSRF_HEADER} header`,
          { reason: 'csrf' },
        );
      }
    }
    return { kind: 'session', session, actor: { type: 'user', id: session.user.id } };
  }

  private async tenantContext(
    req: AdminRequest,
    caller: AdminCaller,
    spec: AdminRouteSpec,
  ): Promise<TenantContext> {
    const slug = req.params['tenant'];
    const tenant = await this.findTenant(typeof slug === 'string' ? slug : '');
    let principal: Principal;
    if (caller.kind === 'api_key') {
      if (caller.principal.tenantId !== tenant.id) throw tenantNotFound(tenant.slug);
      if (!caller.principal.scopes.includes(ADMIN_SCOPE)) {
        throw new DomainError('forbidden', 'this API key lacks the admin scope');
      }
      principal = caller.principal;
    } else {
      const s = caller.session;
      if (s.tenantId !== null && s.tenantId !== tenant.id) throw tenantNotFound(tenant.slug);
      const membership = await this.memberships.find({ tenantId: tenant.id }, s.user.id);
      if (!membership) throw tenantNotFound(tenant.slug);
      principal = {
        kind: 'user',
        id: s.user.id,
        tenantId: tenant.id,
        userId: s.user.id,
        role: membership.role,
        scopes: [ADMIN_SCOPE],
      };
    }
    if (tenant.status === 'suspended' && !SAFE_METHODS.has(req.method)) {
      throw new DomainError(
        'failed_precondition',
        `tenant "${tenant.slug}" is suspended: it can be read but not changed until a platform operator reactivates it`,
        { reason: 'tenant_suspended' },
      );
    }
    if (spec.permission && isAdminAction(spec.permission)) {
      this.rbac.require(principal, spec.permission, { tenantId: tenant.id });
    }
    return { caller, tenant, principal, actor: caller.actor };
  }

  private async findTenant(slug: string): Promise<Tenant> {
    if (!slugSchema.safeParse(slug).success) throw tenantNotFound(slug);
    try {
      return await this.tenancy.getTenant(slug);
    } catch (e) {
      if (e instanceof NotFoundError) throw tenantNotFound(slug);
      throw e;
    }
  }

  private sameOrigin(req: AdminRequest): boolean {
    return sameOrigin(req, this.publicOrigin, this.config.http.allowedHosts);
  }

  private parse(what: string, schema: z.ZodType | undefined, value: unknown): unknown {
    if (!schema) return {};
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new InvalidArgumentError(`invalid ${what}`, { issues: issuesOf(parsed.error, `(${what})`) });
    }
    return parsed.data;
  }
}

function unauthenticated(res: Response, message: string): DomainError {
  res.setHeader('WWW-Authenticate', 'Bearer realm="switchboard"');
  return new DomainError('unauthenticated', message);
}

/** One answer for "no such tenant" and "not yours": the API never tells which tenants exist. */
function tenantNotFound(slug: string): NotFoundError {
  return new NotFoundError(`tenant "${slug}"`);
}

function forbiddenOrigin(): DomainError {
  return new DomainError('forbidden', 'this request came from another site', { reason: 'origin' });
}
