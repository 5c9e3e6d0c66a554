import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../../common/tenant-scope.js';
import { PrismaService } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';

/** What oidc-provider stores for one model instance (opaque JSON to us, except the indexed columns). */
export type StoredPayload = Record<string, unknown>;

export interface PayloadColumns {
  readonly expiresAt: Date | null;
  readonly uid?: string | null;
  readonly grantId?: string | null;
  readonly userCode?: string | null;
  readonly accountId?: string | null;
  readonly clientId?: string | null;
}

/** A grant as the connected-apps lists show it. */
export interface GrantRow {
  readonly grantId: string;
  readonly tenantId: string | null;
  readonly accountId: string | null;
  readonly clientId: string | null;
  readonly payload: StoredPayload;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date | null;
}

/**
 * oidc-provider's storage on one table. Expired rows are treated as absent on read (the sweeper deletes
 * them later), so an expiry is effective at once on every node.
 */
@Injectable()
export class OAuthPayloadRepository {
  constructor(private readonly prisma: PrismaService) {}

  async upsert(model: string, id: string, payload: StoredPayload, columns: PayloadColumns): Promise<void> {
    const data = {
      payload: payload as Prisma.InputJsonValue,
      expiresAt: columns.expiresAt,
      uid: columns.uid ?? null,
      grantId: columns.grantId ?? null,
      userCode: columns.userCode ?? null,
      accountId: columns.accountId ?? null,
      clientId: columns.clientId ?? null,
    };
    // tenantId and consumedAt are left alone on update: the consent step tags grants, consume() marks use.
    await this.prisma.oAuthPayload.upsert({
      where: { model_id: { model, id } },
      create: { model, id, ...data },
      update: data,
    });
  }

  async find(model: string, id: string, now: Date): Promise<StoredPayload | undefined> {
    const row = await this.prisma.oAuthPayload.findUnique({ where: { model_id: { model, id } } });
    return row ? live(row, now) : undefined;
  }

  async findBy(
    model: string,
    column: 'uid' | 'userCode',
    value: string,
    now: Date,
  ): Promise<StoredPayload | undefined> {
    const row = await this.prisma.oAuthPayload.findFirst({ where: { model, [column]: value } });
    return row ? live(row, now) : undefined;
  }

  async consume(model: string, id: string, at: Date): Promise<void> {
    await this.prisma.oAuthPayload.updateMany({ where: { model, id }, data: { consumedAt: at } });
  }

  /** Deletes one row and returns what it held (the caller reports grant revocations). */
  async destroy(
    model: string,
    id: string,
  ): Promise<{ tenantId: string | null; accountId: string | null; clientId: string | null } | null> {
    const row = await this.prisma.oAuthPayload.findUnique({
      where: { model_id: { model, id } },
      select: { tenantId: true, accountId: true, clientId: true },
    });
    if (!row) return null;
    await this.prisma.oAuthPayload.deleteMany({ where: { model, id } });
    return row;
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    await this.prisma.oAuthPayload.deleteMany({ where: { model, grantId } });
  }

  // --- grants ------------------------------------------------------------------------------------------

  /** The live grant a user gave a client for one tenant, to reuse consent across provider sessions. */
  async findGrantId(
    scope: TenantScope,
    accountId: string,
    clientId: string,
    now: Date,
  ): Promise<string | null> {
    const row = await this.prisma.oAuthPayload.findFirst({
      where: {
        model: 'Grant',
        tenantId: scope.tenantId,
        accountId,
        clientId,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      orderBy: { updatedAt: 'desc' },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  async tagGrant(scope: TenantScope, grantId: string): Promise<void> {
    await this.prisma.oAuthPayload.updateMany({
      where: { model: 'Grant', id: grantId },
      data: { tenantId: scope.tenantId },
    });
  }

  /** Tenant, user and liveness of a grant: what token verification needs (cached by the caller). */
  async grantState(
    grantId: string,
    now: Date,
  ): Promise<{ tenantId: string | null; accountId: string | null } | null> {
    const row = await this.prisma.oAuthPayload.findUnique({
      where: { model_id: { model: 'Grant', id: grantId } },
      select: { tenantId: true, accountId: true, expiresAt: true },
    });
    if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
    return { tenantId: row.tenantId, accountId: row.accountId };
  }

  listGrants(scope: TenantScope, filter: { readonly accountId?: string }, now: Date): Promise<GrantRow[]> {
    return this.prisma.oAuthPayload
      .findMany({
        where: {
          model: 'Grant',
          tenantId: scope.tenantId,
          ...(filter.accountId ? { accountId: filter.accountId } : {}),
          OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        },
        orderBy: { createdAt: 'desc' },
        take: 1000,
      })
      .then((rows) =>
        rows.map((r) => ({
          grantId: r.id,
          tenantId: r.tenantId,
          accountId: r.accountId,
          clientId: r.clientId,
          payload: r.payload as StoredPayload,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          expiresAt: r.expiresAt,
        })),
      );
  }

  async findGrant(scope: TenantScope, grantId: string, now: Date): Promise<GrantRow | null> {
    const rows = await this.prisma.oAuthPayload.findMany({
      where: { model: 'Grant', id: grantId, tenantId: scope.tenantId },
    });
    const r = rows[0];
    if (!r || (r.expiresAt && r.expiresAt <= now)) return null;
    return {
      grantId: r.id,
      tenantId: r.tenantId,
      accountId: r.accountId,
      clientId: r.clientId,
      payload: r.payload as StoredPayload,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      expiresAt: r.expiresAt,
    };
  }

  // --- clients and housekeeping ------------------------------------------------------------------------

  /** Pushes a registered client's expiry forward when it is used; CIMD clients have no row and are unaffected. */
  async extendClient(clientId: string, expiresAt: Date): Promise<void> {
    await this.prisma.oAuthPayload.updateMany({
      where: { model: 'Client', id: clientId },
      data: { expiresAt },
    });
  }

  async deleteExpired(now: Date): Promise<Record<string, number>> {
    const groups = await this.prisma.oAuthPayload.groupBy({
      by: ['model'],
      where: { expiresAt: { lte: now } },
      _count: { _all: true },
    });
    await this.prisma.oAuthPayload.deleteMany({ where: { expiresAt: { lte: now } } });
    return Object.fromEntries(groups.map((g) => [g.model, g._count._all]));
  }
}

function live(
  row: { payload: unknown; expiresAt: Date | null; consumedAt: Date | null },
  now: Date,
): StoredPayload | undefined {
  if (row.expiresAt && row.expiresAt <= now) return undefined;
  const payload = row.payload as StoredPayload;
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}
