import {
  applyDecorators,
  Controller,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AdminResponseInterceptor } from './admin-response.interceptor.js';
import { AdminGuard } from './admin.guard.js';
import {
  ADMIN_API_PREFIX,
  ADMIN_ROUTE,
  registerRoute,
  successStatus,
  type AdminRouteSpec,
  type HttpMethod,
} from './route-spec.js';

const METHODS: Record<HttpMethod, RequestMethod> = {
  GET: RequestMethod.GET,
  POST: RequestMethod.POST,
  PUT: RequestMethod.PUT,
  PATCH: RequestMethod.PATCH,
  DELETE: RequestMethod.DELETE,
};

/** Declares a route: the Nest mapping, its status, and the spec the guard and the OpenAPI document read. */
export function AdminRoute(spec: AdminRouteSpec): MethodDecorator {
  registerRoute(spec);
  return applyDecorators(
    RequestMapping({ path: `${ADMIN_API_PREFIX.slice(1)}${spec.path}`, method: METHODS[spec.method] }),
    HttpCode(successStatus(spec)),
    SetMetadata(ADMIN_ROUTE, spec),
  );
}

/** An admin controller: routes are declared with {@link AdminRoute}; the admin guard runs on each. */
export function AdminController(): ClassDecorator {
  return applyDecorators(Controller(), UseGuards(AdminGuard), UseInterceptors(AdminResponseInterceptor));
}
