export { RedisModule } from './redis.module.js';
export {
  RedisService,
  reconnectDelay,
  redactRedisUrl,
  type RedisConnectionRole,
  type RedisStatus,
} from './redis.service.js';
export { InvalidationBus, type BusDelivery, type BusListener } from './invalidation-bus.js';
