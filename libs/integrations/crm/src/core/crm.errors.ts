/**
 * Why a CRM call did not succeed, in words a model can act on and a user can read. Messages never carry a
 * credential: they are built from the vendor's own error text and then scrubbed of every secret value the
 * call used.
 */
export type CrmErrorKind =
  /** The credentials were refused: an admin must reconnect. */
  | 'auth'
  /** Authenticated, but not allowed (a missing scope). */
  | 'forbidden'
  | 'not_found'
  /** The CRM rejected the input; the message quotes its reason. */
  | 'validation'
  | 'rate_limited'
  /** The CRM failed or answered unexpectedly. */
  | 'upstream'
  /** The CRM answered something that does not follow its documented format. */
  | 'malformed'
  /** The CRM could not be reached (refused address, timeout, connection failure). */
  | 'unavailable'
  /** The connection is not configured correctly. */
  | 'configuration';

export class CrmError extends Error {
  constructor(
    readonly kind: CrmErrorKind,
    message: string,
    readonly details: { readonly status?: number; readonly correlationId?: string } = {},
  ) {
    super(message);
    this.name = 'CrmError';
  }
}

/** Replaces every occurrence of a secret value with a marker; short values (< 6 chars) are left alone. */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** Cuts a vendor message to a readable length on one line. */
export function trimMessage(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
