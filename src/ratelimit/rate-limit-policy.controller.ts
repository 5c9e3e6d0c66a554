import { Body, Controller, Get, Param, Put, Req, UseGuards } from '@nestjs/common';

import { AdminApiKeyGuard, type AdminRequest } from '../auth/admin-api-key.guard.js';
import { RateLimitPolicyService, type RateLimitPolicyView } from './rate-limit-policy.service.js';

/**
 * `GET` shows a tenant's policy (plan, overrides and the limits they add up to); `PUT` replaces it with
 * `{ "plan": "team", "overrides": { … } }` (omitted overrides = none).
 */
@Controller('api/v1/tenants/:tenant/rate-limit-policy')
@UseGuards(AdminApiKeyGuard)
export class RateLimitPolicyController {
  constructor(private readonly policies: RateLimitPolicyService) {}

  @Get()
  show(@Param('tenant') tenant: string): Promise<RateLimitPolicyView> {
    return this.policies.show(tenant);
  }

  @Put()
  replace(
    @Param('tenant') tenant: string,
    @Body() body: unknown,
    @Req() req: AdminRequest,
  ): Promise<RateLimitPolicyView> {
    const actor = req.adminPrincipal;
    return this.policies.set(
      tenant,
      body,
      { type: actor?.kind ?? 'api_key', id: actor?.id ?? null },
      'replace',
    );
  }
}
