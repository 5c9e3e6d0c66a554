import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What the platform must remember between sending a browser to a tenant's identity provider and its
 * return: which interaction and tenant, the nonce and the PKCE verifier. It rides in a cookie named after
 * the `state` (so parallel sign-ins in several tabs do not overwrite each other), scoped to the callback
 * path, encrypted and authenticated with a key derived from the cookie keys (AES-256-GCM, the state as
 * associated data). Any node with the same cookie keys can finish the flow; a state without its cookie
 * (another browser, a forged link) finds nothing.
 */
export interface UpstreamAttempt {
  /** The oidc-provider interaction this sign-in finishes. */
  readonly uid: string;
  readonly tenantId: string;
  /** The IdP configuration's `updatedAt` (ms): a configuration changed mid-flow is not trusted. */
  readonly configVersion: number;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Epoch milliseconds after which the attempt is void. */
  readonly expiresAt: number;
  /**
   * `admin`: a dashboard sign-in (no interaction; `uid` is empty), which ends in an admin session and a
   * redirect to `returnTo`, a path on this server. Absent: an OAuth interaction.
   */
  readonly purpose?: 'admin';
  readonly returnTo?: string;
}

const INFO = 'switchboard upstream sign-in v1';
const STATE = /^[A-Za-z0-9_-]{32,128}$/;
const COOKIE_PREFIX = '_sb_up_';

/** `state` values we issue (openid-client's randomState: 43 base64url characters); anything else is refused early. */
export function isWellFormedState(value: unknown): value is string {
  return typeof value === 'string' && STATE.test(value);
}

export function attemptCookieName(state: string): string {
  return `${COOKIE_PREFIX}${state}`;
}

export class UpstreamStateSealer {
  private readonly keys: Buffer[];

  /** `cookieKeys`: the authorization server's cookie keys; the first seals, all open (rotation). */
  constructor(cookieKeys: readonly string[]) {
    if (cookieKeys.length === 0) throw new Error('no cookie keys');
    this.keys = cookieKeys.map((k) => Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), INFO, 32)));
  }

  seal(state: string, attempt: UpstreamAttempt): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0] as Buffer, iv);
    cipher.setAAD(Buffer.from(state));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(attempt), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  /** The attempt sealed under `state`, or null when the value is not ours, was altered or has expired. */
  open(state: string, value: string, now = Date.now()): UpstreamAttempt | null {
    if (value.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(state));
        decipher.setAuthTag(raw.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        const attempt = parseAttempt(plain);
        return attempt && attempt.expiresAt > now ? attempt : null;
      } catch {
        // Not sealed with this key (or altered): try the next one.
      }
    }
    return null;
  }
}

function parseAttempt(text: string): UpstreamAttempt | null {
  const v = JSON.parse(text) as Record<string, unknown>;
  const strings = ['uid', 'tenantId', 'nonce', 'codeVerifier'] as const;
  if (!strings.every((k) => typeof v[k] === 'string')) return null;
  if (typeof v.configVersion !== 'number' || typeof v.expiresAt !== 'number') return null;
  const admin = v.purpose === 'admin' && typeof v.returnTo === 'string';
  return {
    uid: v.uid as string,
    tenantId: v.tenantId as string,
    configVersion: v.configVersion,
    nonce: v.nonce as string,
    codeVerifier: v.codeVerifier as string,
    expiresAt: v.expiresAt,
    ...(admin && { purpose: 'admin' as const, returnTo: v.returnTo as string }),
  };
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
