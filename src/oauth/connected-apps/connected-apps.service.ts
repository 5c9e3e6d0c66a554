import { Injectable } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { DomainError, NotFoundError } from '../../common/domain-error.js';
import type { TenantScope } from '../../common/tenant-scope.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import { OAuthServer } from '../oauth-server.service.js';
import { OAuthPayloadRepository, type GrantRow } from '../store/oauth-payload.repository.js';

/** One authorization a user gave an application in a tenant (what "connected apps" lists). */
export interface ConnectedAppView {
  readonly grantId: string;
  readonly clientId: string | null;
  readonly clientName: string | null;
  /** `cimd` when the client id is its metadata document's URL, `dcr` when it registered itself. */
  readonly clientKind: 'cimd' | 'dcr';
  readonly userId: string | null;
  readonly userEmail: string | null;
  /** Endpoint URLs the application may call, each with its scopes. */
  readonly resources: readonly { readonly resource: string; readonly scopes: readonly string[] }[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

/** Lists and revokes grants: a member their own, an admin (or owner) everyone's in the tenant. */
@Injectable()
export class ConnectedAppsService {
  constructor(
    private readonly payloads: OAuthPayloadRepository,
    private readonly server: OAuthServer,
    private readonly users: UserRepository,
    private readonly rbac: RbacService,
    private readonly audit: AuditRecorder,
  ) {}

  async list(actor: Principal, scope: TenantScope, all: boolean): Promise<ConnectedAppView[]> {
    this.requireAccess(actor, scope, all);
    const rows = await this.payloads.listGrants(
      scope,
      all ? {} : { accountId: actor.userId as string },
      new Date(),
    );
    return Promise.all(rows.map((r) => this.view(r)));
  }

  async revoke(actor: Principal, scope: TenantScope, grantId: string, all: boolean): Promise<void> {
    this.requireAccess(actor, scope, all);
    const grant = await this.payloads.findGrant(scope, grantId, new Date());
    // Someone else's grant looks exactly like a missing one to a member.
    if (!grant || (!all && grant.accountId !== actor.userId))
      throw new NotFoundError(`connected app "${grantId}"`);
    await this.server.revokeGrant(grantId);
    await this.audit.record({
      tenantId: scope.tenantId,
      kind: 'token',
      action: 'token.revoked',
      actor: { type: actor.kind === 'api_key' ? 'api_key' : 'user', id: actor.id },
      target: grant.clientId,
      outcome: 'success',
      data: {
        grantId,
        clientId: grant.clientId,
        userId: grant.accountId,
        reason: grant.accountId === actor.userId ? 'revoked_by_user' : 'revoked_by_admin',
      },
    });
  }

  private requireAccess(actor: Principal, scope: TenantScope, all: boolean): void {
    if (actor.tenantId !== scope.tenantId || actor.userId === null) {
      throw new DomainError('forbidden', 'not allowed in this tenant');
    }
    if (all && !this.rbac.roleAllows(actor.role, 'admin')) {
      throw new DomainError('forbidden', "only a tenant's admins and owners can see every connected app");
    }
  }

  private async view(row: GrantRow): Promise<ConnectedAppView> {
    const resources = Object.entries((row.payload.resources ?? {}) as Record<string, string>).map(
      ([resource, scopes]) => ({ resource, scopes: scopes.split(' ').filter(Boolean) }),
    );
    const isCimd = row.clientId?.startsWith('https://') ?? false;
    const client =
      row.clientId && !isCimd ? await this.payloads.find('Client', row.clientId, new Date()) : undefined;
    const user = row.accountId ? await this.users.findById(row.accountId) : null;
    return {
      grantId: row.grantId,
      clientId: row.clientId,
      clientName: typeof client?.client_name === 'string' ? client.client_name : isCimd ? row.clientId : null,
      clientKind: isCimd ? 'cimd' : 'dcr',
      userId: row.accountId,
      userEmail: user?.email ?? null,
      resources,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
    };
  }
}
