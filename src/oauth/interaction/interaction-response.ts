import type { Request, Response } from 'express';
import { errorPage } from '../views/pages.js';
import type { InteractionOutcome } from './interaction.service.js';

/**
 * How every sign-in, consent and error page leaves: a strict CSP (no scripts at all; forms may post here
 * and land on the client's redirect URI or, for "Continue with …", the identity provider), no caching,
 * no framing. Shared by the interaction and upstream sign-in controllers.
 */
export function sendInteractionOutcome(res: Response, outcome: InteractionOutcome): void {
  if (outcome.kind === 'finished' || res.headersSent) return;
  const formAction = [
    "'self'",
    ...outcome.formTargets.filter((t) => /^[a-z][a-z0-9+.-]*:(\/\/[^\s;,'"]+)?$/i.test(t)),
  ];
  res
    .status(outcome.status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        `form-action ${formAction.join(' ')}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
      'X-Frame-Options': 'DENY',
      // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own form posts.
      'Referrer-Policy': 'same-origin',
    })
    .send(outcome.html);
}

/**
 * Browsers send Origin on form posts; a post from another site is refused (with a page) before anything
 * else. Returns true when the request may go on.
 */
export function allowSameSitePost(req: Request, res: Response, publicOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === publicOrigin || origin === `${req.protocol}://${req.headers.host}`) {
    return true;
  }
  sendInteractionOutcome(res, {
    kind: 'page',
    status: 403,
    html: errorPage({ title: 'Cannot continue', message: 'This form was posted from another site.' }),
    formTargets: [],
  });
  return false;
}
