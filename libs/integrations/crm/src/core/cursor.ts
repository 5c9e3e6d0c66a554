import { CrmError } from './crm.errors.js';

/**
 * A page cursor handed to the model: the vendor's own `after` token, plus how many records of the page it
 * starts that were already shown (when a page was cut to fit the size budget). Opaque to the model.
 */
export interface PageCursor {
  readonly after: string | null;
  readonly skip: number;
}

const PREFIX = 'c1.';

export function encodeCursor(cursor: PageCursor): string {
  // A numeric offset (HubSpot search's `after`) absorbs the skip, so the cursor stays a plain offset.
  if (cursor.skip > 0 && (cursor.after === null || /^\d{1,9}$/.test(cursor.after))) {
    return encodeCursor({ after: String(Number(cursor.after ?? '0') + cursor.skip), skip: 0 });
  }
  return PREFIX + Buffer.from(JSON.stringify([cursor.after, cursor.skip]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string | undefined): PageCursor {
  if (value === undefined || value === '') return { after: null, skip: 0 };
  if (value.startsWith(PREFIX)) {
    try {
      const parsed: unknown = JSON.parse(
        Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'),
      );
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        (parsed[0] === null || typeof parsed[0] === 'string') &&
        Number.isInteger(parsed[1]) &&
        parsed[1] >= 0 &&
        parsed[1] < 200
      ) {
        return { after: parsed[0] as string | null, skip: parsed[1] as number };
      }
    } catch {
      // Fall through to the error below.
    }
    throw new CrmError(
      'validation',
      'The cursor is not one this tool returned; start again without a cursor.',
    );
  }
  if (!/^[A-Za-z0-9_=-]{1,200}$/.test(value)) {
    throw new CrmError(
      'validation',
      'The cursor is not one this tool returned; start again without a cursor.',
    );
  }
  return { after: value, skip: 0 };
}
