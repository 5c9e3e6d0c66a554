import { ADMIN_CONTROLLERS } from '../admin.module.js';
import { declaredAdminRoutes } from '../http/route-spec.js';
import { buildAdminOpenApiDocument } from './admin-openapi.js';

/** The document for every route of the admin controllers (importing them declares their routes). */
export function generateAdminOpenApi(): Record<string, unknown> {
  if (ADMIN_CONTROLLERS.length === 0) throw new Error('no admin controllers');
  return buildAdminOpenApiDocument(declaredAdminRoutes());
}
