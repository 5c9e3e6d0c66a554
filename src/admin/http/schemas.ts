import { z } from 'zod';
import { InvalidArgumentError } from '../../common/domain-error.js';

/** The one error shape of every admin answer (the global exception filter writes it). */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          'Stable machine code: not_found, conflict, invalid_argument, unauthenticated, forbidden, failed_precondition, rate_limited, unavailable, internal',
      }),
      message: z.string().meta({ description: 'What went wrong, in words a tenant admin understands' }),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .meta({ description: 'Machine-readable detail, e.g. `issues` (one "path: message" per problem)' }),
      correlationId: z.string().optional().meta({ description: 'Quote it to the operator (500 only)' }),
    }),
  })
  .meta({ id: 'Error' });

export const slug = z.string().meta({ description: 'URL slug: 2–40 lowercase letters, digits or dashes' });
export const uuid = z.uuid();
export const isoDate = z.string().meta({ format: 'date-time' });

export const tenantParams = z.object({ tenant: slug }).strict();

/** true/false in a query string. */
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pageQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(50)
      .meta({ description: 'Items per page (≤ 200)' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/, 'not a cursor from this API')
      .optional()
      .meta({ description: "The previous page's nextCursor" }),
  })
  .strict();

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as cursor for the next page; null on the last' }),
  });
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Opaque cursors: the sort key of the last item seen, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === arity &&
      v.every((x) => typeof x === 'string' || typeof x === 'number')
    ) {
      return v as (string | number)[];
    }
  } catch {
    // falls through
  }
  throw new InvalidArgumentError('invalid cursor');
}

/** Cuts a `limit + 1` read into a page. */
export function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (last: T) => readonly (string | number)[],
): Page<T> {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items, nextCursor: more ? encodeCursor(keyOf(items[items.length - 1] as T)) : null };
}
