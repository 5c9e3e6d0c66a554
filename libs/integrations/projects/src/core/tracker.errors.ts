import { toolError } from '@switchboard/integration-kit';
import type { CallToolResult } from '@modelcontextprotocol/server';

/**
 * What went wrong talking to a tracker, in the terms a user (or the model acting for one) can act on.
 * `auth` means the stored credential no longer works: only a tenant admin can fix that.
 */
export type TrackerErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'validation'
  | 'rate_limited'
  | 'unavailable'
  | 'malformed'
  | 'configuration'
  | 'egress';

export class TrackerError extends Error {
  constructor(
    readonly kind: TrackerErrorKind,
    message: string,
    /** Seconds until the vendor accepts requests again, when it said so. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
}

/** Longest vendor message quoted back to the model. */
export const MAX_VENDOR_MESSAGE = 300;

/** Trims a vendor's own error text for quoting: one line, bounded, never empty. */
export function trimVendorMessage(message: string, fallback = 'no details given'): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return fallback;
  return flat.length > MAX_VENDOR_MESSAGE ? `${flat.slice(0, MAX_VENDOR_MESSAGE - 1)}…` : flat;
}

/** Replaces every occurrence of a secret value (and its Basic-auth form) with a marker. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out;
}

export interface ErrorWording {
  /** "Linear", "Jira", "GitHub". */
  readonly vendor: string;
  /** The tenant's name for this connection, so the admin knows which one to fix. */
  readonly connectionName: string;
}

/** The model-facing text for each kind; vendor detail (already trimmed and scrubbed) is appended. */
export function describeTrackerError(error: TrackerError, wording: ErrorWording): string {
  const { vendor, connectionName } = wording;
  switch (error.kind) {
    case 'auth':
      return `${vendor} rejected the credentials of the "${connectionName}" connection (expired, revoked or wrong). A tenant admin must reconnect it in Switchboard (store a new token); retrying will not help. ${error.message}`;
    case 'permission':
      return `${vendor} refused this: the "${connectionName}" connection's account lacks permission. ${error.message}`;
    case 'not_found':
      return `Not found in ${vendor}: ${error.message}`;
    case 'validation':
      return `${vendor} rejected the request: ${error.message}`;
    case 'rate_limited':
      return `${vendor} is rate limiting the "${connectionName}" connection${error.retryAfterSeconds !== null ? `; try again in about ${Math.max(1, Math.ceil(error.retryAfterSeconds))} s` : '; try again shortly'}. ${error.message}`;
    case 'unavailable':
      return `${vendor} did not answer properly (${error.message}). Try again later.`;
    case 'malformed':
      return `${vendor} sent a response Switchboard could not read (${error.message}).`;
    case 'configuration':
      return `The "${connectionName}" connection is not set up correctly: ${error.message} A tenant admin must fix it.`;
    case 'egress':
      return `Switchboard may not reach ${vendor} at the configured address: ${error.message}`;
  }
}

export function trackerToolError(error: TrackerError, wording: ErrorWording): CallToolResult {
  return toolError(describeTrackerError(error, wording).trim());
}
