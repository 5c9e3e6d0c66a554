import { Global, Module } from '@nestjs/common';

import { RedisService } from './redis.service.js';

/**
 * Redis connections shared by the platform (rate limits now; scale-out and cache invalidation later).
 * Global: any module injects `RedisService` and checks `configured` (or a null client) for the
 * in-process fallback.
 */
@Global()
@Module({
  providers: [RedisService],
  exports: [RedisService],
})
export class RedisModule {}
