import type { JsonObject } from './job.repository.js';

/**
 * Coalesces a job's progress updates: one write in flight at a time, and only the latest value is written
 * next (a check emits a few dozen events in bursts; the row only needs the newest state).
 */
export class ProgressWriter {
  private latest: JsonObject | null = null;
  private current: JsonObject | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (progress: JsonObject) => Promise<boolean>,
    /** The row no longer accepts progress (cancelled or swept elsewhere). */
    private readonly onStopped: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The newest value pushed (written or about to be). */
  get last(): JsonObject | null {
    return this.current;
  }

  push(progress: JsonObject): void {
    this.latest = progress;
    this.current = progress;
    this.writing ??= this.drain();
  }

  /** Resolves once nothing is pending. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.latest !== null) {
        const next = this.latest;
        this.latest = null;
        try {
          if (!(await this.write(next))) this.onStopped();
        } catch (e) {
          this.onError(e);
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
