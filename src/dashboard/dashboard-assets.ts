import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import helmet from 'helmet';

/** Where the built dashboard lives (`vite build` of apps/dashboard); a token so tests can point elsewhere. */
export const DASHBOARD_DIR = Symbol('DASHBOARD_DIR');

export const DASHBOARD_MOUNT = '/admin';

/**
 * The dashboard's policy: only our own scripts, styles, images and API; no inline script or style
 * element, no plugins, no framing. Charts and React set styles through the DOM, which `style-src` allows.
 */
export function dashboardCsp(publicUrl: string): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(publicUrl.startsWith('https:') ? { upgradeInsecureRequests: [] } : {}),
    },
  });
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Switchboard</title>
<p>The dashboard has not been built. Run <code>npm run build</code> (or <code>npm start</code>) and reload.</p></html>`;

/**
 * Serves the single-page app under /admin: hashed files in assets/ cached for a year, index.html never
 * cached (a deploy is seen at the next navigation), and index.html for every other path so the app's
 * own routes survive a reload. A missing asset is a 404, never the app.
 */
export function dashboardHandler(dir: string, publicUrl: string): RequestHandler {
  const csp = dashboardCsp(publicUrl);
  const index = join(dir, 'index.html');
  const assets = express.static(join(dir, 'assets'), {
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: true,
    redirect: false,
  });
  const topLevel = express.static(dir, { index: false, maxAge: '1h', fallthrough: true, redirect: false });

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the app's own
    // POSTs, and the admin API refuses changes whose origin it cannot see.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    csp(req, res, (err?: unknown) => {
      if (err) return next(err);
      // From originalUrl: how the middleware is mounted decides what req.path holds.
      const full = new URL(req.originalUrl, 'http://dashboard.invalid').pathname;
      const path = full.slice(DASHBOARD_MOUNT.length) || '/';
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const notFound = () =>
        res.status(404).type('text/plain').setHeader('Cache-Control', 'no-store').send('Not found');
      if (path.startsWith('/assets/')) {
        req.url = path.slice('/assets'.length) + search;
        return assets(req, res, notFound);
      }
      const app = () => {
        if (!existsSync(index)) {
          res.status(503).setHeader('Cache-Control', 'no-store').type('html').send(NOT_BUILT);
          return;
        }
        res.sendFile(index, { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } }, (e) => {
          if (e && !res.headersSent) next(e);
        });
      };
      // A path with an extension names a file: serve it or say it is missing. Anything else is a route.
      if (/\.[a-z0-9]+$/i.test(path)) {
        req.url = path + search;
        return topLevel(req, res, notFound);
      }
      return app();
    });
  };
}
