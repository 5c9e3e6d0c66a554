import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { NotFoundError } from '../../common/domain-error.js';
import type { AccessGrant, Role } from '../../generated/prisma/client.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import type { TenantContext } from '../http/admin-context.js';

export type RuleSubject =
  | { readonly type: 'user'; readonly userId: string }
  | { readonly type: 'role'; readonly role: Role }
  | { readonly type: 'everyone' };

export interface NewRule {
  readonly endpoint: string | null;
  readonly tool: string | null;
  readonly subject: RuleSubject;
  readonly effect: 'allow' | 'deny';
}

export interface RuleView {
  readonly id: string;
  readonly endpoint: string | null;
  readonly tool: string | null;
  readonly subject:
    | { readonly type: 'user'; readonly userId: string; readonly email: string | null }
    | { readonly type: 'role'; readonly role: Role }
    | { readonly type: 'everyone' };
  readonly effect: 'allow' | 'deny';
  readonly createdAt: string;
}

/**
 * Per-endpoint and per-tool access rules (the rbac module's `AccessGrant`) through the admin API. The
 * rules apply at once on this node and within 15 s on others (RbacService's cache).
 */
@Injectable()
export class AccessRuleAdminService {
  constructor(
    private readonly rbac: RbacService,
    private readonly tenancy: TenancyService,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async list(ctx: TenantContext): Promise<RuleView[]> {
    const [rules, endpoints] = await Promise.all([
      this.rbac.listRules({ tenantId: ctx.tenant.id }),
      this.endpointSlugs(ctx),
    ]);
    return Promise.all(rules.map((r) => this.view(r, endpoints)));
  }

  async create(ctx: TenantContext, rule: NewRule): Promise<RuleView> {
    const scope = { tenantId: ctx.tenant.id };
    const endpoints = await this.endpointSlugs(ctx);
    let endpointId: string | null = null;
    if (rule.endpoint !== null) {
      endpointId = [...endpoints].find(([, slug]) => slug === rule.endpoint)?.[0] ?? null;
      if (!endpointId) throw new NotFoundError(`endpoint "${rule.endpoint}"`);
    }
    if (rule.subject.type === 'user' && !(await this.memberships.find(scope, rule.subject.userId))) {
      throw new NotFoundError(`member "${rule.subject.userId}"`);
    }
    const created = await this.rbac.addRule(scope, {
      endpointId,
      toolName: rule.tool,
      subjectUserId: rule.subject.type === 'user' ? rule.subject.userId : null,
      subjectRole: rule.subject.type === 'role' ? rule.subject.role : null,
      effect: rule.effect,
    });
    const view = await this.view(created, endpoints);
    await this.record(ctx, 'access.rule.create', view, { before: null, after: describe(view) });
    return view;
  }

  async remove(ctx: TenantContext, id: string): Promise<void> {
    const endpoints = await this.endpointSlugs(ctx);
    const existing = (await this.rbac.listRules({ tenantId: ctx.tenant.id })).find((r) => r.id === id);
    if (!existing) throw new NotFoundError(`access rule "${id}"`);
    await this.rbac.removeRule({ tenantId: ctx.tenant.id }, id);
    const view = await this.view(existing, endpoints);
    await this.record(ctx, 'access.rule.delete', view, { before: describe(view), after: null });
  }

  private async endpointSlugs(ctx: TenantContext): Promise<Map<string, string>> {
    return new Map((await this.tenancy.listEndpoints(ctx.tenant.slug)).map((e) => [e.id, e.slug]));
  }

  private async view(r: AccessGrant, endpoints: Map<string, string>): Promise<RuleView> {
    const subject: RuleView['subject'] =
      r.subjectUserId !== null
        ? {
            type: 'user',
            userId: r.subjectUserId,
            email: (await this.users.findById(r.subjectUserId))?.email ?? null,
          }
        : r.subjectRole !== null
          ? { type: 'role', role: r.subjectRole }
          : { type: 'everyone' };
    return {
      id: r.id,
      endpoint: r.endpointId === null ? null : (endpoints.get(r.endpointId) ?? null),
      tool: r.toolName,
      subject,
      effect: r.effect,
      createdAt: r.createdAt.toISOString(),
    };
  }

  private record(
    ctx: TenantContext,
    action: string,
    rule: RuleView,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action,
      actor: ctx.actor,
      target: rule.tool ?? rule.endpoint ?? '*',
      outcome: 'success',
      data: { ruleId: rule.id, ...data },
    });
  }
}

function describe(v: RuleView): Record<string, unknown> {
  return { endpoint: v.endpoint, tool: v.tool, subject: v.subject, effect: v.effect };
}
