import { Injectable, Optional } from '@nestjs/common';
import type { Principal, TenantRole, ToolPermission } from '@switchboard/integration-kit';
import { DomainError, InvalidArgumentError, NotFoundError } from '../common/domain-error.js';
import type { TenantScope } from '../common/tenant-scope.js';
import type { AccessGrant } from '../generated/prisma/client.js';
import { AccessGrantRepository, type NewAccessGrant } from './access-grant.repository.js';
import { decide, toolRulesFor, type AccessRule } from './access-rules.js';
import {
  ADMIN_ACTION_MIN_ROLE,
  ADMIN_SCOPE,
  isAdminAction,
  type AdminAction,
  type PlatformAction,
  type PlatformSubject,
} from './admin-permissions.js';
import { InvalidationBus } from '../redis/invalidation-bus.js';

/** Bus topic: a tenant's access rules changed (payload `{ tenantId }`). */
export const RBAC_RULES_CHANGED = 'rbac.rules-changed';

const ROLE_RANK: Record<TenantRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const PERMISSION_MIN_ROLE: Record<ToolPermission, TenantRole> = {
  read: 'viewer',
  write: 'member',
  admin: 'admin',
};
const PERMISSIONS: readonly ToolPermission[] = ['read', 'write', 'admin'];

/** Scope that grants a tool permission when a credential carries scopes. `mcp` grants what the role allows. */
export const PERMISSION_SCOPES: Record<ToolPermission, readonly string[]> = {
  read: ['mcp', 'mcp:read', 'mcp:write', 'mcp:admin'],
  write: ['mcp', 'mcp:write', 'mcp:admin'],
  admin: ['mcp', 'mcp:admin'],
};
/** The narrowest scope that grants a permission (what a 403 insufficient_scope asks for). */
export const NARROWEST_SCOPE: Record<ToolPermission, string> = {
  read: 'mcp:read',
  write: 'mcp:write',
  admin: 'mcp:admin',
};

export type RbacAction = 'endpoint:use' | 'tool:call' | 'resource:read' | 'prompt:get';

/** The tenant an admin action applies to. */
export interface AdminTarget {
  readonly tenantId: string;
}

export interface RbacTarget {
  readonly endpointId: string;
  /** Tool, resource or prompt name as the endpoint exposes it (not needed for `endpoint:use`). */
  readonly name?: string;
  readonly permission?: ToolPermission;
}

/**
 * What one principal may see on one endpoint, fixed for the life of a built server. Principals with the
 * same `key` see exactly the same surface, so the MCP host can pool servers by it.
 */
export interface SurfaceAccess {
  readonly key: string;
  permits(kind: 'tool' | 'resource' | 'prompt', name: string, permission: ToolPermission): boolean;
}

/** Rules are re-read this often; changes made on this node apply at once. */
const RULES_TTL_MS = 15_000;

interface TenantRules {
  readonly rules: readonly AccessRule[];
  readonly until: number;
}

const NO_RULES: readonly AccessRule[] = [];

/**
 * One place that answers "may this principal do this". Roles set the ceiling; per-endpoint and per-tool
 * rules (AccessGrant) deny or allow on top of it; a credential's scopes only ever narrow the result.
 */
@Injectable()
export class RbacService {
  private readonly tenants = new Map<string, TenantRules>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly grants: AccessGrantRepository,
    @Optional() private readonly bus?: InvalidationBus,
  ) {
    bus?.on<{ tenantId?: unknown }>(RBAC_RULES_CHANGED, (p) => {
      if (typeof p?.tenantId === 'string') this.tenants.delete(p.tenantId);
    });
    bus?.onResync(() => this.tenants.clear());
  }

  /** Drops a tenant's cached rules on every node (here at once, elsewhere through the bus). */
  private forgetRules(tenantId: string): void {
    this.tenants.delete(tenantId);
    void this.bus?.publish(RBAC_RULES_CHANGED, { tenantId });
  }

  roleAllows(role: TenantRole, permission: ToolPermission): boolean {
    return ROLE_RANK[role] >= ROLE_RANK[PERMISSION_MIN_ROLE[permission]];
  }

  scopesAllow(scopes: readonly string[], permission: ToolPermission): boolean {
    return PERMISSION_SCOPES[permission].some((s) => scopes.includes(s));
  }

  /** Role and scopes only, for callers without an endpoint (no per-tool rules apply). */
  canUse(principal: Principal, permission: ToolPermission): boolean {
    return this.roleAllows(principal.role, permission) && this.scopesAllow(principal.scopes, permission);
  }

  /**
   * The one access decision. Synchronous on purpose (it runs on every list and call): the tenant's rules
   * must have been loaded by {@link prepare}, which the MCP gate does for every request.
   */
  can(principal: Principal, action: RbacAction, target: RbacTarget): boolean;
  /**
   * Admin API actions: a member of exactly this tenant whose role reaches the action's minimum, holding
   * the `admin` scope (sessions carry it; API keys must have been given it). Per-endpoint rules do not apply.
   */
  can(principal: Principal, action: AdminAction, target: AdminTarget): boolean;
  can(principal: Principal, action: RbacAction | AdminAction, target: RbacTarget | AdminTarget): boolean {
    if (isAdminAction(action)) {
      const t = target as AdminTarget;
      return (
        principal.tenantId === t.tenantId &&
        principal.kind !== 'anonymous' &&
        principal.scopes.includes(ADMIN_SCOPE) &&
        ROLE_RANK[principal.role] >= ROLE_RANK[ADMIN_ACTION_MIN_ROLE[action]]
      );
    }
    return this.canOnEndpoint(principal, action, target as RbacTarget);
  }

  /** `can` for admin actions, throwing the forbidden error the admin API answers with. */
  require(principal: Principal, action: AdminAction, target: AdminTarget): void {
    if (this.can(principal, action, target)) return;
    throw new DomainError(
      'forbidden',
      `your role (${principal.role}) does not allow this; it needs ${ADMIN_ACTION_MIN_ROLE[action]} or above`,
      { action, requiredRole: ADMIN_ACTION_MIN_ROLE[action] },
    );
  }

  /** Platform actions (tenants themselves): platform operators only. */
  canOperate(subject: PlatformSubject, action: PlatformAction): boolean {
    return subject.platformRole === 'operator' && action.startsWith('platform:');
  }

  requireOperator(subject: PlatformSubject, action: PlatformAction): void {
    if (!this.canOperate(subject, action)) {
      throw new DomainError('forbidden', 'only platform operators may do this', { action });
    }
  }

  private canOnEndpoint(principal: Principal, action: RbacAction, target: RbacTarget): boolean {
    const rules = this.tenants.get(principal.tenantId)?.rules ?? NO_RULES;
    if (decide(rules, principal, target.endpointId, null) === 'deny') return false;
    if (!this.scopesAllow(principal.scopes, 'read')) return false;
    if (action === 'endpoint:use') return true;
    const permission = target.permission;
    if (permission === undefined) return false;
    if (action === 'tool:call' && target.name !== undefined) {
      const decision = decide(rules, principal, target.endpointId, target.name);
      if (decision === 'deny') return false;
      // An explicit allow lifts the role ceiling for this one tool; scopes still narrow it.
      if (decision === 'allow') return this.scopesAllow(principal.scopes, permission);
    }
    return this.canUse(principal, permission);
  }

  /**
   * When `can` refuses only because of the credential's scopes, the scope that would allow it (for a
   * 403 `insufficient_scope` the client can act on); null when more scope would not help.
   */
  missingScope(principal: Principal, action: RbacAction, target: RbacTarget): string | null {
    if (this.can(principal, action, target)) return null;
    const widened = { ...principal, scopes: ['mcp'] };
    if (!this.can(widened, action, target)) return null;
    return NARROWEST_SCOPE[target.permission ?? 'read'];
  }

  /** The surface a principal sees on an endpoint, keyed so equal surfaces share pooled servers. */
  surfaceAccess(principal: Principal, endpointId: string): SurfaceAccess {
    const rules = this.tenants.get(principal.tenantId)?.rules ?? NO_RULES;
    const endpointOk = this.can(principal, 'endpoint:use', { endpointId });
    const levels = endpointOk ? PERMISSIONS.filter((p) => this.canUse(principal, p)) : [];
    const toolRules = endpointOk ? toolRulesFor(rules, principal, endpointId) : [];
    const toolNames = [...new Set(toolRules.map((r) => r.toolName as string))].sort();
    const overrides = toolNames.map((name) => `${name}=${decide(rules, principal, endpointId, name)}`);
    // Tool overrides only matter through their effect; scopes decide what an allow can reach.
    const scoped = PERMISSIONS.filter((p) => this.scopesAllow(principal.scopes, p));
    const key = endpointOk
      ? [levels.join('+') || 'none', overrides.length ? `s:${scoped.join('+')}|${overrides.join(',')}` : '']
          .filter(Boolean)
          .join('|')
      : 'denied';
    return {
      key,
      permits: (kind, name, permission) => {
        if (!endpointOk) return false;
        if (kind === 'tool') return this.can(principal, 'tool:call', { endpointId, name, permission });
        return levels.includes(permission);
      },
    };
  }

  /** Loads (or refreshes) a tenant's rules when they are older than a few seconds. */
  async prepare(tenantId: string, now = Date.now()): Promise<void> {
    const current = this.tenants.get(tenantId);
    if (current && current.until > now) return;
    let pending = this.loading.get(tenantId);
    if (!pending) {
      pending = this.grants
        .list({ tenantId })
        .then((rows) => {
          if (this.tenants.size > 10_000) this.tenants.clear();
          this.tenants.set(tenantId, { rules: rows.map(toRule), until: Date.now() + RULES_TTL_MS });
        })
        .finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }
    await pending;
  }

  // --- rule management (CLI now, admin API later) ------------------------------------------------------

  async listRules(scope: TenantScope): Promise<AccessGrant[]> {
    return this.grants.list(scope);
  }

  async addRule(scope: TenantScope, rule: NewAccessGrant): Promise<AccessGrant> {
    if (rule.subjectUserId !== null && rule.subjectRole !== null) {
      throw new InvalidArgumentError('a rule names a user or a role, not both');
    }
    if (rule.toolName !== null && !/^[A-Za-z0-9_.-]{1,128}$/.test(rule.toolName)) {
      throw new InvalidArgumentError(`invalid tool name "${rule.toolName}"`);
    }
    const created = await this.grants.create(scope, rule);
    this.forgetRules(scope.tenantId);
    return created;
  }

  async removeRule(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.grants.delete(scope, id))) throw new NotFoundError(`access rule "${id}"`);
    this.forgetRules(scope.tenantId);
  }
}

function toRule(row: AccessGrant): AccessRule {
  return {
    id: row.id,
    endpointId: row.endpointId,
    toolName: row.toolName,
    subjectUserId: row.subjectUserId,
    subjectRole: row.subjectRole,
    effect: row.effect,
  };
}
