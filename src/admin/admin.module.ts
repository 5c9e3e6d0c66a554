import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { IdentityProviderModule } from '../oauth/upstream/identity-provider.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { WorkspaceModule } from '../workspace/workspace.module.js';
import { AccessRuleAdminService } from './access/access-rule-admin.service.js';
import { AccessRulesController } from './access/access-rules.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { CheckAdminService } from './checks/check-admin.service.js';
import { CheckCallbacks } from './checks/check-callbacks.js';
import { CheckEgress } from './checks/check-egress.js';
import { CheckSignIn } from './checks/check-sign-in.service.js';
import { ChecksController } from './checks/checks.controller.js';
import { ConnectionAdminService } from './connections/connection-admin.service.js';
import { ConnectionsController } from './connections/connections.controller.js';
import { PacksController } from './connections/packs.controller.js';
import { EndpointAdminService } from './endpoints/endpoint-admin.service.js';
import { EndpointsController } from './endpoints/endpoints.controller.js';
import { ToolCatalogueService } from './endpoints/tool-catalogue.service.js';
import { GrantsController } from './grants/grants.controller.js';
import { AdminResponseInterceptor } from './http/admin-response.interceptor.js';
import { AdminGuard } from './http/admin.guard.js';
import { ApiKeyAdminService } from './keys/api-key-admin.service.js';
import { IdentityProviderController } from './identity/identity-provider.controller.js';
import { InvitationRepository } from './invitations/invitation.repository.js';
import { InvitationService } from './invitations/invitation.service.js';
import { InvitationsController } from './invitations/invitations.controller.js';
import { JobAdminService } from './jobs/job-admin.service.js';
import { JobsController } from './jobs/jobs.controller.js';
import { ApiKeysController } from './keys/api-keys.controller.js';
import { MemberAdminService } from './members/member-admin.service.js';
import { MembersController } from './members/members.controller.js';
import { AdminSessionRepository } from './session/admin-session.repository.js';
import { AdminSessionService } from './session/admin-session.service.js';
import { AdminSsoService } from './session/admin-sso.service.js';
import { SessionController } from './session/session.controller.js';
import { SessionViews } from './session/session-view.js';
import { RateLimitController } from './settings/rate-limit.controller.js';
import { PlatformController } from './tenants/platform.controller.js';
import { TenantAdminService } from './tenants/tenant-admin.service.js';
import { TenantsController } from './tenants/tenants.controller.js';
import { UsageController } from './usage/usage.controller.js';
import { UsageRepository } from './usage/usage.repository.js';
import { UsageService } from './usage/usage.service.js';
import { VaultAdminService } from './vault/vault-admin.service.js';
import { VaultController } from './vault/vault.controller.js';
import { WorkspaceController } from './workspace/workspace.controller.js';

/** Every admin controller; the OpenAPI document is generated from the routes they declare. */
export const ADMIN_CONTROLLERS = [
  SessionController,
  PlatformController,
  TenantsController,
  UsageController,
  EndpointsController,
  ConnectionsController,
  PacksController,
  MembersController,
  ApiKeysController,
  GrantsController,
  WorkspaceController,
  RateLimitController,
  AuditController,
  JobsController,
  ChecksController,
  InvitationsController,
  IdentityProviderController,
  VaultController,
  AccessRulesController,
];

/**
 * The admin REST API (`/api/v1`) for the dashboard and automation. Server only. Needs the global
 * AuditRecorder, AuditService, RbacService, VaultService, PackRegistry and RateLimitPolicyService.
 */
@Module({
  imports: [TenancyModule, AuthModule, OAuthModule, IdentityProviderModule, WorkspaceModule, JobsModule],
  controllers: ADMIN_CONTROLLERS,
  providers: [
    AdminGuard,
    AdminResponseInterceptor,
    AdminSessionRepository,
    AdminSessionService,
    AdminSsoService,
    TenantAdminService,
    EndpointAdminService,
    ToolCatalogueService,
    ConnectionAdminService,
    MemberAdminService,
    ApiKeyAdminService,
    UsageRepository,
    UsageService,
    JobAdminService,
    CheckEgress,
    CheckCallbacks,
    CheckSignIn,
    CheckAdminService,
    SessionViews,
    InvitationRepository,
    InvitationService,
    VaultAdminService,
    AccessRuleAdminService,
  ],
})
export class AdminModule {}
