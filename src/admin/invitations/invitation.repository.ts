import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../../common/tenant-scope.js';
import { PrismaService } from '../../database/prisma.service.js';
import type { Invitation, Role, Tenant } from '../../generated/prisma/client.js';

export type InvitationRow = Invitation;

export interface NewInvitation {
  readonly email: string;
  readonly role: Role;
  readonly tokenHash: string;
  readonly createdByType: string;
  readonly createdBy: string;
  readonly expiresAt: Date;
}

/** How an acceptance identifies the person: an account that exists, or one to create with this hash. */
export type Acceptor =
  | { readonly kind: 'existing'; readonly userId: string }
  | { readonly kind: 'new'; readonly email: string; readonly passwordHash: string };

export type AcceptOutcome =
  | { readonly ok: true; readonly userId: string; readonly created: boolean }
  | { readonly ok: false; readonly reason: 'gone' | 'already_member' | 'account_exists' };

class Rollback extends Error {
  constructor(readonly reason: 'gone' | 'already_member' | 'account_exists') {
    super(reason);
  }
}

/** Invitations to a tenant. Only a hash of each link's token is stored; a token works once. */
@Injectable()
export class InvitationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates an invitation; a pending one for the same email is revoked in the same transaction. */
  create(
    scope: TenantScope,
    data: NewInvitation,
    now: Date,
  ): Promise<{ readonly invitation: InvitationRow; readonly replaced: string[] }> {
    return this.prisma.$transaction(async (tx) => {
      const pending = await tx.invitation.findMany({
        where: { tenantId: scope.tenantId, email: data.email, ...pendingAt(now) },
        select: { id: true },
      });
      if (pending.length > 0) {
        await tx.invitation.updateMany({
          where: { id: { in: pending.map((p) => p.id) } },
          data: { revokedAt: now },
        });
      }
      const invitation = await tx.invitation.create({ data: { tenantId: scope.tenantId, ...data } });
      return { invitation, replaced: pending.map((p) => p.id) };
    });
  }

  /** Pending invitations (not used, revoked or expired), newest first; `after` is the last seen. */
  listPending(
    scope: TenantScope,
    now: Date,
    page: { readonly take: number; readonly after?: { readonly createdAt: Date; readonly id: string } },
  ): Promise<InvitationRow[]> {
    return this.prisma.invitation.findMany({
      where: {
        tenantId: scope.tenantId,
        ...pendingAt(now),
        ...(page.after && {
          OR: [
            { createdAt: { lt: page.after.createdAt } },
            { createdAt: page.after.createdAt, id: { lt: page.after.id } },
          ],
        }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.take,
    });
  }

  /** Revokes a pending invitation; null when there is none by that id. */
  async revoke(scope: TenantScope, id: string, now: Date): Promise<InvitationRow | null> {
    const { count } = await this.prisma.invitation.updateMany({
      where: { id, tenantId: scope.tenantId, ...pendingAt(now) },
      data: { revokedAt: now },
    });
    return count > 0 ? this.prisma.invitation.findFirst({ where: { id, tenantId: scope.tenantId } }) : null;
  }

  /**
   * The invitation a link's token names, with its tenant. Not tenant-scoped: the token (by its hash) is
   * the only way in, and it names exactly one invitation.
   */
  findByTokenHash(tokenHash: string): Promise<(InvitationRow & { tenant: Tenant }) | null> {
    return this.prisma.invitation.findUnique({ where: { tokenHash }, include: { tenant: true } });
  }

  /**
   * Uses an invitation: marks it accepted (only if still pending), creates the account when asked to, and
   * adds the membership — all or nothing, so a token cannot be used twice and a failure leaves no trace.
   */
  async accept(tokenHash: string, who: Acceptor, now: Date): Promise<AcceptOutcome> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const invitation = await tx.invitation.findUnique({ where: { tokenHash } });
        if (!invitation) throw new Rollback('gone');
        const used = await tx.invitation.updateMany({
          where: { id: invitation.id, ...pendingAt(now) },
          data: { acceptedAt: now },
        });
        if (used.count === 0) throw new Rollback('gone');
        let userId: string;
        if (who.kind === 'new') {
          const existing = await tx.user.findUnique({ where: { email: who.email }, select: { id: true } });
          if (existing) throw new Rollback('account_exists');
          userId = (await tx.user.create({ data: { email: who.email, passwordHash: who.passwordHash } })).id;
        } else {
          userId = who.userId;
        }
        const member = await tx.membership.findUnique({
          where: { tenantId_userId: { tenantId: invitation.tenantId, userId } },
        });
        if (member) throw new Rollback('already_member');
        await tx.membership.create({
          data: { tenantId: invitation.tenantId, userId, role: invitation.role },
        });
        await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedBy: userId } });
        return { ok: true as const, userId, created: who.kind === 'new' };
      });
    } catch (e) {
      if (e instanceof Rollback) return { ok: false, reason: e.reason };
      throw e;
    }
  }
}

function pendingAt(now: Date) {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
}
