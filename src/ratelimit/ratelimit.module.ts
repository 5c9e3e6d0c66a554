import { Global, Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { RedisModule } from '../redis/index.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { LimiterPool } from './limiter-pool.js';
import { LoginThrottle } from './login-throttle.contract.js';
import { RateLimitLoginThrottle } from './login-throttle.service.js';
import { McpRateLimitInterceptors } from './mcp-rate-limit.interceptors.js';
import { RateLimitPolicyRepository } from './rate-limit-policy.repository.js';
import { RateLimitPolicyService } from './rate-limit-policy.service.js';
import { RateLimitService } from './rate-limit.service.js';

/**
 * Rate limits and brute-force protection. Global: `LoginThrottle` (sign-in and token endpoints),
 * `RateLimitService` (counters and `stats()` for telemetry) and `RateLimitPolicyService` (plans).
 * Registers the MCP interceptors when the `ratelimit` control is on and an MCP host is present.
 */
@Global()
@Module({
  imports: [RedisModule, AuthModule, TenancyModule],
  providers: [
    LimiterPool,
    RateLimitLoginThrottle,
    { provide: LoginThrottle, useExisting: RateLimitLoginThrottle },
    RateLimitPolicyRepository,
    RateLimitPolicyService,
    RateLimitService,
    McpRateLimitInterceptors,
  ],
  exports: [LoginThrottle, RateLimitService, RateLimitPolicyService],
})
export class RateLimitModule {}
