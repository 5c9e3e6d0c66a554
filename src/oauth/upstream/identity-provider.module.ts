import { Module } from '@nestjs/common';
import { TenancyModule } from '../../tenancy/tenancy.module.js';
import { IdentityProviderRepository } from './identity-provider.repository.js';
import { IdentityProviderService } from './identity-provider.service.js';
import { UpstreamOidcClient } from './upstream-oidc.client.js';

/**
 * Tenants' upstream OpenID Connect providers: configuration (also loaded by the CLI) and the guarded
 * openid-client. The sign-in flow itself is registered in OAuthModule, next to the pages it extends.
 * Needs the global PlatformSecrets and AuditRecorder.
 */
@Module({
  imports: [TenancyModule],
  providers: [IdentityProviderRepository, IdentityProviderService, UpstreamOidcClient],
  exports: [IdentityProviderService, UpstreamOidcClient],
})
export class IdentityProviderModule {}
