import { Module } from '@nestjs/common';
import { OAuthPayloadRepository } from './oauth-payload.repository.js';
import { SigningKeyRepository } from './signing-key.repository.js';

/**
 * The authorization server's tables, shared by the server itself (src/oauth) and by token verification
 * on the MCP path (src/auth), which must not depend on the whole server (the CLI loads auth without it).
 */
@Module({
  providers: [OAuthPayloadRepository, SigningKeyRepository],
  exports: [OAuthPayloadRepository, SigningKeyRepository],
})
export class OAuthStoreModule {}
