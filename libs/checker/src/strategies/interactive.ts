import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AuthorizationStrategyError, bounded, type AuthorizationStrategy } from './strategy.js';

export interface InteractiveOptions {
  /** Loopback address to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port; loopback redirect URIs match on any port, RFC 8252 §7.3). */
  readonly port?: number;
  readonly path?: string;
  /** How long to wait for the person to finish signing in. Default 5 minutes. */
  readonly waitMs?: number;
}

const PAGE = (message: string) =>
  `<!doctype html><meta charset="utf-8"><title>Switchboard check</title><p>${message}</p>`;

/**
 * A person signs in: the checker announces the authorization URL (an `action-required` event; the CLI
 * prints it) and waits, bounded, for the browser to come back to a listener on loopback.
 */
export function interactiveAuthorization(options: InteractiveOptions = {}): AuthorizationStrategy {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/callback';
  const waitMs = options.waitMs ?? 300_000;
  let server: Server | null = null;
  let expectedState: string | null = null;
  let deliver: ((url: URL) => void) | null = null;
  let redirectUri = '';

  return {
    name: 'interactive',
    async prepare() {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        if (req.method !== 'GET' || url.pathname !== path) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
          return;
        }
        // Only the redirect of this check's request counts; anything else (a stale tab) is refused.
        if (expectedState === null || url.searchParams.get('state') !== expectedState || !deliver) {
          res
            .writeHead(400, { 'Content-Type': 'text/html' })
            .end(PAGE('This link does not belong to a running check.'));
          return;
        }
        res
          .writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' })
          .end(PAGE('Done: return to the terminal. You can close this window.'));
        deliver(url);
        deliver = null;
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(options.port ?? 0, host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      redirectUri = `http://${hostPart}:${port}${path}`;
      return redirectUri;
    },
    async authorize(request, ctx) {
      if (!server) throw new AuthorizationStrategyError('the callback listener is not running');
      expectedState = request.state;
      const arrived = new Promise<URL>((resolve) => (deliver = resolve));
      ctx.requireAction({ kind: 'open-authorization-url', url: request.authorizationUrl.href, waitMs });
      return bounded(arrived, waitMs, ctx.signal, 'the sign-in in the browser').catch((error: unknown) => {
        throw error instanceof AuthorizationStrategyError
          ? new AuthorizationStrategyError(
              error.message,
              'Open the printed link in a browser on this machine, sign in and approve; or use --user for a Switchboard endpoint.',
            )
          : error;
      });
    },
    async close() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
