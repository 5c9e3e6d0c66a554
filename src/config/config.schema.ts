import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

/** Every environment variable Switchboard reads, with its default. Nothing else reads process.env. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public origin clients use, e.g. https://mcp.example.com. Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** Hosts accepted in the Host header (DNS-rebinding protection). Defaults to PUBLIC_URL's host plus localhost. */
  SWITCHBOARD_ALLOWED_HOSTS: csv.optional(),
  /** Origins accepted in the Origin header on MCP URLs. Requests without Origin are always accepted. */
  SWITCHBOARD_ALLOWED_ORIGINS: csv.optional(),
  SWITCHBOARD_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** HMAC key (base64 or hex, ≥ 32 bytes) shared by all nodes to sign modern-era requestState. */
  SWITCHBOARD_REQUEST_STATE_KEY: z.string().min(32).optional(),
  SWITCHBOARD_SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(1800),
  SWITCHBOARD_MAX_SESSIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Apply pending migrations at boot (under a database lock, so booting nodes never race). Off in
   * production releases that migrate once with `switchboard db migrate` (the Helm hook job): a node then
   * refuses to start on a schema that lacks a migration it ships with.
   */
  SWITCHBOARD_MIGRATE_ON_BOOT: bool.default(true),
  /** On SIGTERM: seconds readiness reports 503 while the node still serves, so load balancers stop routing to it. */
  SWITCHBOARD_SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  /** On SIGTERM: the most seconds spent draining in-flight requests and open streams before closing anyway. */
  SWITCHBOARD_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(25),
  /** Create the demo tenant, owner and API key when the database is new (default: on for the embedded database only). */
  SWITCHBOARD_SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),

  // --- trust and proxies
  /** Express "trust proxy": hops to trust for X-Forwarded-* (0 = none). Set when behind a load balancer. */
  SWITCHBOARD_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),

  // --- OAuth authorization server
  SWITCHBOARD_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  SWITCHBOARD_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A new token signing key is made when the signing one is this old (0: never; rotate by hand). */
  SWITCHBOARD_SIGNING_KEY_ROTATION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** Dynamically registered clients never used for this long are deleted. */
  SWITCHBOARD_DCR_CLIENT_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Cookie signing keys (comma-separated, ≥ 32 chars each; first signs). Generated into the data folder when unset. */
  SWITCHBOARD_COOKIE_KEYS: csv.optional(),
  /** Failed sign-ins before an account is locked for SWITCHBOARD_LOCKOUT_MINUTES. */
  SWITCHBOARD_LOCKOUT_THRESHOLD: z.coerce.number().int().min(3).max(100).default(10),
  SWITCHBOARD_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /**
   * Tenants' upstream identity providers that may be reached although they are not public: host names,
   * `*.domain` patterns, addresses or CIDR blocks (comma-separated). Cloud metadata addresses never are.
   */
  SWITCHBOARD_IDP_ALLOWED_HOSTS: csv.optional(),

  // --- admin API (dashboard sessions)
  /** A dashboard session left unused this long ends. */
  SWITCHBOARD_ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** A dashboard session ends this long after sign-in, however active. */
  SWITCHBOARD_ADMIN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),

  // --- vault
  /** Key-encryption key (32 bytes, hex or base64). Alternative: SWITCHBOARD_MASTER_KEY_FILE. */
  SWITCHBOARD_MASTER_KEY: z.string().min(32).optional(),
  SWITCHBOARD_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** Earlier KEKs (comma-separated, 32 bytes each), still accepted for unwrapping while `vault rotate-kek` runs. */
  SWITCHBOARD_MASTER_KEY_PREVIOUS: csv.optional(),

  // --- rate limits and shared state
  /** Redis for rate limits, session routing and cache invalidation across nodes. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * Prefix of every Redis key and channel Switchboard uses, so several installations (or test runs) can
   * share one Redis without seeing each other's counters.
   */
  SWITCHBOARD_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -')
    .default('sb:'),
  /** Plan applied to tenants without a policy of their own. */
  SWITCHBOARD_DEFAULT_PLAN: z.enum(['free', 'team', 'enterprise', 'unlimited']).default('team'),

  // --- integrations
  /** Outbound exceptions to the SSRF guard: hosts, *.domain patterns, IPs or CIDRs (comma-separated). Default: public addresses only. */
  SWITCHBOARD_EGRESS_ALLOW: csv.optional(),
  /** Folder SQLite database files may be opened from; SQLite connections are off when unset. Never the data folder. */
  SWITCHBOARD_SQLITE_DIR: z.string().min(1).optional(),

  // --- audit
  /** How long audit events are kept by default (a tenant may override); 0 keeps them forever. */
  SWITCHBOARD_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),

  // --- telemetry
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('switchboard'),
  /** Extra resource attributes on every span and metric: `key=value,key2=value2` (values percent-encoded). */
  OTEL_RESOURCE_ATTRIBUTES: z
    .string()
    .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'must be key=value pairs separated by commas')
    .optional(),
  /** Share of new traces recorded (0–1); a request that arrives with a sampled trace context is always recorded. */
  SWITCHBOARD_TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** Bearer token guarding /metrics. When unset, /metrics answers only on SWITCHBOARD_METRICS_PORT. */
  SWITCHBOARD_METRICS_TOKEN: z.string().min(16).optional(),
  /** Separate port for /metrics (bound to HOST). 0 disables the separate listener. */
  SWITCHBOARD_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),

  /**
   * Controls on the request path, for benchmarks and incident response: a comma-separated subset of
   * ratelimit,audit,telemetry. Default: all. Authentication is never optional.
   */
  SWITCHBOARD_CONTROLS: csv.optional(),
});

export type Env = z.infer<typeof envSchema>;
