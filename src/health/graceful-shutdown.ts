import type { Server } from 'node:http';
import type { Socket } from 'node:net';

import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import type { Lifecycle } from './lifecycle.service.js';

export interface ShutdownOptions {
  /** Seconds readiness reports 503 while the node keeps serving (load balancers notice and stop routing). */
  readonly delaySeconds: number;
  /** Bound on draining requests and streams, from the moment the node stops accepting connections. */
  readonly timeoutSeconds: number;
}

export interface ShutdownReport {
  readonly reason: string;
  /** Requests still in flight when the bound ran out (their connections were closed). */
  readonly cutRequests: number;
  readonly drainedMs: number;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The ordered, bounded shutdown of one node:
 *
 * 1. readiness turns 503 (`Lifecycle`), and the node keeps serving for `delaySeconds`;
 * 2. the listener closes (no new connections) and idle keep-alive connections are closed; every response
 *    from then on carries `Connection: close`, so clients open their next connection elsewhere;
 * 3. modules drain (`Lifecycle.onDrain`): the MCP host ends open SSE streams — clients reconnect to another
 *    node and resume with `Last-Event-ID` — and waits for in-flight calls; in-flight HTTP requests finish;
 * 4. after `timeoutSeconds` whatever is left is cut;
 * 5. `app.close()`: audit events are flushed, telemetry exported, jobs stopped, pools and Redis closed.
 *
 * Installed by `startApp`; SIGTERM and SIGINT start it, and so does `RunningApp.close()`.
 */
export class GracefulShutdown {
  private inFlight = 0;
  private draining = false;
  private readonly idleWaiters = new Set<() => void>();
  private running: Promise<ShutdownReport> | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.shutdown(signal)
      .catch((e: unknown) => this.logger.error(`Shutdown failed: ${(e as Error).message}`))
      .finally(() => {
        this.removeSignalListeners();
        // Nest's convention: re-raise, so the default handler ends the process with the signal's status
        // (unless someone else listens for it, and then we end it ourselves).
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        else process.exit(0);
      });
  };

  constructor(
    private readonly app: INestApplication,
    private readonly server: Server,
    private readonly lifecycle: Lifecycle,
    private readonly options: ShutdownOptions,
    private readonly logger: LoggerService,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Express middleware counting in-flight requests; mount it first. */
  readonly track = (req: Request, res: Response, next: NextFunction): void => {
    this.inFlight++;
    if (this.draining) res.setHeader('Connection', 'close');
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const w of this.idleWaiters) w();
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };

  get requestsInFlight(): number {
    return this.inFlight;
  }

  listenForSignals(): void {
    for (const s of SIGNALS) process.once(s, this.onSignal);
  }

  removeSignalListeners(): void {
    for (const s of SIGNALS) process.removeListener(s, this.onSignal);
  }

  /** Runs the whole sequence once; later calls get the same result. */
  shutdown(reason: string): Promise<ShutdownReport> {
    this.running ??= this.run(reason);
    return this.running;
  }

  private async run(reason: string): Promise<ShutdownReport> {
    this.lifecycle.beginShutdown(reason);
    if (this.options.delaySeconds > 0) {
      this.logger.log(`Shutdown: serving ${this.options.delaySeconds} s more while load balancers catch up`);
      await sleep(this.options.delaySeconds * 1000);
    }
    const started = Date.now();
    const deadline = started + this.options.timeoutSeconds * 1000;
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.lifecycle.drain(deadline);
    await this.requestsDone(deadline);
    const cutRequests = this.inFlight;
    if (cutRequests > 0) {
      this.logger.warn(
        `Shutdown: ${cutRequests} request(s) still running after the drain bound; closing them`,
      );
    }
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
    const drainedMs = Date.now() - started;
    this.logger.log(`Shutdown: drained in ${drainedMs} ms; closing the application`);
    await this.app.close();
    return { reason, cutRequests, drainedMs };
  }

  private requestsDone(deadline: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      // Between requests a keep-alive connection is idle: close it rather than wait for the client.
      const sweep = setInterval(() => this.server.closeIdleConnections(), 250);
      const finish = (): void => {
        clearInterval(sweep);
        clearTimeout(timer);
        this.idleWaiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
      this.idleWaiters.add(finish);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
