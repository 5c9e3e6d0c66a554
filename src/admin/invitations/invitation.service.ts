import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder, type AuditActor } from '../../audit/audit.contract.js';
import { hashPassword, passwordProblem } from '../../auth/password-hasher.js';
import {
  ConflictError,
  DomainError,
  InvalidArgumentError,
  NotFoundError,
} from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { Role, Tenant } from '../../generated/prisma/client.js';
import { PasswordSignInService } from '../../oauth/interaction/password-sign-in.service.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, encodeCursor, type Page } from '../http/schemas.js';
import type { AdminSession } from '../session/admin-session.service.js';
import { InvitationRepository, type InvitationRow } from './invitation.repository.js';

export const INVITATION_TTL_MS = 7 * 86_400_000;
const TOKEN_PREFIX = 'sbi_';
const TOKEN_PATTERN = /^sbi_[A-Za-z0-9_-]{43}$/;

export interface InvitationView {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export interface InvitationLookup {
  readonly tenant: { readonly slug: string; readonly name: string };
  readonly email: string;
  readonly role: Role;
  readonly expiresAt: string;
  readonly needsPassword: boolean;
  readonly accountExists: boolean;
  readonly canSignInWithPassword: boolean;
}

function view(row: InvitationRow): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Invitations: an admin creates one for an email and a role and shares the link (no email is sent); the
 * token rides in the link's fragment (never sent to a server by the browser, never in a log), only its
 * hash is stored, it works once and for 7 days. Accepting creates the account when there is none (with a
 * password chosen then), or — for an existing account — needs that account's own password or its
 * password-signed-in dashboard session: an invitation never sets anyone's password.
 */
@Injectable()
export class InvitationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invitations: InvitationRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly passwords: PasswordSignInService,
    private readonly throttle: LoginThrottle,
    private readonly rbac: RbacService,
    private readonly audit: AuditRecorder,
  ) {}

  async create(
    ctx: TenantContext,
    emailInput: string,
    role: Role,
  ): Promise<{ invitation: InvitationView; acceptUrl: string }> {
    if (role === 'owner') this.rbac.require(ctx.principal, 'owner:write', { tenantId: ctx.tenant.id });
    const email = emailInput.trim().toLowerCase();
    const existing = await this.users.findByEmail(email);
    if (existing && (await this.memberships.find({ tenantId: ctx.tenant.id }, existing.id))) {
      throw new ConflictError(`${email} is already a member; change their role instead`, {
        reason: 'already_member',
      });
    }
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    const { invitation, replaced } = await this.invitations.create(
      { tenantId: ctx.tenant.id },
      {
        email,
        role,
        tokenHash: tokenHash(token),
        createdByType: ctx.actor.type,
        createdBy: ctx.actor.id ?? 'system',
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
      now,
    );
    await this.record(ctx.tenant.id, ctx.actor, 'invitation.create', email, {
      invitationId: invitation.id,
      role,
      expiresAt: invitation.expiresAt.toISOString(),
      replaced,
    });
    // The fragment never reaches a server (nor its logs): the dashboard reads it and posts it.
    return {
      invitation: view(invitation),
      acceptUrl: `${this.config.publicUrl}/admin/invite#token=${token}`,
    };
  }

  async listPending(
    ctx: TenantContext,
    q: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<InvitationView>> {
    const after = decodeCursor(q.cursor, 2);
    const rows = await this.invitations.listPending({ tenantId: ctx.tenant.id }, new Date(), {
      take: q.limit + 1,
      ...(after && { after: { createdAt: new Date(String(after[0])), id: String(after[1]) } }),
    });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      nextCursor:
        rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async revoke(ctx: TenantContext, id: string): Promise<void> {
    const row = await this.invitations.revoke({ tenantId: ctx.tenant.id }, id, new Date());
    if (!row) throw new NotFoundError(`pending invitation "${id}"`);
    await this.record(ctx.tenant.id, ctx.actor, 'invitation.revoke', row.email, {
      invitationId: row.id,
      role: row.role,
    });
  }

  /** What a link is for, so the page can say who invites whom and whether to choose a password. */
  async lookup(token: string, ip: string): Promise<InvitationLookup> {
    const { invitation, tenant } = await this.usable(token, ip);
    const user = await this.users.findByEmail(invitation.email);
    return {
      tenant: { slug: tenant.slug, name: tenant.name },
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      needsPassword: user === null,
      accountExists: user !== null,
      canSignInWithPassword: user !== null && user.passwordHash !== null && !user.disabled,
    };
  }

  /**
   * Uses the link. Returns the user to sign in. `session` is the caller's dashboard session, if any (its
   * CSRF token and origin already checked): a password-signed-in session of the invited account proves
   * who they are without typing the password again.
   */
  async accept(
    token: string,
    password: string | undefined,
    client: { readonly ip: string; readonly session: AdminSession | null },
  ): Promise<{ readonly userId: string; readonly tenant: Tenant; readonly usedSession: boolean }> {
    const { invitation, tenant } = await this.usable(token, client.ip);
    const user = await this.users.findByEmail(invitation.email);
    let acceptor: { kind: 'existing'; userId: string } | { kind: 'new'; email: string; passwordHash: string };
    let usedSession = false;
    if (!user) {
      if (password === undefined) {
        throw new InvalidArgumentError('choose a password for the new account', {
          issues: ['password: required to create the account'],
        });
      }
      const problem = passwordProblem(password);
      if (problem) throw new InvalidArgumentError(problem, { issues: [`password: ${problem}`] });
      acceptor = { kind: 'new', email: invitation.email, passwordHash: await hashPassword(password) };
    } else if (client.session && client.session.tenantId === null && client.session.user.id === user.id) {
      acceptor = { kind: 'existing', userId: user.id };
      usedSession = true;
    } else if (password !== undefined) {
      const checked = await this.passwords.check(invitation.email, password, client.ip);
      if (!checked.ok) {
        if (checked.reason === 'invalid') {
          throw new DomainError('unauthenticated', `The password of ${invitation.email} is incorrect.`, {
            reason: 'wrong_password',
          });
        }
        throw new DomainError('rate_limited', 'Too many failed sign-ins. Try again later.', {
          retryAfterSeconds: checked.retryAfterSeconds ?? 60,
        });
      }
      acceptor = { kind: 'existing', userId: user.id };
    } else {
      throw new DomainError(
        'unauthenticated',
        user.passwordHash === null
          ? `${invitation.email} has an account without a password: sign in to the dashboard as them first, or ask an admin of ${tenant.name} to add them as a member directly`
          : `${invitation.email} already has an account: enter its password to accept`,
        { reason: 'sign_in_required' },
      );
    }
    const outcome = await this.invitations.accept(tokenHash(token), acceptor, new Date());
    if (!outcome.ok) {
      if (outcome.reason === 'already_member') {
        throw new ConflictError(`${invitation.email} is already a member of ${tenant.name}`, {
          reason: 'already_member',
        });
      }
      if (outcome.reason === 'account_exists') {
        throw new ConflictError('an account with this email was created meanwhile: open the link again', {
          reason: 'account_exists',
        });
      }
      throw this.invalid('used');
    }
    const actor: AuditActor = { type: 'user', id: outcome.userId };
    await this.record(tenant.id, actor, 'invitation.accept', invitation.email, {
      invitationId: invitation.id,
      role: invitation.role,
      accountCreated: outcome.created,
    });
    await this.record(tenant.id, actor, 'member.add', invitation.email, {
      userId: outcome.userId,
      before: null,
      after: { role: invitation.role },
      invitationId: invitation.id,
    });
    return { userId: outcome.userId, tenant, usedSession };
  }

  /** A pending invitation by its token; refusals are counted against the caller's address. */
  private async usable(token: string, ip: string): Promise<{ invitation: InvitationRow; tenant: Tenant }> {
    const account = `invitation@${ip}`;
    const decision = await this.throttle.check(account, ip);
    if (!decision.allowed) {
      throw new DomainError('rate_limited', 'Too many invalid invitation links. Try again later.', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    const found = TOKEN_PATTERN.test(token) ? await this.invitations.findByTokenHash(tokenHash(token)) : null;
    const now = new Date();
    const problem = !found
      ? 'unknown'
      : found.acceptedAt
        ? 'used'
        : found.revokedAt
          ? 'revoked'
          : found.expiresAt <= now
            ? 'expired'
            : found.tenant.status !== 'active'
              ? 'tenant_suspended'
              : null;
    if (problem !== null || !found) {
      await this.throttle.recordFailure(account, ip);
      throw this.invalid(problem ?? 'unknown');
    }
    await this.throttle.recordSuccess(account, ip);
    const { tenant, ...invitation } = found;
    return { invitation, tenant };
  }

  private invalid(reason: 'unknown' | 'used' | 'revoked' | 'expired' | 'tenant_suspended'): DomainError {
    const messages = {
      unknown: 'This invitation link is not valid. Check that it was copied completely.',
      used: 'This invitation has already been used. Sign in instead.',
      revoked: 'This invitation was withdrawn. Ask an admin for a new one.',
      expired: 'This invitation has expired. Ask an admin for a new one.',
      tenant_suspended: 'This organisation is suspended; invitations to it cannot be accepted now.',
    } as const;
    return new DomainError(reason === 'unknown' ? 'not_found' : 'failed_precondition', messages[reason], {
      reason,
    });
  }

  private async record(
    tenantId: string,
    actor: AuditActor,
    action: string,
    target: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({ tenantId, kind: 'admin', action, actor, target, outcome: 'success', data });
  }
}
