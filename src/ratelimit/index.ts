export { RateLimitModule } from './ratelimit.module.js';
export { LoginThrottle, type ThrottleDecision } from './login-throttle.contract.js';
export {
  RateLimitService,
  principalKey,
  type LimitDecision,
  type LimitState,
  type McpLimitScope,
  type RateLimitStats,
} from './rate-limit.service.js';
export {
  RateLimitPolicyService,
  type PolicyActor,
  type PolicyWriteMode,
  type RateLimitPolicyView,
} from './rate-limit-policy.service.js';
export {
  PLAN_DEFAULTS,
  PLAN_NAMES,
  effectiveLimits,
  type EffectiveLimits,
  type PlanName,
  type RateLimitOverrides,
  type RateRule,
} from './rate-limit-plans.js';
export {
  RATE_LIMIT_META_KEY,
  JSONRPC_RATE_LIMITED,
  type RateLimitDetail,
} from './mcp-rate-limit.interceptors.js';
