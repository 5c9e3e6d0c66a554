import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../../common/domain-error.js';
import type { Prompt, Resource } from '../../generated/prisma/client.js';
import {
  promptInputSchema,
  resourceInputSchema,
  WorkspaceService,
} from '../../workspace/workspace.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { decodeCursor, isoDate, pageOf, pageQuery, tenantParams, toPage } from '../http/schemas.js';

const name = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, '1–64 letters, digits, dot, dash or underscore');
const promptView = z
  .object({
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    arguments: z.array(
      z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() }),
    ),
    template: z.string(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Prompt' });
const resourceSummary = z
  .object({
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    mimeType: z.string(),
    size: z.number().int().meta({ description: 'Characters of content' }),
    digest: z.string(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'ResourceSummary' });
const resourceView = resourceSummary.extend({ content: z.string() }).meta({ id: 'Resource' });

const itemParams = tenantParams.extend({ name });
const list = pageQuery.extend({ q: z.string().min(1).max(100).optional() });

const common = { tag: 'Prompts and resources', auth: 'tenant' } as const;
const P = {
  list: defineRoute({
    ...common,
    method: 'GET',
    path: '/tenants/:tenant/prompts',
    operationId: 'listPrompts',
    summary: 'The tenant’s prompts, served on every endpoint',
    permission: 'workspace:read',
    params: tenantParams,
    query: list,
    response: pageOf(promptView),
  }),
  get: defineRoute({
    ...common,
    method: 'GET',
    path: '/tenants/:tenant/prompts/:name',
    operationId: 'getPrompt',
    summary: 'One prompt',
    permission: 'workspace:read',
    params: itemParams,
    response: promptView,
  }),
  put: defineRoute({
    ...common,
    method: 'PUT',
    path: '/tenants/:tenant/prompts/:name',
    operationId: 'putPrompt',
    summary: 'Create or replace a prompt; MCP clients are told the list changed',
    permission: 'workspace:write',
    params: itemParams,
    body: promptInputSchema.omit({ name: true }).strict(),
    response: promptView,
  }),
  remove: defineRoute({
    ...common,
    method: 'DELETE',
    path: '/tenants/:tenant/prompts/:name',
    operationId: 'deletePrompt',
    summary: 'Delete a prompt',
    permission: 'workspace:write',
    params: itemParams,
  }),
};
const S = {
  list: defineRoute({
    ...common,
    method: 'GET',
    path: '/tenants/:tenant/resources',
    operationId: 'listResources',
    summary: 'The tenant’s documents, served as MCP resources on every endpoint (without content)',
    permission: 'workspace:read',
    params: tenantParams,
    query: list,
    response: pageOf(resourceSummary),
  }),
  get: defineRoute({
    ...common,
    method: 'GET',
    path: '/tenants/:tenant/resources/:name',
    operationId: 'getResource',
    summary: 'One resource with its content',
    permission: 'workspace:read',
    params: itemParams,
    response: resourceView,
  }),
  put: defineRoute({
    ...common,
    method: 'PUT',
    path: '/tenants/:tenant/resources/:name',
    operationId: 'putResource',
    summary: 'Create or replace a resource; MCP clients are told the list changed',
    permission: 'workspace:write',
    params: itemParams,
    body: resourceInputSchema.omit({ name: true }).strict(),
    response: resourceView,
  }),
  remove: defineRoute({
    ...common,
    method: 'DELETE',
    path: '/tenants/:tenant/resources/:name',
    operationId: 'deleteResource',
    summary: 'Delete a resource',
    permission: 'workspace:write',
    params: itemParams,
  }),
};

function promptOut(p: Prompt): z.input<typeof promptView> {
  const args = promptView.shape.arguments.safeParse(p.arguments);
  return {
    name: p.name,
    title: p.title,
    description: p.description,
    arguments: args.success ? args.data : [],
    template: p.template,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function resourceOut(r: Resource): z.input<typeof resourceView> {
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    mimeType: r.mimeType,
    size: r.content.length,
    digest: `sha256:${createHash('sha256').update(r.content, 'utf8').digest('hex')}`,
    content: r.content,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function paged<T extends { name: string; title: string | null }>(rows: T[], q: z.output<typeof list>) {
  const after = decodeCursor(q.cursor, 1)?.[0];
  const needle = q.q?.toLowerCase();
  const filtered = rows.filter(
    (r) =>
      (after === undefined || r.name > String(after)) &&
      (!needle || r.name.toLowerCase().includes(needle) || (r.title ?? '').toLowerCase().includes(needle)),
  );
  return toPage(filtered, q.limit, (r) => [r.name]);
}

@AdminController()
export class WorkspaceController {
  constructor(private readonly workspace: WorkspaceService) {}

  @AdminRoute(P.list)
  async listPrompts(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof P.list>,
  ): Promise<AdminOutputOf<typeof P.list>> {
    const page = paged(await this.workspace.listPrompts(ctx.tenant), i.query);
    return { items: page.items.map(promptOut), nextCursor: page.nextCursor };
  }

  @AdminRoute(P.get)
  async getPrompt(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof P.get>,
  ): Promise<AdminOutputOf<typeof P.get>> {
    const p = (await this.workspace.listPrompts(ctx.tenant)).find((x) => x.name === i.params.name);
    if (!p) throw new NotFoundError(`prompt "${i.params.name}"`);
    return promptOut(p);
  }

  @AdminRoute(P.put)
  async putPrompt(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof P.put>,
  ): Promise<AdminOutputOf<typeof P.put>> {
    return promptOut(
      await this.workspace.setPrompt(ctx.tenant.slug, { ...i.body, name: i.params.name }, ctx.actor),
    );
  }

  @AdminRoute(P.remove)
  deletePrompt(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof P.remove>,
  ): Promise<void> {
    return this.workspace.deletePrompt(ctx.tenant.slug, i.params.name, ctx.actor);
  }

  @AdminRoute(S.list)
  async listResources(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof S.list>,
  ): Promise<AdminOutputOf<typeof S.list>> {
    const page = paged(await this.workspace.listResources(ctx.tenant), i.query);
    return { items: page.items.map(resourceOut), nextCursor: page.nextCursor };
  }

  @AdminRoute(S.get)
  async getResource(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof S.get>,
  ): Promise<AdminOutputOf<typeof S.get>> {
    const r = await this.workspace.findResource(ctx.tenant, i.params.name);
    if (!r) throw new NotFoundError(`resource "${i.params.name}"`);
    return resourceOut(r);
  }

  @AdminRoute(S.put)
  async putResource(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof S.put>,
  ): Promise<AdminOutputOf<typeof S.put>> {
    return resourceOut(
      await this.workspace.setResource(ctx.tenant.slug, { ...i.body, name: i.params.name }, ctx.actor),
    );
  }

  @AdminRoute(S.remove)
  deleteResource(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof S.remove>,
  ): Promise<void> {
    return this.workspace.deleteResource(ctx.tenant.slug, i.params.name, ctx.actor);
  }
}
