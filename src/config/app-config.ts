import { resolve } from 'node:path';

import { envSchema } from './config.schema.js';

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Origin used to build public URLs when no proxy headers apply (no trailing slash). */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };
  readonly http: {
    readonly allowedHosts: readonly string[];
    readonly allowedOrigins: readonly string[] | null;
    readonly maxBodyBytes: number;
  };
  readonly mcp: {
    readonly requestStateKey: string | null;
    readonly sessionIdleSeconds: number;
    readonly maxSessions: number;
  };
  readonly seedDemo: boolean;
  /** Apply pending migrations at boot (true), or only check that none is pending (false). */
  readonly migrateOnBoot: boolean;
  readonly shutdown: {
    /** Seconds readiness is down before the node stops accepting connections. */
    readonly delaySeconds: number;
    /** Bound on draining in-flight requests and open streams. */
    readonly timeoutSeconds: number;
  };
  readonly log: { readonly level: string; readonly pretty: boolean };
  readonly trustProxyHops: number;
  readonly oauth: {
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlDays: number;
    readonly dcrClientTtlDays: number;
    /** Age of the signing key at which a new one is made (0: never). */
    readonly signingKeyRotationDays: number;
    readonly cookieKeys: readonly string[] | null;
    readonly lockoutThreshold: number;
    readonly lockoutMinutes: number;
    /**
     * Tests only, never read from the environment: https origins of Client ID Metadata Documents that
     * are fetched from these loopback http origins instead (bypassing the SSRF guard for them alone).
     */
    readonly testCimdOrigins?: Readonly<Record<string, string>>;
    /** Non-public upstream identity providers the operator allows (SWITCHBOARD_IDP_ALLOWED_HOSTS). */
    readonly idpAllowedHosts: readonly string[];
    /**
     * Tests only, never read from the environment: upstream identity providers on loopback may be
     * reached, over plain http.
     */
    readonly testIdpLoopback?: boolean;
  };
  readonly admin: {
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
  };
  readonly vault: {
    readonly masterKey: string | null;
    readonly masterKeyFile: string | null;
    /** Earlier key-encryption keys, accepted for unwrapping only (during and after a KEK rotation). */
    readonly previousMasterKeys: readonly string[];
  };
  readonly redisUrl: string | null;
  /** Prefix of every Redis key and channel (default `sb:`). */
  readonly redisKeyPrefix: string;
  readonly rateLimit: { readonly defaultPlan: 'free' | 'team' | 'enterprise' | 'unlimited' };
  readonly audit: { readonly retentionDays: number };
  readonly egress: { readonly allow: readonly string[] };
  readonly databases: { readonly sqliteDir: string | null };
  readonly telemetry: {
    readonly otlpEndpoint: string | null;
    readonly serviceName: string;
    /** From OTEL_RESOURCE_ATTRIBUTES, decoded. */
    readonly resourceAttributes: Readonly<Record<string, string>>;
    /** Share of root traces sampled (parent-based: a sampled caller's trace is always kept). */
    readonly traceSampleRatio: number;
    readonly metricsToken: string | null;
    readonly metricsPort: number;
  };
  readonly controls: { readonly ratelimit: boolean; readonly audit: boolean; readonly telemetry: boolean };
}

const CONTROL_NAMES = ['ratelimit', 'audit', 'telemetry'] as const;

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and returns a frozen, typed configuration, or throws naming every bad variable. */
export function loadConfig(source: Readonly<Record<string, string | undefined>>): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const publicHost = new URL(publicUrl).host;
  const dataDir = resolve(e.SWITCHBOARD_DATA_DIR);
  const allowedHosts = e.SWITCHBOARD_ALLOWED_HOSTS ?? [
    publicHost,
    `localhost:${e.PORT}`,
    `127.0.0.1:${e.PORT}`,
    `[::1]:${e.PORT}`,
    'localhost',
    '127.0.0.1',
    '[::1]',
  ];
  if (
    e.SWITCHBOARD_REQUEST_STATE_KEY !== undefined &&
    decodeKey(e.SWITCHBOARD_REQUEST_STATE_KEY).length < 32
  ) {
    throw new ConfigError([
      'SWITCHBOARD_REQUEST_STATE_KEY: must decode to at least 32 bytes (base64 or hex)',
    ]);
  }
  if (e.SWITCHBOARD_MASTER_KEY !== undefined && decodeKey(e.SWITCHBOARD_MASTER_KEY).length !== 32) {
    throw new ConfigError([
      'SWITCHBOARD_MASTER_KEY: must decode to exactly 32 bytes (64 hex characters or base64)',
    ]);
  }
  if ((e.SWITCHBOARD_MASTER_KEY_PREVIOUS ?? []).some((k) => decodeKey(k).length !== 32)) {
    throw new ConfigError([
      'SWITCHBOARD_MASTER_KEY_PREVIOUS: every key must decode to exactly 32 bytes (hex or base64)',
    ]);
  }
  if (e.SWITCHBOARD_MASTER_KEY !== undefined && e.SWITCHBOARD_MASTER_KEY_FILE !== undefined) {
    throw new ConfigError(['SWITCHBOARD_MASTER_KEY_FILE: set either it or SWITCHBOARD_MASTER_KEY, not both']);
  }
  const config: AppConfig = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    http: {
      allowedHosts: [...new Set(allowedHosts.map((h) => h.toLowerCase()))],
      allowedOrigins: e.SWITCHBOARD_ALLOWED_ORIGINS ?? null,
      maxBodyBytes: e.SWITCHBOARD_MAX_BODY_BYTES,
    },
    mcp: {
      requestStateKey: e.SWITCHBOARD_REQUEST_STATE_KEY ?? null,
      sessionIdleSeconds: e.SWITCHBOARD_SESSION_IDLE_SECONDS,
      maxSessions: e.SWITCHBOARD_MAX_SESSIONS,
    },
    seedDemo: e.SWITCHBOARD_SEED_DEMO ?? e.DATABASE_URL === undefined,
    migrateOnBoot: e.SWITCHBOARD_MIGRATE_ON_BOOT,
    shutdown: {
      delaySeconds: e.SWITCHBOARD_SHUTDOWN_DELAY_SECONDS,
      timeoutSeconds: e.SWITCHBOARD_SHUTDOWN_TIMEOUT_SECONDS,
    },
    log: {
      level: e.LOG_LEVEL,
      pretty: e.LOG_PRETTY ?? (e.NODE_ENV === 'development' && process.stdout.isTTY),
    },
    trustProxyHops: e.SWITCHBOARD_TRUST_PROXY_HOPS,
    oauth: {
      accessTokenTtlSeconds: e.SWITCHBOARD_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.SWITCHBOARD_REFRESH_TOKEN_TTL_DAYS,
      dcrClientTtlDays: e.SWITCHBOARD_DCR_CLIENT_TTL_DAYS,
      signingKeyRotationDays: e.SWITCHBOARD_SIGNING_KEY_ROTATION_DAYS,
      cookieKeys: e.SWITCHBOARD_COOKIE_KEYS ?? null,
      lockoutThreshold: e.SWITCHBOARD_LOCKOUT_THRESHOLD,
      lockoutMinutes: e.SWITCHBOARD_LOCKOUT_MINUTES,
      idpAllowedHosts: e.SWITCHBOARD_IDP_ALLOWED_HOSTS ?? [],
    },
    admin: {
      sessionIdleMinutes: e.SWITCHBOARD_ADMIN_SESSION_IDLE_MINUTES,
      sessionMaxHours: e.SWITCHBOARD_ADMIN_SESSION_MAX_HOURS,
    },
    vault: {
      masterKey: e.SWITCHBOARD_MASTER_KEY ?? null,
      masterKeyFile: e.SWITCHBOARD_MASTER_KEY_FILE ?? null,
      previousMasterKeys: e.SWITCHBOARD_MASTER_KEY_PREVIOUS ?? [],
    },
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.SWITCHBOARD_REDIS_KEY_PREFIX,
    rateLimit: { defaultPlan: e.SWITCHBOARD_DEFAULT_PLAN },
    audit: { retentionDays: e.SWITCHBOARD_AUDIT_RETENTION_DAYS },
    egress: { allow: e.SWITCHBOARD_EGRESS_ALLOW ?? [] },
    databases: { sqliteDir: sqliteDirFrom(e.SWITCHBOARD_SQLITE_DIR, dataDir) },
    telemetry: {
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
      serviceName: e.OTEL_SERVICE_NAME,
      resourceAttributes: resourceAttributesFrom(e.OTEL_RESOURCE_ATTRIBUTES),
      traceSampleRatio: e.SWITCHBOARD_TRACE_SAMPLE_RATIO,
      metricsToken: e.SWITCHBOARD_METRICS_TOKEN ?? null,
      metricsPort: e.SWITCHBOARD_METRICS_PORT,
    },
    controls: controlsFrom(e.SWITCHBOARD_CONTROLS),
  };
  return deepFreeze(config);
}

function sqliteDirFrom(value: string | undefined, dataDir: string): string | null {
  if (value === undefined) return null;
  const dir = resolve(value);
  // Tenants' SQLite files must never reach the platform's own database or keys.
  if (dir === dataDir || dir.startsWith(`${dataDir}/`) || dataDir.startsWith(`${dir}/`)) {
    throw new ConfigError([
      'SWITCHBOARD_SQLITE_DIR: must not be, contain or lie inside SWITCHBOARD_DATA_DIR',
    ]);
  }
  return dir;
}

function controlsFrom(list: readonly string[] | undefined): AppConfig['controls'] {
  if (list === undefined) return { ratelimit: true, audit: true, telemetry: true };
  const unknown = list.filter((c) => c !== 'none' && !(CONTROL_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new ConfigError([
      `SWITCHBOARD_CONTROLS: unknown control(s) ${unknown.join(', ')}; use ${CONTROL_NAMES.join(', ')} or none`,
    ]);
  }
  return {
    ratelimit: list.includes('ratelimit'),
    audit: list.includes('audit'),
    telemetry: list.includes('telemetry'),
  };
}

/** Parses OTEL_RESOURCE_ATTRIBUTES (the OpenTelemetry SDK format: comma-separated, percent-encoded values). */
function resourceAttributesFrom(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      throw new ConfigError([
        `OTEL_RESOURCE_ATTRIBUTES: bad percent-encoding in ${pair.slice(0, eq).trim()}`,
      ]);
    }
  }
  return out;
}

export function decodeKey(value: string): Buffer {
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) return Buffer.from(value, 'hex');
  return Buffer.from(value, 'base64');
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
