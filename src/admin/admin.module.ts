import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AdminResponseInterceptor } from './http/admin-response.interceptor.js';
import { AdminGuard } from './http/admin.guard.js';
import { AdminSessionRepository } from './session/admin-session.repository.js';
import { AdminSessionService } from './session/admin-session.service.js';
import { SessionController } from './session/session.controller.js';

/** Every admin controller; the OpenAPI document is generated from the routes they declare. */
export const ADMIN_CONTROLLERS = [SessionController];

/** The admin REST API (`/api/v1`) for the dashboard and automation. Server only. */
@Module({
  imports: [TenancyModule, AuthModule, OAuthModule],
  controllers: ADMIN_CONTROLLERS,
  providers: [AdminGuard, AdminResponseInterceptor, AdminSessionRepository, AdminSessionService],
})
export class AdminModule {}
