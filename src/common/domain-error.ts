/**
 * Domain errors carry a stable code; the global filter maps codes to HTTP statuses, the CLI to exit codes.
 * Services throw these, never HTTP exceptions.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid_argument'
  | 'unauthenticated'
  | 'forbidden'
  | 'failed_precondition'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, details?: Record<string, unknown>) {
    super('not_found', `${what} not found`, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

export class InvalidArgumentError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_argument', message, details);
  }
}

export const HTTP_STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid_argument: 400,
  unauthenticated: 401,
  forbidden: 403,
  failed_precondition: 412,
  rate_limited: 429,
  unavailable: 503,
};
