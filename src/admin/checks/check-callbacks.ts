import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RedisService } from '../../redis/redis.service.js';

interface Waiter {
  resolve(url: string): void;
}

const CHANNEL = 'checks:callback';

/**
 * Hands the redirect that came back to `/api/v1/checks/callback` to the check waiting for it. The check
 * runs on the node that started it; the browser may land on any node. In one process the hand-over is
 * in memory; across nodes it goes over Redis pub/sub (`REDIS_URL`, which several nodes need anyway). The
 * redirect carries an authorization code: it travels in a message, never into a row, a log or the audit.
 */
@Injectable()
export class CheckCallbacks implements OnApplicationShutdown {
  private readonly logger = new Logger(CheckCallbacks.name);
  private readonly waiting = new Map<string, Waiter>();
  private subscribing: Promise<void> | null = null;

  constructor(private readonly redis: RedisService) {}

  /** Waits for the redirect of job `jobId` (rejects when `signal` aborts). */
  async wait(jobId: string, signal: AbortSignal): Promise<string> {
    await this.subscribe();
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        this.waiting.delete(jobId);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(new Error('the check stopped waiting for the sign-in'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(jobId, {
        resolve: (url) => {
          done();
          resolve(url);
        },
      });
    });
  }

  /** Stops waiting for a job's redirect (its check ended). */
  forget(jobId: string): void {
    this.waiting.delete(jobId);
  }

  /** Delivers a redirect; false when no node is waiting for that job any more. */
  async deliver(jobId: string, url: string): Promise<boolean> {
    const local = this.waiting.get(jobId);
    if (local) {
      local.resolve(url);
      return true;
    }
    const client = this.redis.client;
    if (!client) return false;
    const receivers = await client.publish(this.redis.key(CHANNEL), JSON.stringify({ jobId, url }));
    return receivers > 0;
  }

  async onApplicationShutdown(): Promise<void> {
    this.waiting.clear();
  }

  private subscribe(): Promise<void> {
    if (!this.redis.configured) return Promise.resolve();
    this.subscribing ??= (async () => {
      const sub = this.redis.subscriber('checks');
      if (!sub) return;
      sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
      await sub.subscribe(this.redis.key(CHANNEL));
    })().catch((e: unknown) => {
      this.subscribing = null;
      this.logger.warn(`could not listen for check callbacks on Redis: ${(e as Error).message}`);
    });
    return this.subscribing;
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.redis.key(CHANNEL)) return;
    try {
      const m = JSON.parse(message) as { jobId?: unknown; url?: unknown };
      if (typeof m.jobId === 'string' && typeof m.url === 'string') this.waiting.get(m.jobId)?.resolve(m.url);
    } catch {
      this.logger.warn('ignored a malformed check callback message');
    }
  }
}
