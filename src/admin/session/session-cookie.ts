import type { Request, Response } from 'express';
import { readCookie } from '../../oauth/upstream/upstream-state.js';

/**
 * The dashboard's session cookie. Over https it takes the `__Host-` prefix, which browsers only accept
 * with Secure, Path=/ and no Domain: no subdomain can plant or overwrite it.
 */
export class SessionCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(publicUrl: string) {
    this.secure = publicUrl.startsWith('https:');
    this.name = this.secure ? '__Host-sb_session' : 'sb_session';
  }

  read(req: Request): string | null {
    return readCookie(req.headers.cookie, this.name);
  }

  set(res: Response, token: string, expiresAt: Date): void {
    res.cookie(this.name, token, { ...this.options(), expires: expiresAt });
  }

  clear(res: Response): void {
    res.clearCookie(this.name, this.options());
  }

  private options() {
    return { httpOnly: true, secure: this.secure, sameSite: 'lax' as const, path: '/' };
  }
}

/** The origins a browser request may come from: PUBLIC_URL's, or the one the request was addressed to. */
export function sameOrigin(req: Request, publicOrigin: string, allowedHosts: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === publicOrigin) return true;
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  const hostname = host.replace(/:\d+$/, '');
  const allowed = allowedHosts.includes(host) || allowedHosts.includes(hostname);
  return allowed && origin === `${req.protocol}://${host}`;
}
