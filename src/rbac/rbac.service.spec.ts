import { describe, expect, it } from '@jest/globals';
import type { Principal } from '@switchboard/integration-kit';
import type { AccessGrantRepository } from './access-grant.repository.js';
import { RbacService } from './rbac.service.js';

const T = 'tenant-1';
const E = 'endpoint-1';

function rbacWith(
  rules: {
    endpointId?: string | null;
    toolName?: string | null;
    subjectUserId?: string | null;
    subjectRole?: 'owner' | 'admin' | 'member' | 'viewer' | null;
    effect: 'allow' | 'deny';
  }[],
) {
  const rows = rules.map((r, i) => ({
    id: `r${i}`,
    tenantId: T,
    endpointId: r.endpointId === undefined ? E : r.endpointId,
    toolName: r.toolName ?? null,
    subjectUserId: r.subjectUserId ?? null,
    subjectRole: r.subjectRole ?? null,
    effect: r.effect,
    createdAt: new Date(),
  }));
  const repo = { list: async () => rows } as unknown as AccessGrantRepository;
  return new RbacService(repo);
}

const member = (over: Partial<Principal> = {}): Principal => ({
  kind: 'oauth_client',
  id: 'g1',
  tenantId: T,
  userId: 'u1',
  role: 'member',
  scopes: ['mcp'],
  ...over,
});

describe('RbacService.can', () => {
  it('caps by role, and scopes only narrow', async () => {
    const rbac = rbacWith([]);
    await rbac.prepare(T);
    const call = (p: Principal, permission: 'read' | 'write' | 'admin') =>
      rbac.can(p, 'tool:call', { endpointId: E, name: 't', permission });
    expect(call(member(), 'write')).toBe(true);
    expect(call(member(), 'admin')).toBe(false);
    expect(call(member({ role: 'viewer' }), 'write')).toBe(false);
    expect(call(member({ role: 'owner', scopes: ['mcp:read'] }), 'write')).toBe(false);
    expect(call(member({ role: 'viewer', scopes: ['mcp:admin'] }), 'admin')).toBe(false);
    expect(
      rbac.missingScope(member({ role: 'owner', scopes: ['mcp:read'] }), 'tool:call', {
        endpointId: E,
        name: 't',
        permission: 'write',
      }),
    ).toBe('mcp:write');
    expect(
      rbac.missingScope(member(), 'tool:call', { endpointId: E, name: 't', permission: 'admin' }),
    ).toBeNull();
  });

  it('lets the most specific rule decide: user over role over everyone, deny winning ties', async () => {
    const rbac = rbacWith([
      { toolName: 'x', subjectRole: 'member', effect: 'deny' },
      { toolName: 'x', subjectUserId: 'u1', effect: 'allow' },
      { toolName: 'y', effect: 'deny' },
      { toolName: 'y', subjectRole: 'member', effect: 'allow' },
      { toolName: 'z', subjectRole: 'member', effect: 'allow' },
      { toolName: 'z', subjectRole: 'member', effect: 'deny' },
    ]);
    await rbac.prepare(T);
    const can = (p: Principal, name: string) =>
      rbac.can(p, 'tool:call', { endpointId: E, name, permission: 'admin' });
    expect(can(member(), 'x')).toBe(true);
    expect(can(member({ userId: 'u2' }), 'x')).toBe(false);
    expect(can(member(), 'y')).toBe(true);
    expect(can(member({ role: 'viewer' }), 'y')).toBe(false);
    expect(can(member(), 'z')).toBe(false);
    // An allow still needs the scope.
    expect(can(member({ scopes: ['mcp:read'] }), 'x')).toBe(false);
  });

  it('denies the whole endpoint, and keys surfaces so equal views share pools', async () => {
    const rbac = rbacWith([
      { toolName: null, subjectRole: 'viewer', effect: 'deny' },
      { toolName: 'w', subjectUserId: 'u9', effect: 'allow', endpointId: null },
    ]);
    await rbac.prepare(T);
    expect(rbac.can(member({ role: 'viewer' }), 'endpoint:use', { endpointId: E })).toBe(false);
    expect(rbac.can(member({ role: 'viewer' }), 'endpoint:use', { endpointId: 'other' })).toBe(true);
    const a = rbac.surfaceAccess(member({ userId: 'u1' }), E);
    const b = rbac.surfaceAccess(member({ userId: 'u2' }), E);
    const c = rbac.surfaceAccess(member({ userId: 'u9' }), E);
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
    expect(c.permits('tool', 'w', 'admin')).toBe(true);
    expect(a.permits('tool', 'w', 'admin')).toBe(false);
    expect(rbac.surfaceAccess(member({ role: 'viewer' }), E).permits('resource', 'r', 'read')).toBe(false);
  });
});
