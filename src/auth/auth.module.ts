import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { McpGateService } from './mcp-gate.service.js';

@Module({
  imports: [TenancyModule],
  providers: [ApiKeyRepository, ApiKeyService, McpGateService],
  exports: [ApiKeyService, McpGateService],
})
export class AuthModule {}
