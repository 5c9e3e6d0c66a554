import { Module } from '@nestjs/common';
import { RedisModule } from '../redis/redis.module.js';
import { ConnectionRepository } from './connection.repository.js';
import { EndpointCache } from './endpoint-cache.js';
import { EndpointEvents } from './endpoint-events.js';
import { EndpointRepository } from './endpoint.repository.js';
import { MembershipRepository } from './membership.repository.js';
import { TenancyService } from './tenancy.service.js';
import { TenantRepository } from './tenant.repository.js';
import { UserRepository } from './user.repository.js';

@Module({
  imports: [RedisModule],
  providers: [
    UserRepository,
    TenantRepository,
    EndpointRepository,
    ConnectionRepository,
    MembershipRepository,
    EndpointCache,
    EndpointEvents,
    TenancyService,
  ],
  exports: [
    TenancyService,
    EndpointEvents,
    MembershipRepository,
    UserRepository,
    TenantRepository,
    EndpointRepository,
    ConnectionRepository,
  ],
})
export class TenancyModule {}
