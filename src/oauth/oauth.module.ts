import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import express from 'express';
import { AuthModule } from '../auth/auth.module.js';
import { McpAuthorizationInterceptor } from '../auth/mcp-authorization.interceptor.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { ConnectedAppsController } from './connected-apps/connected-apps.controller.js';
import { ConnectedAppsService } from './connected-apps/connected-apps.service.js';
import { DelegatedAuthorizationService } from './interaction/delegated-authorization.service.js';
import { InteractionController } from './interaction/interaction.controller.js';
import { InteractionService } from './interaction/interaction.service.js';
import { PasswordSignInService } from './interaction/password-sign-in.service.js';
import { OAuthServer } from './oauth-server.service.js';
import { OAuthSweeperService } from './oauth-sweeper.service.js';
import { SigningKeyRotationService } from './signing-key-rotation.service.js';
import { SigningKeysService } from './signing-keys.service.js';
import { OAuthStoreModule } from './store/oauth-store.module.js';
import { IdentityProviderModule } from './upstream/identity-provider.module.js';
import { UpstreamSignInController } from './upstream/upstream-sign-in.controller.js';
import { UpstreamSignInService } from './upstream/upstream-sign-in.service.js';
import { WellKnownController } from './well-known.controller.js';

/**
 * The authorization server and everything around it: discovery documents, sign-in and consent pages,
 * connected apps. Needs the global AuditRecorder, LoginThrottle and PlatformSecrets.
 */
@Module({
  imports: [AuthModule, TenancyModule, OAuthStoreModule, IdentityProviderModule],
  controllers: [
    WellKnownController,
    InteractionController,
    ConnectedAppsController,
    UpstreamSignInController,
  ],
  providers: [
    OAuthServer,
    SigningKeysService,
    PasswordSignInService,
    InteractionService,
    UpstreamSignInService,
    OAuthSweeperService,
    SigningKeyRotationService,
    ConnectedAppsService,
    DelegatedAuthorizationService,
    // Here rather than in AuthModule: it needs the MCP host, which the CLI does not load.
    McpAuthorizationInterceptor,
  ],
  exports: [
    OAuthServer,
    SigningKeysService,
    PasswordSignInService,
    ConnectedAppsService,
    UpstreamSignInService,
    DelegatedAuthorizationService,
  ],
})
export class OAuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The pages post plain HTML forms; nothing else in the app takes urlencoded bodies.
    consumer
      .apply(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }))
      .forRoutes({ path: 'interaction/*path', method: RequestMethod.POST });
  }
}
