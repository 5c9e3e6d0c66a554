/**
 * Thrown by a command that has already printed its result and only needs a non-zero exit code (a check
 * whose report says it failed), so `run` adds no error message of its own.
 */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitRequest';
  }
}
