import { Injectable } from '@nestjs/common';
import type { Principal, TenantRole, ToolPermission } from '@switchboard/integration-kit';

const ROLE_RANK: Record<TenantRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const PERMISSION_MIN_ROLE: Record<ToolPermission, TenantRole> = {
  read: 'viewer',
  write: 'member',
  admin: 'admin',
};

/** Scope that grants a tool permission when a credential carries scopes. `mcp` grants what the role allows. */
export const PERMISSION_SCOPES: Record<ToolPermission, readonly string[]> = {
  read: ['mcp', 'mcp:read', 'mcp:write', 'mcp:admin'],
  write: ['mcp', 'mcp:write', 'mcp:admin'],
  admin: ['mcp', 'mcp:admin'],
};

/**
 * One place that answers "may this principal do this". Roles set the ceiling; a credential's scopes can
 * only narrow it, never widen it.
 */
@Injectable()
export class RbacService {
  roleAllows(role: TenantRole, permission: ToolPermission): boolean {
    return ROLE_RANK[role] >= ROLE_RANK[PERMISSION_MIN_ROLE[permission]];
  }

  scopesAllow(scopes: readonly string[], permission: ToolPermission): boolean {
    return PERMISSION_SCOPES[permission].some((s) => scopes.includes(s));
  }

  /** May the principal see and call a tool (or read a resource, get a prompt) needing `permission`? */
  canUse(principal: Principal, permission: ToolPermission): boolean {
    return this.roleAllows(principal.role, permission) && this.scopesAllow(principal.scopes, permission);
  }
}
