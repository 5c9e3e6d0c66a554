import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Whether this process is shutting down. Readiness turns "down" the moment that is so — on the signal
 * itself, before Nest starts closing anything (its first hooks may already be closing connections that
 * the readiness checks use) — so a load balancer stops sending new requests while in-flight ones finish.
 */
@Injectable()
export class Lifecycle
  implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(Lifecycle.name);
  private drainingSince: Date | null = null;
  /** The listener added for SIGTERM and SIGINT (public so tests can find it among Nest's own). */
  readonly signalListener = (signal: NodeJS.Signals): void => this.beginShutdown(signal);

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Marks the process as draining; idempotent. */
  beginShutdown(reason: string): void {
    if (this.drainingSince) return;
    this.drainingSince = new Date();
    this.logger.log({ msg: 'Shutting down: readiness is now down', reason });
  }

  onModuleInit(): void {
    // `once`, and our own listener only: Nest's shutdown hook re-raises the signal after closing, which
    // must then reach Node's default handler and end the process.
    for (const s of SIGNALS) process.once(s, this.signalListener);
  }

  /** The first hook of `app.close()`, for a shutdown that does not start with a signal. */
  onModuleDestroy(): void {
    this.beginShutdown('application close');
  }

  beforeApplicationShutdown(signal?: string): void {
    this.beginShutdown(signal ?? 'application close');
  }

  onApplicationShutdown(): void {
    for (const s of SIGNALS) process.removeListener(s, this.signalListener);
  }
}
