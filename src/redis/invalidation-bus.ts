import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { RedisService } from './redis.service.js';

/** What a listener learns besides the payload. */
export interface BusDelivery {
  /** The node that published (this node's id for local deliveries). */
  readonly origin: string;
  /** True when published on this node. */
  readonly local: boolean;
}

export type BusListener<T> = (payload: T, delivery: BusDelivery) => void;

interface Envelope {
  readonly o: string;
  readonly t: string;
  readonly p: unknown;
}

/** How long boot waits for the subscription before going on (a late subscription is healed by resync). */
const SUBSCRIBE_WAIT_MS = 3000;

function isEnvelope(v: unknown): v is Envelope {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Envelope>;
  return typeof e.o === 'string' && typeof e.t === 'string' && 'p' in e;
}

/**
 * "Something changed, drop what you cached": one topic per kind of change, a JSON payload naming what.
 * `publish` delivers to this node's listeners at once and, with `REDIS_URL`, to every other node through
 * one Redis pub/sub channel (`<prefix>bus`), typically within milliseconds. Without Redis it is an
 * in-process event emitter, which is all a single node needs.
 *
 * Pub/sub delivers at most once: a message published while a node's subscriber connection was down is
 * lost to that node. So when the subscriber connection comes back, every `onResync` listener runs and
 * should drop everything it cached; each cache's own TTL bounds staleness in between.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationBus.name);
  private readonly listeners = new Map<string, Set<BusListener<unknown>>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly channel: string;
  /** This process, as other nodes see it in routing keys and log lines. */
  readonly nodeId = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private subscribedOnce = false;

  constructor(private readonly redis: RedisService) {
    this.channel = redis.key('bus');
  }

  get distributed(): boolean {
    return this.redis.configured;
  }

  async onModuleInit(): Promise<void> {
    const sub = this.redis.subscriber('bus');
    if (!sub) return;
    sub.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    sub.on('ready', () => {
      // ioredis resubscribes by itself; anything published while we were away is lost, so start clean.
      if (this.subscribedOnce) this.resync();
    });
    const subscribed = sub
      .subscribe(this.channel)
      .then(() => {
        this.subscribedOnce = true;
        return true;
      })
      .catch((e: unknown) => {
        this.logger.warn(`cache invalidations not subscribed yet: ${(e as Error).message}`);
        return false;
      });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      subscribed,
      new Promise((r) => {
        timer = setTimeout(r, SUBSCRIBE_WAIT_MS);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  onApplicationShutdown(): void {
    this.listeners.clear();
    this.resyncListeners.clear();
  }

  /** Listens to one topic; returns the function that stops listening. */
  on<T>(topic: string, listener: BusListener<T>): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener as BusListener<unknown>);
    return () => set.delete(listener as BusListener<unknown>);
  }

  /** Runs after this node may have missed messages (its subscriber reconnected): drop cached state. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /**
   * Delivers to this node's listeners synchronously, then to the other nodes. Never throws: a failed
   * broadcast is logged and the other nodes catch up through their caches' TTLs.
   */
  async publish<T>(topic: string, payload: T): Promise<void> {
    this.deliver(topic, payload, { origin: this.nodeId, local: true });
    const client = this.redis.client;
    if (!client) return;
    const envelope: Envelope = { o: this.nodeId, t: topic, p: payload };
    await client.publish(this.channel, JSON.stringify(envelope)).catch((e: unknown) => {
      this.logger.warn(`could not broadcast "${topic}" to other nodes: ${(e as Error).message}`);
    });
  }

  /** Runs every resync listener (also used by tests). */
  resync(): void {
    this.logger.log('cache invalidation channel (re)connected: dropping cached state');
    for (const l of this.resyncListeners) {
      try {
        l();
      } catch (e) {
        this.logger.error(`resync listener failed: ${(e as Error).message}`);
      }
    }
  }

  private receive(raw: string): void {
    let envelope: unknown;
    try {
      envelope = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isEnvelope(envelope) || envelope.o === this.nodeId) return;
    this.deliver(envelope.t, envelope.p, { origin: envelope.o, local: false });
  }

  private deliver(topic: string, payload: unknown, delivery: BusDelivery): void {
    for (const l of this.listeners.get(topic) ?? []) {
      try {
        l(payload, delivery);
      } catch (e) {
        this.logger.error(`listener of "${topic}" failed: ${(e as Error).message}`);
      }
    }
  }
}
