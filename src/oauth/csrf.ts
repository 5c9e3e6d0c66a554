import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Anti-forgery tokens for the sign-in and consent forms: an HMAC of the interaction id under a key
 * derived from the cookie keys. The interaction is already bound to the browser by oidc-provider's
 * signed, SameSite=Lax interaction cookie; the token is the second, independent layer.
 */
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(cookieKey: string) {
    this.key = createHmac('sha256', cookieKey).update('switchboard csrf v1').digest();
  }

  issue(uid: string): string {
    return createHmac('sha256', this.key).update(uid).digest('base64url');
  }

  verify(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length > 100) return false;
    const expected = Buffer.from(this.issue(uid));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
