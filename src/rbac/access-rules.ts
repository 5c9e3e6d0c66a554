import type { Principal, ToolPermission } from '@switchboard/integration-kit';

/** One access rule as RBAC evaluates it (a row of AccessGrant). */
export interface AccessRule {
  readonly id: string;
  readonly endpointId: string | null;
  readonly toolName: string | null;
  readonly subjectUserId: string | null;
  readonly subjectRole: string | null;
  readonly effect: 'allow' | 'deny';
}

/**
 * Precedence classes, most specific first: a rule naming the user beats one naming their role, which
 * beats one for every member; within each, a rule for this endpoint beats a tenant-wide one. The first
 * class holding any matching rule decides, and within it a deny beats an allow.
 */
function precedence(rule: AccessRule, endpointId: string): number {
  const subject = rule.subjectUserId !== null ? 0 : rule.subjectRole !== null ? 1 : 2;
  return subject * 2 + (rule.endpointId === endpointId ? 0 : 1);
}

function applies(rule: AccessRule, principal: Principal, endpointId: string): boolean {
  if (rule.endpointId !== null && rule.endpointId !== endpointId) return false;
  if (rule.subjectUserId !== null)
    return principal.userId !== null && rule.subjectUserId === principal.userId;
  if (rule.subjectRole !== null) return rule.subjectRole === principal.role;
  return true;
}

/** allow / deny from the rules that match, or null when none does. */
export function decide(
  rules: readonly AccessRule[],
  principal: Principal,
  endpointId: string,
  toolName: string | null,
): 'allow' | 'deny' | null {
  let best = Number.POSITIVE_INFINITY;
  let effect: 'allow' | 'deny' | null = null;
  for (const rule of rules) {
    if (rule.toolName !== toolName || !applies(rule, principal, endpointId)) continue;
    const p = precedence(rule, endpointId);
    if (p < best) {
      best = p;
      effect = rule.effect;
    } else if (p === best && rule.effect === 'deny') {
      effect = 'deny';
    }
  }
  return effect;
}

/** The tool rules that can matter to this principal on this endpoint (for pool keys). */
export function toolRulesFor(
  rules: readonly AccessRule[],
  principal: Principal,
  endpointId: string,
): AccessRule[] {
  return rules.filter((r) => r.toolName !== null && applies(r, principal, endpointId));
}

export type { ToolPermission };
