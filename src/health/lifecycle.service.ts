import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips readiness to "down" as soon as shutdown begins, before anything is closed. */
@Injectable()
export class Lifecycle implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
