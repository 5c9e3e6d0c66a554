import { Global, Module } from '@nestjs/common';

import { InvalidationBus } from './invalidation-bus.js';
import { RedisService } from './redis.service.js';

/**
 * Redis connections shared by the platform (rate limits, legacy MCP sessions, cache invalidation) and the
 * `InvalidationBus` built on them. Global: any module injects `RedisService` and checks `configured` (or a
 * null client) for the in-process fallback.
 */
@Global()
@Module({
  providers: [RedisService, InvalidationBus],
  exports: [RedisService, InvalidationBus],
})
export class RedisModule {}
