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
  /** Create the demo tenant, owner and API key when the database is new (default: on for the embedded database only). */
  SWITCHBOARD_SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
});

export type Env = z.infer<typeof envSchema>;
