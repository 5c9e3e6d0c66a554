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
 * A module's part of a graceful shutdown, run after the node stopped accepting connections: end what it
 * holds open (streams) so clients reconnect elsewhere, and let in-flight work finish before `deadline`
 * (epoch ms). Must resolve by the deadline; what is still running then is cut.
 */
export type DrainParticipant = (deadline: number) => Promise<void>;

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
  private readonly participants = new Map<string, DrainParticipant>();
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

  /** Registers a module's drain step (see `DrainParticipant`); one per name. */
  onDrain(name: string, participant: DrainParticipant): void {
    this.participants.set(name, participant);
  }

  /** Runs every drain step in parallel; a failing step is logged, never blocks the others. */
  async drain(deadline: number): Promise<void> {
    await Promise.all(
      [...this.participants].map(([name, run]) =>
        run(deadline).catch((e: unknown) =>
          this.logger.warn({ msg: 'drain step failed', step: name, err: (e as Error).message }),
        ),
      ),
    );
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
