import {
  STEPS,
  type CheckEvent,
  type StepDefinition,
  type StepId,
  type StepResult,
} from '@switchboard/checker';
import type { JsonObject } from '../../jobs/job.repository.js';

export interface CheckAction {
  readonly kind: 'open-authorization-url';
  readonly url: string;
  readonly waitMs?: number;
}

/**
 * A check's progress as the dashboard polls it: every step up front, the finished ones as they finish,
 * the one running now, and the link to open while it waits for someone to sign in. Built only from the
 * checker's events, which never carry a token, code or password.
 */
export class CheckProgressTracker {
  private steps: readonly StepDefinition[] = STEPS;
  private readonly results: StepResult[] = [];
  private current: StepId | undefined;
  private action: CheckAction | undefined;

  /** Applies an event; true when the progress changed. */
  apply(event: CheckEvent): boolean {
    switch (event.type) {
      case 'check-started':
        this.steps = event.steps;
        return true;
      case 'step-started':
        this.current = event.step.id;
        return true;
      case 'step-finished':
        this.results.push(event.step);
        if (this.current === event.step.id) this.current = undefined;
        return true;
      case 'action-required':
        this.requireAction({ kind: event.action.kind, url: event.action.url, waitMs: event.action.waitMs });
        return true;
      case 'check-finished':
        this.current = undefined;
        this.action = undefined;
        return true;
    }
  }

  requireAction(action: CheckAction): void {
    this.action = action;
  }

  clearAction(): void {
    this.action = undefined;
  }

  snapshot(): JsonObject {
    return JSON.parse(
      JSON.stringify({
        steps: this.steps,
        results: this.results,
        ...(this.current !== undefined && { current: this.current }),
        ...(this.action !== undefined && { action: this.action }),
      }),
    ) as JsonObject;
  }
}
