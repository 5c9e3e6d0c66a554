import { z } from 'zod';
import { MAX_SECRET_BYTES } from '../../vault/vault.service.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { pageOf, pageQuery, tenantParams, uuid } from '../http/schemas.js';
import { ConnectionAdminService } from './connection-admin.service.js';
import {
  connectionName,
  connectionTest,
  connectionView,
  secretName,
  secretStatus,
} from './connection.schemas.js';

const connectionParams = tenantParams.extend({ connection: uuid });
const secretParams = connectionParams.extend({ name: secretName });
const config = z
  .record(z.string(), z.unknown())
  .meta({ description: "Validated by the pack's configSchema" });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/connections',
    operationId: 'listConnections',
    tag: 'Connections',
    summary: 'The tenant’s connections, with which secrets are set (never their values)',
    auth: 'tenant',
    permission: 'connection:read',
    params: tenantParams,
    query: pageQuery.extend({
      packId: z.string().min(1).max(100).optional(),
      q: z.string().min(1).max(100).optional(),
    }),
    response: pageOf(connectionView),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/connections',
    operationId: 'createConnection',
    tag: 'Connections',
    summary: 'Add an integration: a connection of a pack with its configuration',
    description: 'Secrets are set afterwards, one by one, with PUT …/secrets/{name}.',
    auth: 'tenant',
    permission: 'connection:write',
    params: tenantParams,
    body: z
      .object({ packId: z.string().min(1).max(100), name: connectionName, config: config.default({}) })
      .strict(),
    status: 201,
    response: connectionView,
    errors: [409],
  }),
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/connections/:connection',
    operationId: 'getConnection',
    tag: 'Connections',
    summary: 'One connection',
    auth: 'tenant',
    permission: 'connection:read',
    params: connectionParams,
    response: connectionView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/tenants/:tenant/connections/:connection',
    operationId: 'updateConnection',
    tag: 'Connections',
    summary: 'Rename, reconfigure (the whole config, validated again), enable or disable',
    auth: 'tenant',
    permission: 'connection:write',
    params: connectionParams,
    body: z
      .object({ name: connectionName.optional(), config: config.optional(), enabled: z.boolean().optional() })
      .strict(),
    response: connectionView,
    errors: [409],
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/connections/:connection',
    operationId: 'deleteConnection',
    tag: 'Connections',
    summary: 'Delete a connection with its secrets; endpoints stop exposing its tools',
    auth: 'tenant',
    permission: 'connection:write',
    params: connectionParams,
  }),
  test: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/connections/:connection/test',
    operationId: 'testConnection',
    tag: 'Connections',
    summary: 'Prove the connection works: a cheap authenticated read against its upstream',
    description: 'A failed test is a 200 with ok: false and a message for the admin.',
    auth: 'tenant',
    permission: 'connection:test',
    params: connectionParams,
    response: connectionTest,
  }),
  secrets: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/connections/:connection/secrets',
    operationId: 'listSecrets',
    tag: 'Connections',
    summary: 'The connection’s secrets: name, version, timestamps — never values',
    auth: 'tenant',
    permission: 'connection:read',
    params: connectionParams,
    response: z.object({ items: z.array(secretStatus) }),
  }),
  setSecret: defineRoute({
    method: 'PUT',
    path: '/tenants/:tenant/connections/:connection/secrets/:name',
    operationId: 'setSecret',
    tag: 'Connections',
    summary: 'Set or rotate a secret (write-only: the value never comes back)',
    auth: 'tenant',
    permission: 'secret:write',
    params: secretParams,
    body: z
      .object({
        value: z
          .string()
          .min(1)
          .refine(
            (v) => Buffer.byteLength(v, 'utf8') <= MAX_SECRET_BYTES,
            `at most ${MAX_SECRET_BYTES} bytes`,
          ),
      })
      .strict(),
    response: secretStatus,
  }),
  deleteSecret: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/connections/:connection/secrets/:name',
    operationId: 'deleteSecret',
    tag: 'Connections',
    summary: 'Delete a secret',
    auth: 'tenant',
    permission: 'secret:write',
    params: secretParams,
  }),
};

@AdminController()
export class ConnectionsController {
  constructor(private readonly connections: ConnectionAdminService) {}

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.connections.list(ctx, i.query);
  }

  @AdminRoute(R.create)
  create(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.connections.create(ctx, i.body);
  }

  @AdminRoute(R.get)
  get(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.get>,
  ): Promise<AdminOutputOf<typeof R.get>> {
    return this.connections.get(ctx, i.params.connection);
  }

  @AdminRoute(R.update)
  update(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.update>,
  ): Promise<AdminOutputOf<typeof R.update>> {
    return this.connections.update(ctx, i.params.connection, i.body);
  }

  @AdminRoute(R.remove)
  remove(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.remove>): Promise<void> {
    return this.connections.remove(ctx, i.params.connection);
  }

  @AdminRoute(R.test)
  test(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.test>,
  ): Promise<AdminOutputOf<typeof R.test>> {
    return this.connections.test(ctx, i.params.connection);
  }

  @AdminRoute(R.secrets)
  async secrets(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.secrets>,
  ): Promise<AdminOutputOf<typeof R.secrets>> {
    return { items: await this.connections.listSecrets(ctx, i.params.connection) };
  }

  @AdminRoute(R.setSecret)
  setSecret(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.setSecret>,
  ): Promise<AdminOutputOf<typeof R.setSecret>> {
    return this.connections.setSecret(ctx, i.params.connection, i.params.name, i.body.value);
  }

  @AdminRoute(R.deleteSecret)
  deleteSecret(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.deleteSecret>,
  ): Promise<void> {
    return this.connections.deleteSecret(ctx, i.params.connection, i.params.name);
  }
}
