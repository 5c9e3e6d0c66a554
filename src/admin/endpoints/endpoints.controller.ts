import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, pageOf, pageQuery, slug, tenantParams, uuid } from '../http/schemas.js';
import { EndpointAdminService } from './endpoint-admin.service.js';
import { ToolCatalogueService } from './tool-catalogue.service.js';

const mode = z.enum(['all', 'selected']).meta({
  description: 'all: every tool of the connection unless turned off; selected: only the tools turned on',
});

const endpointView = z
  .object({
    id: uuid,
    slug,
    name: z.string(),
    description: z.string().nullable(),
    isDefault: z.boolean(),
    public: z.boolean().meta({ description: 'Serves read-only tools without a credential' }),
    mcpUrl: z.string(),
    connections: z.array(z.object({ connectionId: uuid, name: z.string(), packId: z.string(), mode })),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Endpoint' });

const catalogueTool = z
  .object({
    name: z.string(),
    title: z.string().meta({ description: 'As the MCP surface shows it (override or default)' }),
    description: z.string(),
    defaultTitle: z.string(),
    defaultDescription: z.string(),
    titleOverride: z.string().nullable(),
    descriptionOverride: z.string().nullable(),
    enabled: z.boolean().meta({ description: 'Exposed on this endpoint' }),
    permission: z.enum(['read', 'write', 'admin']),
    readOnly: z.boolean(),
    destructive: z.boolean(),
    idempotent: z.boolean(),
    openWorld: z.boolean(),
  })
  .meta({ id: 'CatalogueTool' });

const catalogueGroup = z
  .object({
    connectionId: uuid,
    connectionName: z.string(),
    packId: z.string(),
    packTitle: z.string().nullable(),
    connectionEnabled: z.boolean(),
    attached: z.boolean(),
    mode: mode.nullable(),
    error: z.string().nullable(),
    tools: z.array(catalogueTool),
  })
  .meta({ id: 'CatalogueGroup' });

const endpointParams = tenantParams.extend({ endpoint: slug });
const attachParams = endpointParams.extend({ connection: uuid });
const toolParams = attachParams.extend({ tool: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/) });
const text = (max: number) => z.string().trim().min(1).max(max);

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/endpoints',
    operationId: 'listEndpoints',
    tag: 'Endpoints',
    summary: 'The tenant’s endpoints (MCP URLs)',
    auth: 'tenant',
    permission: 'endpoint:read',
    params: tenantParams,
    query: pageQuery.extend({ q: z.string().min(1).max(100).optional() }),
    response: pageOf(endpointView),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/endpoints',
    operationId: 'createEndpoint',
    tag: 'Endpoints',
    summary: 'Create an endpoint at /t/<tenant>/e/<slug>/mcp',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: tenantParams,
    body: z
      .object({
        slug,
        name: text(200).optional(),
        description: text(2000).optional(),
        public: z.boolean().optional(),
      })
      .strict(),
    status: 201,
    response: endpointView,
    errors: [409],
  }),
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/endpoints/:endpoint',
    operationId: 'getEndpoint',
    tag: 'Endpoints',
    summary: 'One endpoint',
    auth: 'tenant',
    permission: 'endpoint:read',
    params: endpointParams,
    response: endpointView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/tenants/:tenant/endpoints/:endpoint',
    operationId: 'updateEndpoint',
    tag: 'Endpoints',
    summary: 'Change an endpoint’s name, description or public flag',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: endpointParams,
    body: z
      .object({
        name: text(200).optional(),
        description: text(2000).nullable().optional(),
        public: z.boolean().optional(),
      })
      .strict(),
    response: endpointView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/endpoints/:endpoint',
    operationId: 'deleteEndpoint',
    tag: 'Endpoints',
    summary: 'Delete an endpoint (not the default one)',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: endpointParams,
    errors: [412],
  }),
  attach: defineRoute({
    method: 'PUT',
    path: '/tenants/:tenant/endpoints/:endpoint/connections/:connection',
    operationId: 'attachConnection',
    tag: 'Endpoints',
    summary: 'Expose a connection on the endpoint',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: attachParams,
    body: z.object({ mode: mode.default('all') }).strict(),
    response: endpointView,
  }),
  detach: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/endpoints/:endpoint/connections/:connection',
    operationId: 'detachConnection',
    tag: 'Endpoints',
    summary: 'Stop exposing a connection on the endpoint (the connection stays)',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: attachParams,
    response: endpointView,
  }),
  catalogue: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/endpoints/:endpoint/tools',
    operationId: 'listEndpointTools',
    tag: 'Endpoints',
    summary: 'The tool catalogue: every connection’s tools, with annotations and this endpoint’s selection',
    auth: 'tenant',
    permission: 'endpoint:read',
    params: endpointParams,
    query: z
      .object({
        q: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .meta({ description: 'Search names, titles and descriptions' }),
      })
      .strict(),
    response: z.object({ groups: z.array(catalogueGroup) }),
  }),
  setTool: defineRoute({
    method: 'PATCH',
    path: '/tenants/:tenant/endpoints/:endpoint/tools/:connection/:tool',
    operationId: 'updateEndpointTool',
    tag: 'Endpoints',
    summary: 'Turn a tool on or off and override its title or description (null restores the default)',
    description:
      'Overrides are what MCP clients see in tools/list on this endpoint. Turning on a tool of a connection the endpoint does not expose yet exposes that connection with only the chosen tools.',
    auth: 'tenant',
    permission: 'endpoint:write',
    params: toolParams,
    body: z
      .object({
        enabled: z.boolean().optional(),
        title: text(200).nullable().optional(),
        description: text(4000).nullable().optional(),
      })
      .strict(),
    response: catalogueTool,
  }),
};

@AdminController()
export class EndpointsController {
  constructor(
    private readonly endpoints: EndpointAdminService,
    private readonly catalogue: ToolCatalogueService,
  ) {}

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.endpoints.list(ctx, i.query);
  }

  @AdminRoute(R.create)
  create(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.endpoints.create(ctx, i.body);
  }

  @AdminRoute(R.get)
  get(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.get>,
  ): Promise<AdminOutputOf<typeof R.get>> {
    return this.endpoints.get(ctx, i.params.endpoint);
  }

  @AdminRoute(R.update)
  update(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.update>,
  ): Promise<AdminOutputOf<typeof R.update>> {
    return this.endpoints.update(ctx, i.params.endpoint, i.body);
  }

  @AdminRoute(R.remove)
  remove(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.remove>): Promise<void> {
    return this.endpoints.remove(ctx, i.params.endpoint);
  }

  @AdminRoute(R.attach)
  attach(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.attach>,
  ): Promise<AdminOutputOf<typeof R.attach>> {
    return this.endpoints.attach(ctx, i.params.endpoint, i.params.connection, i.body.mode);
  }

  @AdminRoute(R.detach)
  detach(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.detach>,
  ): Promise<AdminOutputOf<typeof R.detach>> {
    return this.endpoints.detach(ctx, i.params.endpoint, i.params.connection);
  }

  @AdminRoute(R.catalogue)
  async tools(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.catalogue>,
  ): Promise<AdminOutputOf<typeof R.catalogue>> {
    return { groups: await this.catalogue.catalogue(ctx, i.params.endpoint, i.query.q) };
  }

  @AdminRoute(R.setTool)
  setTool(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.setTool>,
  ): Promise<AdminOutputOf<typeof R.setTool>> {
    const p = i.params;
    return this.catalogue.setTool(ctx, p.endpoint, p.connection, p.tool, i.body);
  }
}
