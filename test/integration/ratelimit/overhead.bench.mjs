// Micro-benchmark: what the rate-limit control adds to one MCP request, in process, with the in-memory
// store and with Redis. Measures the registered interceptors themselves (policy cache, tenant + principal
// counters, RateLimit fields; one tool call's counter) around a no-op, against the bare chain.
//
//   npx nest build && node test/integration/ratelimit/overhead.bench.mjs [redis://127.0.0.1:6379]
//
// Prints mean latency per request (sequential) and throughput with 64 requests in flight.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const dist = new URL('../../../dist/src/', import.meta.url);
const load = (p) => import(new URL(p, dist).href);
const { loadConfig } = await load('config/index.js');
const { RedisService } = await load('redis/index.js');
const { LimiterPool } = await load('ratelimit/limiter-pool.js');
const { RateLimitLoginThrottle } = await load('ratelimit/login-throttle.service.js');
const { RateLimitPolicyService } = await load('ratelimit/rate-limit-policy.service.js');
const { RateLimitService } = await load('ratelimit/rate-limit.service.js');
const { McpRateLimitInterceptors } = await load('ratelimit/mcp-rate-limit.interceptors.js');
const { McpInterceptors } = await load('mcp/mcp-interceptors.js');

const TENANTS = 100;
const PRINCIPALS = 1000;
const SEQUENTIAL = 20_000;
const CONCURRENT_TOTAL = 40_000;
const IN_FLIGHT = 64;

function fakeResponse() {
  const r = {
    statusCode: 200,
    headersSent: false,
    setHeader: () => r,
    set: () => r,
    status: (c) => ((r.statusCode = c), r),
    end: () => ((r.headersSent = true), r),
  };
  return r;
}

async function build(redisUrl) {
  const prefix = `sbbench-${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({
    LOG_LEVEL: 'error',
    SWITCHBOARD_REDIS_KEY_PREFIX: prefix,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });
  const redis = new RedisService(config);
  await redis.onModuleInit();
  const pool = new LimiterPool(redis);
  // The real policy service and cache over a repository that answers at once (a cache miss costs a
  // database read in production; after the first request per tenant every lookup is a cache hit).
  const repository = {
    find: async () => ({ plan: 'enterprise', overrides: {}, tenantId: 'x', updatedAt: new Date() }),
  };
  const tenancy = { getTenant: async () => ({ id: 'x', slug: 'x' }) };
  const policies = new RateLimitPolicyService(repository, tenancy, redis, config, undefined);
  const limits = new RateLimitService(pool, policies, new RateLimitLoginThrottle(pool, config));
  const chain = new McpInterceptors();
  new McpRateLimitInterceptors(config, limits, chain, undefined).onModuleInit();
  return { chain, redis, prefix, limits };
}

const endpoints = Array.from({ length: TENANTS }, (_, i) => ({
  tenant: { id: `tenant-${i}`, slug: `t${i}`, name: 't' },
  endpoint: { id: `e${i}`, slug: 'default', name: 'Default', isDefault: true, public: false },
  path: `/t/t${i}/mcp`,
  connections: [],
  generation: 1,
}));

function oneRequest(chain, i) {
  const endpoint = endpoints[i % TENANTS];
  const principal = {
    kind: 'api_key',
    id: `key-${i % PRINCIPALS}`,
    tenantId: endpoint.tenant.id,
    userId: null,
    role: 'member',
    scopes: ['mcp'],
  };
  const req = { ip: '127.0.0.1', socket: {}, body: { jsonrpc: '2.0', id: i, method: 'tools/call' } };
  const call = { endpoint, principal, toolName: 'search', args: {}, startedAt: 0 };
  return chain.runRequest({ endpoint, principal, req, rpcMethods: ['tools/call'] }, fakeResponse(), () =>
    chain.runToolCall(call, async () => ({ content: [] })).then(() => undefined),
  );
}

async function sequential(chain) {
  for (let i = 0; i < 2000; i++) await oneRequest(chain, i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await oneRequest(chain, i);
  return ((performance.now() - t0) * 1000) / SEQUENTIAL;
}

async function concurrent(chain) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CONCURRENT_TOTAL) await oneRequest(chain, next++);
    }),
  );
  return CONCURRENT_TOTAL / ((performance.now() - t0) / 1000);
}

const redisUrl = process.argv[2] ?? process.env.TEST_REDIS_URL ?? null;
const rows = [];
const bare = new McpInterceptors();
rows.push(['no rate limit (bare chain)', await sequential(bare), await concurrent(bare)]);
const memory = await build(null);
rows.push(['in-memory store', await sequential(memory.chain), await concurrent(memory.chain)]);
if (redisUrl) {
  const r = await build(redisUrl);
  rows.push([`Redis (${new URL(redisUrl).host})`, await sequential(r.chain), await concurrent(r.chain)]);
  const stats = r.limits.stats();
  if (stats.insuranceDecisions > 0)
    console.warn(`warning: ${stats.insuranceDecisions} decisions fell back to memory`);
  const keys = await r.redis.client.keys(`${r.prefix}*`);
  for (let i = 0; i < keys.length; i += 500) await r.redis.client.del(...keys.slice(i, i + 500));
  await r.redis.onApplicationShutdown();
}
const base = rows[0][1];
console.log(
  `node ${process.version}; ${TENANTS} tenants, ${PRINCIPALS} principals; one request = request counters + one tool call`,
);
console.log('store                         mean µs/request  added µs   requests/s (64 in flight)');
for (const [name, us, rps] of rows) {
  console.log(
    `${name.padEnd(30)}${us.toFixed(1).padStart(14)}${(us - base).toFixed(1).padStart(10)}${Math.round(rps).toString().padStart(16)}`,
  );
}
process.exit(0);
