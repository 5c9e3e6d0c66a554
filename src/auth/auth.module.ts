import { Module } from '@nestjs/common';
import { OAuthStoreModule } from '../oauth/store/oauth-store.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { McpGateService } from './mcp-gate.service.js';
import { OAuthPrincipalService } from './oauth-principal.service.js';
import { UserAccountsService } from './user-accounts.service.js';
import { UserCredentialsRepository } from './user-credentials.repository.js';

/**
 * Credentials on the MCP path (API keys, our OAuth access tokens) and user passwords. Loaded by the CLI
 * too, so it depends on nothing but the database: the authorization server itself lives in src/oauth.
 */
@Module({
  imports: [TenancyModule, OAuthStoreModule],
  providers: [
    ApiKeyRepository,
    ApiKeyService,
    McpGateService,
    AccessTokenVerifier,
    OAuthPrincipalService,
    UserCredentialsRepository,
    UserAccountsService,
  ],
  exports: [
    ApiKeyService,
    ApiKeyRepository,
    McpGateService,
    AccessTokenVerifier,
    OAuthPrincipalService,
    UserCredentialsRepository,
    UserAccountsService,
  ],
})
export class AuthModule {}
