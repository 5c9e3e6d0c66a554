import { describe, expect, it } from '@jest/globals';
import type { Principal } from '@switchboard/integration-kit';
import type { AccessGrantRepository } from './access-grant.repository.js';
import { ADMIN_ACTION_MIN_ROLE, ADMIN_ACTIONS } from './admin-permissions.js';
import { RbacService } from './rbac.service.js';

const rbac = new RbacService({ list: async () => [] } as unknown as AccessGrantRepository);
const T = 'tenant-1';
const who = (role: Principal['role'], over: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  id: 'u1',
  tenantId: T,
  userId: 'u1',
  role,
  scopes: ['admin'],
  ...over,
});

describe('admin actions in RbacService', () => {
  it('lets viewers read only, members a little more, admins manage and owners alone handle owners', () => {
    const allowed = (role: Principal['role']) =>
      ADMIN_ACTIONS.filter((a) => rbac.can(who(role), a, { tenantId: T })).sort();
    expect(allowed('viewer').every((a) => a.endsWith(':read'))).toBe(true);
    expect(allowed('viewer')).not.toContain('audit:read');
    expect(allowed('member')).toEqual(expect.arrayContaining(['connection:test', 'apikey:own']));
    expect(allowed('member')).not.toContain('connection:write');
    expect(allowed('admin')).not.toContain('owner:write');
    expect(allowed('owner')).toEqual([...ADMIN_ACTIONS].sort());
    expect(ADMIN_ACTION_MIN_ROLE['owner:write']).toBe('owner');
  });

  it('never crosses tenants and needs the admin scope', () => {
    expect(rbac.can(who('owner', { tenantId: 'other' }), 'tenant:read', { tenantId: T })).toBe(false);
    expect(rbac.can(who('owner', { kind: 'api_key', scopes: ['mcp'] }), 'tenant:read', { tenantId: T })).toBe(
      false,
    );
    expect(() => rbac.require(who('viewer'), 'endpoint:write', { tenantId: T })).toThrow(
      /needs admin or above/,
    );
  });

  it('keeps platform actions for operators', () => {
    expect(rbac.canOperate({ platformRole: 'operator' }, 'platform:tenants:write')).toBe(true);
    expect(rbac.canOperate({ platformRole: null }, 'platform:tenants:read')).toBe(false);
    expect(() => rbac.requireOperator({ platformRole: null }, 'platform:tenants:read')).toThrow(/operators/);
  });
});
