import type { TenantRole } from '@switchboard/integration-kit';

/**
 * What the admin API lets a member do in their tenant, by the lowest role that may. Viewers read; members
 * also test connections (and run the connection check) and manage their own API keys; admins and owners
 * manage the tenant; only owners hand out or take away ownership. Audit reads are for admins: the log names
 * every member's actions. The sign-in provider and the vault's key status are admins' business too.
 */
export const ADMIN_ACTION_MIN_ROLE = {
  'tenant:read': 'viewer',
  'tenant:update': 'admin',
  'endpoint:read': 'viewer',
  'endpoint:write': 'admin',
  'connection:read': 'viewer',
  'connection:test': 'member',
  'connection:write': 'admin',
  'secret:write': 'admin',
  'member:read': 'viewer',
  'member:write': 'admin',
  'owner:write': 'owner',
  'apikey:own': 'member',
  'apikey:manage': 'admin',
  'grant:manage': 'admin',
  'workspace:read': 'viewer',
  'workspace:write': 'admin',
  'ratelimit:read': 'viewer',
  'ratelimit:write': 'admin',
  'usage:read': 'viewer',
  'audit:read': 'admin',
  'audit:write': 'admin',
  'idp:read': 'admin',
  'idp:write': 'admin',
  'vault:read': 'admin',
  'vault:rotate': 'admin',
  'access:read': 'admin',
  'access:write': 'admin',
} as const satisfies Record<string, TenantRole>;

export type AdminAction = keyof typeof ADMIN_ACTION_MIN_ROLE;

export const ADMIN_ACTIONS = Object.keys(ADMIN_ACTION_MIN_ROLE) as AdminAction[];

/** Platform operators' actions (no tenant involved). */
export type PlatformAction = 'platform:tenants:read' | 'platform:tenants:write';

/** The admin API's credential scope: an API key needs it to reach the admin API at all. */
export const ADMIN_SCOPE = 'admin';

export function isAdminAction(action: string): action is AdminAction {
  return Object.hasOwn(ADMIN_ACTION_MIN_ROLE, action);
}

/** Someone acting on the platform itself: only platform operators may. */
export interface PlatformSubject {
  readonly platformRole: 'operator' | null;
}
