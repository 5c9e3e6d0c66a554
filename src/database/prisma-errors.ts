/**
 * Prisma's known request errors, recognised by name and code rather than `instanceof` so the check holds
 * across module copies (tests, bundles). Repositories translate these into domain errors.
 */
export const PRISMA_UNIQUE_VIOLATION = 'P2002';
export const PRISMA_FOREIGN_KEY_VIOLATION = 'P2003';
export const PRISMA_RECORD_NOT_FOUND = 'P2025';

export interface PrismaKnownError extends Error {
  readonly code: string;
  readonly meta?: Record<string, unknown>;
}

export function isPrismaKnownError(e: unknown): e is PrismaKnownError {
  return (
    e instanceof Error &&
    e.name === 'PrismaClientKnownRequestError' &&
    typeof (e as { code?: unknown }).code === 'string'
  );
}

export function prismaErrorCode(e: unknown): string | undefined {
  return isPrismaKnownError(e) ? e.code : undefined;
}

/** A unique constraint failed (P2002): the caller asked for something that already exists. */
export function isUniqueViolation(e: unknown): e is PrismaKnownError {
  return prismaErrorCode(e) === PRISMA_UNIQUE_VIOLATION;
}

/** A foreign key failed (P2003): the row refers to something that does not exist. */
export function isForeignKeyViolation(e: unknown): e is PrismaKnownError {
  return prismaErrorCode(e) === PRISMA_FOREIGN_KEY_VIOLATION;
}

/** An update/delete found no row (P2025). */
export function isRecordNotFound(e: unknown): e is PrismaKnownError {
  return prismaErrorCode(e) === PRISMA_RECORD_NOT_FOUND;
}
