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
  readonly log: { readonly level: string; readonly pretty: boolean };
}

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
    log: {
      level: e.LOG_LEVEL,
      pretty: e.LOG_PRETTY ?? (e.NODE_ENV === 'development' && process.stdout.isTTY),
    },
  };
  return deepFreeze(config);
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
