import type { z } from 'zod';
import type { AdminAction, PlatformAction } from '../../rbac/admin-permissions.js';

/** Every admin route lives under this prefix; a breaking change gets a new version, never an edit. */
export const ADMIN_API_PREFIX = '/api/v1';

/**
 * Who may call a route:
 * - `tenant`: a member of the tenant in the path (session) or an API key of that tenant with the `admin`
 *   scope; `permission` is then checked with RbacService.require;
 * - `platform`: a platform operator's dashboard session;
 * - `session`: any dashboard session (the session itself);
 * - `none`: no credential (signing in).
 */
export type AdminAuth = 'tenant' | 'platform' | 'session' | 'none';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AdminRouteSpec {
  readonly method: HttpMethod;
  /** Express-style path under {@link ADMIN_API_PREFIX}, e.g. `/tenants/:tenant/endpoints/:endpoint`. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly auth: AdminAuth;
  readonly permission?: AdminAction | PlatformAction;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Success status; 200 by default (204 when there is no response schema and no content type). */
  readonly status?: number;
  /** JSON response body; every answer is parsed through it, so nothing undocumented leaves. */
  readonly response?: z.ZodType;
  /** A non-JSON success body (exports), described by its media types. */
  readonly produces?: readonly string[];
  /** Error statuses worth naming beyond the ones every route of its kind has. */
  readonly errors?: readonly number[];
}

type Out<S, K extends keyof S> = S[K] extends z.ZodType ? z.output<S[K]> : Record<string, never>;

/** The validated input of a route, as its handler receives it (`@AdminInput()`). */
export interface AdminInputOf<S extends AdminRouteSpec> {
  readonly params: Out<S, 'params'>;
  readonly query: Out<S, 'query'>;
  readonly body: Out<S, 'body'>;
}

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The success body a handler must produce (services may return read-only views). */
export type AdminOutputOf<S extends AdminRouteSpec> = S['response'] extends z.ZodType
  ? DeepReadonly<z.input<S['response']>>
  : void;

export const ADMIN_ROUTE = Symbol('switchboard:admin-route');

const registry: AdminRouteSpec[] = [];

/** Keeps the literal types of a spec (schemas included) for `AdminInputOf` and `AdminOutputOf`. */
export function defineRoute<const S extends AdminRouteSpec>(spec: S): S {
  return spec;
}

export function registerRoute(spec: AdminRouteSpec): void {
  if (registry.some((r) => r.operationId === spec.operationId)) {
    throw new Error(`admin route ${spec.operationId} is declared twice`);
  }
  registry.push(spec);
}

/** Every route declared so far (all admin controllers are imported by the admin module). */
export function declaredAdminRoutes(): readonly AdminRouteSpec[] {
  return registry;
}

export function successStatus(spec: AdminRouteSpec): number {
  return spec.status ?? (spec.response || spec.produces ? 200 : 204);
}
