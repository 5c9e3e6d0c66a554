import { z } from 'zod';
import { API_KEY_SCOPES } from '../../auth/api-key.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, pageOf, pageQuery, queryBool, tenantParams, uuid } from '../http/schemas.js';
import { ApiKeyAdminService } from './api-key-admin.service.js';

const keyView = z
  .object({
    id: uuid,
    name: z.string(),
    prefix: z.string().meta({ description: 'The public start of the key, to recognise it' }),
    userId: uuid,
    userEmail: z.string().nullable(),
    scopes: z.array(z.string()),
    expiresAt: isoDate.nullable(),
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'ApiKey' });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/api-keys',
    operationId: 'listApiKeys',
    tag: 'API keys',
    summary: 'API keys (admins: all of the tenant’s; members: their own), newest first',
    auth: 'tenant',
    permission: 'apikey:own',
    params: tenantParams,
    query: pageQuery.extend({ userId: uuid.optional(), includeRevoked: queryBool.optional() }),
    response: pageOf(keyView),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/api-keys',
    operationId: 'createApiKey',
    tag: 'API keys',
    summary: 'Create an API key; the key itself is in this answer only',
    description:
      'Scopes: mcp (MCP URLs, as the role allows), mcp:read|write|admin (narrower), admin (this API). A key never exceeds its holder’s role. Admins may create keys for other members.',
    auth: 'tenant',
    permission: 'apikey:own',
    params: tenantParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).default(['mcp']),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
        userId: uuid.optional().meta({ description: 'The member holding the key (default: the caller)' }),
      })
      .strict(),
    status: 201,
    response: z.object({
      key: z.string().meta({ description: 'Shown once; store it now' }),
      apiKey: keyView,
    }),
  }),
  revoke: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/api-keys/:keyId',
    operationId: 'revokeApiKey',
    tag: 'API keys',
    summary: 'Revoke an API key (effective at once on this node, within 15 s on others)',
    auth: 'tenant',
    permission: 'apikey:own',
    params: tenantParams.extend({ keyId: uuid }),
    response: keyView,
  }),
};

@AdminController()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyAdminService) {}

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.keys.list(ctx, i.query);
  }

  @AdminRoute(R.create)
  create(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.keys.create(ctx, i.body);
  }

  @AdminRoute(R.revoke)
  revoke(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.revoke>,
  ): Promise<AdminOutputOf<typeof R.revoke>> {
    return this.keys.revoke(ctx, i.params.keyId);
  }
}
