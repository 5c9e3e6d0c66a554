import { z } from 'zod';
import {
  IdentityProviderService,
  JIT_ROLES,
  type IdentityProviderView,
} from '../../oauth/upstream/identity-provider.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, tenantParams } from '../http/schemas.js';

const providerView = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    domains: z.array(z.string()).meta({ description: 'Email domains it may sign in (lower case)' }),
    jitRole: z
      .enum(JIT_ROLES)
      .nullable()
      .meta({ description: 'Role of a first sign-in from an allowed domain; null: members only' }),
    clientSecretSet: z.boolean().meta({ description: 'The secret itself is never returned' }),
    displayName: z.string().meta({ description: 'The "Continue with …" button' }),
    enabled: z.boolean(),
    emailClaim: z.string(),
    requireEmailVerified: z.boolean(),
    redirectUri: z.string().meta({ description: 'Register this at the provider as the redirect URI' }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'IdentityProvider' });

const response = z.object({ provider: providerView.nullable() });

const R = {
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/identity-provider',
    operationId: 'getIdentityProvider',
    tag: 'Sign-in',
    summary: "The tenant's OpenID Connect sign-in provider (null when it has none)",
    auth: 'tenant',
    permission: 'idp:read',
    params: tenantParams,
    response,
  }),
  put: defineRoute({
    method: 'PUT',
    path: '/tenants/:tenant/identity-provider',
    operationId: 'setIdentityProvider',
    tag: 'Sign-in',
    summary: 'Set up or change the sign-in provider (checked against its discovery document first)',
    description:
      "clientSecret is write-only: required the first time and whenever issuer or clientId change; omit it to keep the stored one. The issuer's discovery document is fetched through the guarded client (public addresses, or hosts in SWITCHBOARD_IDP_ALLOWED_HOSTS) and must name the same issuer: otherwise 400 saying what failed. jitRole needs at least one domain. Settings left out keep their values.",
    auth: 'tenant',
    permission: 'idp:write',
    params: tenantParams,
    body: z
      .object({
        issuer: z.url({ protocol: /^https?$/ }).max(500),
        clientId: z.string().min(1).max(255),
        clientSecret: z.string().min(1).max(4096).optional(),
        domains: z.array(z.string().min(1).max(253)).max(50),
        jitRole: z.enum(JIT_ROLES).nullable(),
        displayName: z.string().trim().min(1).max(80).optional(),
        enabled: z.boolean().optional(),
        emailClaim: z.string().min(1).max(100).optional(),
        requireEmailVerified: z.boolean().optional(),
      })
      .strict(),
    response,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/identity-provider',
    operationId: 'removeIdentityProvider',
    tag: 'Sign-in',
    summary: 'Remove the sign-in provider (members sign in with passwords from then on)',
    auth: 'tenant',
    permission: 'idp:write',
    params: tenantParams,
  }),
};

function present(v: IdentityProviderView | null): AdminOutputOf<typeof R.get> {
  if (!v) return { provider: null };
  return {
    provider: {
      issuer: v.issuer,
      clientId: v.clientId,
      domains: [...v.allowedDomains],
      jitRole: v.jitRole,
      clientSecretSet: v.hasClientSecret,
      displayName: v.displayName,
      enabled: v.enabled,
      emailClaim: v.emailClaim,
      requireEmailVerified: v.requireEmailVerified,
      redirectUri: v.redirectUri,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
    },
  };
}

/** Sign-in through the tenant's own identity provider, as `switchboard idp` manages it. Admins only. */
@AdminController()
export class IdentityProviderController {
  constructor(private readonly idps: IdentityProviderService) {}

  @AdminRoute(R.get)
  async get(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.get>> {
    return present(await this.idps.find(ctx.tenant.slug));
  }

  @AdminRoute(R.put)
  async put(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.put>,
  ): Promise<AdminOutputOf<typeof R.put>> {
    const b = i.body;
    const view = await this.idps.update(
      ctx.tenant.slug,
      {
        issuer: b.issuer,
        clientId: b.clientId,
        ...(b.clientSecret !== undefined && { clientSecret: b.clientSecret }),
        allowedDomains: b.domains,
        jitRole: b.jitRole,
        ...(b.displayName !== undefined && { displayName: b.displayName }),
        ...(b.enabled !== undefined && { enabled: b.enabled }),
        ...(b.emailClaim !== undefined && { emailClaim: b.emailClaim }),
        ...(b.requireEmailVerified !== undefined && { requireEmailVerified: b.requireEmailVerified }),
      },
      { actor: ctx.actor },
    );
    return present(view);
  }

  @AdminRoute(R.remove)
  remove(@InTenant() ctx: TenantContext): Promise<void> {
    return this.idps.remove(ctx.tenant.slug, ctx.actor);
  }
}
