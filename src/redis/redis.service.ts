import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

import { APP_CONFIG, type AppConfig } from '../config/index.js';

/** What a connection is for; it decides how the connection behaves while Redis is away. */
export type RedisConnectionRole =
  /** General commands (caches, session routing): queued while reconnecting, failed after a few retries. */
  | 'shared'
  /** Rate limiters: never queued or resent, so a limiter falls back to its insurance at once. */
  | 'limiter'
  /** Pub/sub listeners (a subscribed connection can run no other command). */
  | 'subscriber';

export interface RedisStatus {
  readonly configured: boolean;
  /** True when every open connection is ready (false when Redis is not configured). */
  readonly ready: boolean;
  readonly connections: Readonly<Record<string, string>>;
}

/** Reconnect delay: exponential from 100 ms, capped at 5 s, with jitter so nodes do not reconnect in step. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(100 * 2 ** Math.min(attempt - 1, 6), 5000);
  return Math.round(base / 2 + (random() * base) / 2);
}

/** The URL without credentials, for log lines. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable)';
  }
}

/** How long boot waits for Redis before going on without it. */
const BOOT_WAIT_MS = 3000;

function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

const ROLE_OPTIONS: Record<RedisConnectionRole, RedisOptions> = {
  shared: { maxRetriesPerRequest: 3, enableOfflineQueue: true },
  limiter: {
    // rate-limiter-flexible's advice: without an offline queue a command fails at once while Redis is
    // down, and the insurance limiter answers instead of the request waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A command in flight when the connection drops must fail, not be resent: a resent increment
    // would count one request twice.
    autoResendUnfulfilledCommands: false,
    // The tenant and principal increments of one request leave in one write.
    enableAutoPipelining: true,
    // A Redis that stops answering (rather than closing) must not stall requests either.
    commandTimeout: 1000,
  },
  subscriber: { maxRetriesPerRequest: null, enableOfflineQueue: true, autoResubscribe: true },
};

/**
 * The platform's Redis connections, when `REDIS_URL` is set: one shared command connection, one for rate
 * limiters, and pub/sub subscribers on demand. All are closed when the application shuts down. Without
 * `REDIS_URL` every accessor returns null and callers use their in-process alternative.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  private readonly connections = new Map<string, Redis>();
  private closing = false;
  readonly keyPrefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.keyPrefix = config.redisKeyPrefix;
  }

  get configured(): boolean {
    return this.config.redisUrl !== null;
  }

  /**
   * Opens the shared and limiter connections at boot and waits (briefly) until they are ready: a limiter
   * asked before its connection is ready answers from its in-memory insurance, which must not happen on
   * every fresh node. An unreachable Redis does not stop boot (limits fall back to memory), it is logged.
   */
  async onModuleInit(): Promise<void> {
    if (!this.configured) return;
    const pending = [this.client, this.limiterClient].filter((c): c is Redis => c !== null);
    const ready = await Promise.all(pending.map((c) => whenReady(c, BOOT_WAIT_MS)));
    if (ready.includes(false)) {
      this.logger.warn(
        `Redis at ${redactRedisUrl(this.config.redisUrl!)} is not reachable yet; rate limits count in memory until it is`,
      );
    }
  }

  /** The shared command connection, or null when Redis is not configured. */
  get client(): Redis | null {
    return this.connection('shared', 'shared');
  }

  /** The connection rate limiters use (fails fast instead of queueing), or null without Redis. */
  get limiterClient(): Redis | null {
    return this.connection('limiter', 'limiter');
  }

  /** A dedicated pub/sub connection named for its user (one per name), or null without Redis. */
  subscriber(name: string): Redis | null {
    return this.connection(`subscriber:${name}`, 'subscriber');
  }

  /** A key (or channel) under this installation's prefix. */
  key(...parts: readonly string[]): string {
    return `${this.keyPrefix}${parts.join(':')}`;
  }

  status(): RedisStatus {
    const connections: Record<string, string> = {};
    for (const [name, c] of this.connections) connections[name] = c.status;
    const states = Object.values(connections);
    return {
      configured: this.configured,
      ready: this.configured && states.length > 0 && states.every((s) => s === 'ready'),
      connections,
    };
  }

  /** Round trip on the shared connection (readiness checks). Rejects when Redis is not configured or down. */
  async ping(): Promise<void> {
    const c = this.client;
    if (!c) throw new Error('Redis is not configured');
    await c.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.connections.values()].map(async (c) => {
        // QUIT lets in-flight replies arrive; a connection that is down is simply dropped.
        if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
        else c.disconnect();
      }),
    );
    this.connections.clear();
  }

  private connection(name: string, role: RedisConnectionRole): Redis | null {
    const url = this.config.redisUrl;
    if (url === null) return null;
    // Shutting down: a request still in flight gets the in-process fallback rather than a new connection.
    if (this.closing) return null;
    const existing = this.connections.get(name);
    if (existing) return existing;
    const redacted = redactRedisUrl(url);
    const client = new Redis(url, {
      ...ROLE_OPTIONS[role],
      connectionName: `switchboard:${name}`,
      retryStrategy: (attempt) => (this.closing ? null : reconnectDelay(attempt)),
    });
    let down = false;
    client.on('error', (err: Error) => {
      // ioredis emits an error per failed reconnect attempt: say it once per outage.
      if (down) return;
      down = true;
      this.logger.warn(`Redis connection "${name}" to ${redacted} failed: ${err.message}`);
    });
    client.on('ready', () => {
      if (down) this.logger.log(`Redis connection "${name}" to ${redacted} is back`);
      down = false;
    });
    this.connections.set(name, client);
    return client;
  }
}
