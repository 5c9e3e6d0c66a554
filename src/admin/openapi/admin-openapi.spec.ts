import { describe, expect, it } from '@jest/globals';
import { declaredAdminRoutes } from '../http/route-spec.js';
import { generateAdminOpenApi } from './generate.js';

describe('admin API routes and their OpenAPI document', () => {
  it('gives every tenant and platform route a permission, and describes each with auth and errors', () => {
    const doc = generateAdminOpenApi() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const routes = declaredAdminRoutes();
    expect(routes.length).toBeGreaterThan(50);
    for (const r of routes) {
      if (r.auth === 'tenant' || r.auth === 'platform') expect(r.permission).toBeDefined();
      if (r.auth === 'tenant') expect(r.path.startsWith('/tenants/:tenant')).toBe(true);
      const op = doc.paths[`/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`]?.[r.method.toLowerCase()];
      expect(op).toMatchObject({ operationId: r.operationId });
      expect(Object.keys(op!.responses as object)).toContain('500');
      if (r.auth !== 'none') expect(op!.security).not.toEqual([]);
    }
    const patch = doc.paths['/api/v1/tenants/{tenant}/endpoints/{endpoint}']!.patch!;
    expect(patch.security).toEqual([{ apiKey: [] }, { sessionCookie: [], csrfToken: [] }]);
  });
});
