import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
  type AuthProvider,
  type OAuthClientProvider,
  type Prompt,
  type Resource,
  type ResourceTemplateType,
  type Tool,
} from '@modelcontextprotocol/client';
import type { EgressPolicy } from '@switchboard/http-client';
import type { ConnectionContext, PackLogger, SecretsAccessor } from '@switchboard/integration-kit';

import { createGuardedFetch, type GuardedFetch } from './guarded-fetch.js';
import { classifyUpstreamError, UpstreamUnavailableError } from './upstream.errors.js';
import {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  configDigest,
  TOKEN_SECRET,
  type UpstreamConfig,
} from './upstream.config.js';

/** Which list an upstream said changed. */
export type UpstreamListKind = 'tools' | 'resources' | 'prompts';

/** Called when an upstream announces a list change; the platform rebuilds endpoints using that connection. */
export type UpstreamChangeListener = (connectionId: string, list: UpstreamListKind) => void;

export interface UpstreamClientsOptions {
  readonly policy: EgressPolicy;
  /** Most upstream clients kept open at once; the least recently used is closed beyond it. Default 200. */
  readonly maxClients?: number;
  /** A client unused this long is closed (and its list-change stream with it). Default 10 min. */
  readonly idleCloseMs?: number;
  /** First wait after a failed connect; doubled per further failure up to `maxBackoffMs`. Default 500 ms. */
  readonly initialBackoffMs?: number;
  /** Default 30 s. */
  readonly maxBackoffMs?: number;
  /** Connect plus handshake (initialize or discover). Default 10 s. */
  readonly connectTimeoutMs?: number;
}

/** What an upstream offers, as last listed. */
export interface UpstreamCatalog {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplateType[];
  readonly prompts: readonly Prompt[];
}

interface Entry {
  readonly key: string;
  readonly connectionId: string;
  readonly config: UpstreamConfig;
  readonly host: string;
  client: Client | null;
  connecting: Promise<Client> | null;
  /** The newest accessor seen for this connection; credentials are read through it when needed. */
  secrets: SecretsAccessor;
  logger: PackLogger;
  /** Secret values read so far, only to scrub them from messages. */
  readonly secretValues: Set<string>;
  bearer: string | undefined;
  failures: number;
  /** Why the last connect failed, already safe to show. */
  lastFailure: string;
  retryAt: number;
  lastUsed: number;
  connects: number;
  catalog: UpstreamCatalog | null;
}

export interface UpstreamClientStats {
  readonly connected: boolean;
  /** Successful connects since the entry was created: 1 while one client served every call. */
  readonly connects: number;
  readonly failures: number;
}

const LIST_CHANGE_DEBOUNCE_MS = 100;
const CLIENT_INFO = { name: 'switchboard-upstream', version: '1.0.0' };

/**
 * One pooled MCP client per (connection, configuration digest), shared by every call and surface build of
 * that connection. A failed call drops the client; the next call reconnects, after an exponential backoff
 * when connecting itself fails. Clients are closed when idle, when the pool is full (least recently used
 * first), when the connection's configuration changes, and at shutdown.
 */
export class UpstreamClients {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<UpstreamChangeListener>();
  private readonly guarded: GuardedFetch;
  private readonly maxClients: number;
  private readonly idleCloseMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly connectTimeoutMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: UpstreamClientsOptions) {
    this.maxClients = options.maxClients ?? 200;
    this.idleCloseMs = options.idleCloseMs ?? 10 * 60_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.guarded = createGuardedFetch(options.policy, this.connectTimeoutMs);
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleCloseMs, 60_000));
    this.sweeper.unref();
  }

  /** Registers a listener for upstream list changes; returns its removal. */
  onListChanged(listener: UpstreamChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one operation on the connection's pooled client. A failure that shows the request never reached
   * the upstream's handler (connection refused, legacy session forgotten after a restart) is retried once on
   * a fresh client; any other transport failure drops the client and is thrown.
   */
  async run<T>(
    ctx: ConnectionContext<unknown>,
    config: UpstreamConfig,
    op: (client: Client) => Promise<T>,
  ): Promise<T> {
    const entry = this.entryFor(ctx, config);
    for (let attempt = 0; ; attempt += 1) {
      const client = await this.connected(entry);
      try {
        const result = await op(client);
        entry.lastUsed = Date.now();
        return result;
      } catch (error) {
        const failure = classifyUpstreamError(error, entry.host);
        if (failure.kind === 'rejected') throw error;
        this.drop(entry, client);
        if (failure.retryable && attempt === 0) continue;
        throw error;
      }
    }
  }

  /** Describes an error thrown by {@link run} for the model, scrubbed of this connection's secrets. */
  describe(ctx: ConnectionContext<unknown>, config: UpstreamConfig, error: unknown): string {
    const entry = this.entries.get(keyOf(ctx.connectionId, config));
    return classifyUpstreamError(error, new URL(config.url).host, entry ? [...entry.secretValues] : [])
      .message;
  }

  rememberCatalog(connectionId: string, config: UpstreamConfig, catalog: UpstreamCatalog): void {
    const entry = this.entries.get(keyOf(connectionId, config));
    if (entry) entry.catalog = catalog;
  }

  /** The last catalog listed for this connection and configuration, if any. */
  lastCatalog(connectionId: string, config: UpstreamConfig): UpstreamCatalog | null {
    return this.entries.get(keyOf(connectionId, config))?.catalog ?? null;
  }

  stats(connectionId: string, config: UpstreamConfig): UpstreamClientStats | null {
    const entry = this.entries.get(keyOf(connectionId, config));
    if (!entry) return null;
    return { connected: entry.client !== null, connects: entry.connects, failures: entry.failures };
  }

  /** Closes every client of a connection (it was deleted or its secrets changed). */
  async evict(connectionId: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const entry of [...this.entries.values()]) {
      if (entry.connectionId === connectionId) closing.push(this.remove(entry));
    }
    await Promise.all(closing);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries.values()].map((e) => this.remove(e)));
    await this.guarded.close();
  }

  private entryFor(ctx: ConnectionContext<unknown>, config: UpstreamConfig): Entry {
    const key = keyOf(ctx.connectionId, config);
    let entry = this.entries.get(key);
    if (entry) {
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.secrets = ctx.secrets;
      entry.logger = ctx.logger;
      return entry;
    }
    // A changed configuration supersedes the connection's previous client.
    for (const other of [...this.entries.values()]) {
      if (other.connectionId === ctx.connectionId) void this.remove(other);
    }
    while (this.entries.size >= this.maxClients) {
      const oldest = this.entries.values().next().value;
      if (!oldest) break;
      void this.remove(oldest);
    }
    entry = {
      key,
      connectionId: ctx.connectionId,
      config,
      host: new URL(config.url).host,
      client: null,
      connecting: null,
      secrets: ctx.secrets,
      logger: ctx.logger,
      secretValues: new Set(),
      bearer: undefined,
      failures: 0,
      lastFailure: '',
      retryAt: 0,
      lastUsed: Date.now(),
      connects: 0,
      catalog: null,
    };
    this.entries.set(key, entry);
    return entry;
  }

  private async connected(entry: Entry): Promise<Client> {
    entry.lastUsed = Date.now();
    if (entry.client) return entry.client;
    if (entry.connecting) return entry.connecting;
    const wait = entry.retryAt - Date.now();
    if (wait > 0) {
      throw new UpstreamUnavailableError(
        `${entry.lastFailure} (${entry.failures} failed attempt${entry.failures === 1 ? '' : 's'}; the next is in ${Math.ceil(wait / 1000)} s)`,
      );
    }
    const connecting = this.connect(entry).then(
      (client) => {
        entry.failures = 0;
        entry.retryAt = 0;
        entry.connects += 1;
        entry.client = client;
        return client;
      },
      (error: unknown) => {
        entry.failures += 1;
        const backoff = Math.min(this.initialBackoffMs * 2 ** (entry.failures - 1), this.maxBackoffMs);
        entry.retryAt = Date.now() + backoff;
        entry.lastFailure = classifyUpstreamError(error, entry.host, [...entry.secretValues]).message;
        entry.logger.warn('could not connect to the upstream MCP server', {
          host: entry.host,
          failures: entry.failures,
          error: entry.lastFailure,
        });
        throw error;
      },
    );
    entry.connecting = connecting;
    try {
      return await connecting;
    } finally {
      entry.connecting = null;
    }
  }

  private async connect(entry: Entry): Promise<Client> {
    const { config } = entry;
    const notify = (list: UpstreamListKind) => () => this.changed(entry, list);
    const client = new Client(CLIENT_INFO, {
      versionNegotiation: {
        mode: config.protocol === 'modern' ? { pin: '2026-07-28' } : config.protocol,
      },
      // Only the fact of a change matters: the platform rebuilds the endpoint, which lists again. A burst
      // of notifications within the debounce window is reported once.
      listChanged: {
        tools: { autoRefresh: false, debounceMs: LIST_CHANGE_DEBOUNCE_MS, onChanged: notify('tools') },
        resources: {
          autoRefresh: false,
          debounceMs: LIST_CHANGE_DEBOUNCE_MS,
          onChanged: notify('resources'),
        },
        prompts: { autoRefresh: false, debounceMs: LIST_CHANGE_DEBOUNCE_MS, onChanged: notify('prompts') },
      },
      listMaxPages: 50,
    });
    const authProvider = await this.authProvider(entry);
    const transport = new StreamableHTTPClientTransport(new URL(config.url), {
      fetch: this.guarded.fetch,
      redirectPolicy: 'same-origin',
      ...(authProvider && { authProvider }),
    });
    client.onclose = () => {
      if (entry.client === client) entry.client = null;
    };
    client.onerror = (error) =>
      entry.logger.debug('upstream MCP connection error', {
        host: entry.host,
        error: classifyUpstreamError(error, entry.host, [...entry.secretValues]).message,
      });
    try {
      await client.connect(transport, { timeout: this.connectTimeoutMs });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private async authProvider(entry: Entry): Promise<AuthProvider | OAuthClientProvider | undefined> {
    const { auth } = entry.config;
    if (auth.kind === 'none') return undefined;
    if (auth.kind === 'bearer') {
      const read = async (): Promise<string> => {
        const token = await entry.secrets.get(TOKEN_SECRET);
        entry.secretValues.add(token);
        entry.bearer = token;
        return token;
      };
      return {
        token: async () => entry.bearer ?? (await read()),
        // The secret may have been rotated in the vault since it was read; the SDK retries once after this.
        onUnauthorized: async () => {
          await read();
        },
      };
    }
    const clientId = await entry.secrets.get(CLIENT_ID_SECRET);
    const clientSecret = await entry.secrets.get(CLIENT_SECRET_SECRET);
    entry.secretValues.add(clientSecret);
    return new ClientCredentialsProvider({
      clientId,
      clientSecret,
      expectedIssuer: auth.issuer,
      ...(auth.scope !== undefined && { scope: auth.scope }),
    });
  }

  private changed(entry: Entry, list: UpstreamListKind): void {
    if (this.entries.get(entry.key) !== entry) return;
    entry.catalog = null;
    entry.logger.info('the upstream MCP server changed its list', { host: entry.host, list });
    for (const listener of this.listeners) {
      try {
        listener(entry.connectionId, list);
      } catch (error) {
        entry.logger.error('an upstream change listener failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  private drop(entry: Entry, client: Client): void {
    if (entry.client === client) entry.client = null;
    void client.close().catch(() => undefined);
  }

  private async remove(entry: Entry): Promise<void> {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    const client = entry.client ?? (await entry.connecting?.catch(() => null)) ?? null;
    entry.client = null;
    if (client) await client.close().catch(() => undefined);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleCloseMs;
    for (const entry of [...this.entries.values()]) {
      if (entry.lastUsed < cutoff) void this.remove(entry);
    }
  }
}

function keyOf(connectionId: string, config: UpstreamConfig): string {
  return `${connectionId}:${configDigest(config)}`;
}
