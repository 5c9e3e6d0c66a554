import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { InvalidationBus } from '../../redis/invalidation-bus.js';
import { RedisService } from '../../redis/redis.service.js';
import { SessionDirectory } from './session-directory.js';

/** SSE events kept per legacy session for `Last-Event-ID` resumption. */
export const MAX_SESSION_EVENTS = 500;

/** Bus topic: a client ended a legacy session (DELETE); every node drops its copy. */
export const SESSION_ENDED = 'mcp.session-ended';
/** Bus topic: a resource of an endpoint changed; nodes tell the subscribed sessions whose streams they hold. */
export const RESOURCE_UPDATED = 'mcp.resource-updated';

export interface RoutedMessage {
  readonly sessionId: string;
  readonly message: JSONRPCMessage;
}

type RoutedHandler = (routed: RoutedMessage) => void;

/**
 * What lets legacy MCP sessions live on no node in particular, when `REDIS_URL` is set: the session
 * directory in Redis, this node's id, and a pub/sub channel per node (`<prefix>mcp:node:<id>`) that
 * carries server-to-client messages to the node holding a session's open GET stream. Without Redis,
 * `enabled` is false and sessions stay in process, as on a single node.
 */
@Injectable()
export class McpCluster implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(McpCluster.name);
  private directoryInstance: SessionDirectory | null = null;
  private routedHandler: RoutedHandler | null = null;
  private readonly channel: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly redis?: RedisService,
    @Optional() private readonly bus?: InvalidationBus,
  ) {
    this.channel = redis ? redis.key('mcp', 'node', this.nodeId) : '';
  }

  get enabled(): boolean {
    return Boolean(this.redis?.configured && this.bus);
  }

  get nodeId(): string {
    return this.bus?.nodeId ?? 'local';
  }

  /** The directory, or null without Redis (or while shutting down). */
  get directory(): SessionDirectory | null {
    if (!this.enabled) return null;
    const client = this.redis!.client;
    if (!client) return null;
    this.directoryInstance ??= new SessionDirectory(client, {
      prefix: (...parts) => this.redis!.key(...parts),
      ttlSeconds: this.config.mcp.sessionIdleSeconds,
      maxEvents: MAX_SESSION_EVENTS,
    });
    return this.directoryInstance;
  }

  onModuleInit(): void {
    const sub = this.enabled ? this.redis!.subscriber('mcp-router') : null;
    if (!sub) return;
    sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const routed = parseRouted(raw);
      if (routed) this.routedHandler?.(routed);
    });
    // Subscribing waits for Redis; boot must not (a node that cannot reach Redis is not ready anyway).
    sub.subscribe(this.channel).catch((e: unknown) => {
      this.logger.warn(`session message routing not subscribed yet: ${(e as Error).message}`);
    });
  }

  onApplicationShutdown(): void {
    this.routedHandler = null;
  }

  /** Receives messages other nodes route to sessions whose stream this node holds. */
  onRouted(handler: RoutedHandler): void {
    this.routedHandler = handler;
  }

  /** Sends a server-to-client message to `nodeId`, which writes it on the session's open stream. */
  async route(nodeId: string, routed: RoutedMessage): Promise<void> {
    const client = this.redis?.client;
    if (!client) return;
    await client.publish(this.redis!.key('mcp', 'node', nodeId), JSON.stringify(routed));
  }

  /** Listens to a bus topic; `local` is true for what this node published itself. */
  on<T>(topic: string, listener: (payload: T, local: boolean) => void): void {
    this.bus?.on<T>(topic, (payload, delivery) => listener(payload, delivery.local));
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    await this.bus?.publish(topic, payload);
  }
}

function parseRouted(raw: string): RoutedMessage | null {
  try {
    const v = JSON.parse(raw) as Partial<RoutedMessage>;
    if (typeof v.sessionId !== 'string' || typeof v.message !== 'object' || v.message === null) return null;
    return { sessionId: v.sessionId, message: v.message };
  } catch {
    return null;
  }
}
