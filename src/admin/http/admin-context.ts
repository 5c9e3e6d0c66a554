import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import type { Request } from 'express';
import type { AuditActor } from '../../audit/audit.contract.js';
import type { Tenant } from '../../generated/prisma/client.js';
import type { AdminSession } from '../session/admin-session.service.js';

/** Who called: a dashboard session or an API key. */
export type AdminCaller =
  | { readonly kind: 'session'; readonly session: AdminSession; readonly actor: AuditActor }
  | { readonly kind: 'api_key'; readonly principal: Principal; readonly actor: AuditActor };

/** A caller acting in one tenant, as the guard established it. */
export interface TenantContext {
  readonly caller: AdminCaller;
  readonly tenant: Tenant;
  /** The caller in this tenant: role from the membership, scopes from the key (sessions: `admin`). */
  readonly principal: Principal;
  readonly actor: AuditActor;
}

/** A platform operator acting on the platform. */
export interface PlatformContext {
  readonly session: AdminSession;
  readonly actor: AuditActor;
}

export interface AdminRequestState {
  caller?: AdminCaller;
  tenant?: TenantContext;
  input?: { params: unknown; query: unknown; body: unknown };
}

export type AdminRequest = Request & { admin?: AdminRequestState };

function state(ctx: ExecutionContext): AdminRequestState {
  const req = ctx.switchToHttp().getRequest<AdminRequest>();
  if (!req.admin) throw new Error('admin route reached without the admin guard');
  return req.admin;
}

/** The validated params, query and body (typed with `AdminInputOf<typeof ROUTE>`). */
export const AdminInput = createParamDecorator((_: unknown, ctx: ExecutionContext) => state(ctx).input);

/** The tenant context of a `tenant` route. */
export const InTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantContext => {
  const t = state(ctx).tenant;
  if (!t) throw new Error('tenant context requested on a route without one');
  return t;
});

/** The dashboard session of a `session` or `platform` route. */
export const InSession = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminSession => {
  const c = state(ctx).caller;
  if (c?.kind !== 'session') throw new Error('session requested on a route without one');
  return c.session;
});
