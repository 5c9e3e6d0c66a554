import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { AppConfig } from '../config/index.js';

export type MetricsListener = 'main' | 'metrics-port';

export type MetricsDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403 | 404; readonly message: string };

/**
 * Who may read /metrics (tenant slugs and traffic volumes are not for the internet):
 *
 * - `SWITCHBOARD_METRICS_TOKEN` set: a matching Bearer token, on whichever listener serves /metrics.
 * - `SWITCHBOARD_METRICS_PORT` set (no token): only the separate listener answers; the main port does not
 *   serve /metrics at all. The network in front of that port is the guard.
 * - neither: the main port answers loopback peers only, and only for requests that did not come through
 *   a proxy (a reverse proxy on the same host connects from loopback but adds forwarding headers).
 */
export function decideMetricsAccess(
  config: AppConfig['telemetry'],
  listener: MetricsListener,
  req: IncomingMessage,
): MetricsDecision {
  if (config.metricsToken !== null) {
    return bearerMatches(req.headers.authorization, config.metricsToken)
      ? { allowed: true }
      : { allowed: false, status: 401, message: 'A valid metrics token is required' };
  }
  if (config.metricsPort > 0) {
    return listener === 'metrics-port'
      ? { allowed: true }
      : { allowed: false, status: 404, message: `Metrics are served on port ${config.metricsPort}` };
  }
  if (isLoopback(req.socket.remoteAddress) && !proxied(req)) return { allowed: true };
  return {
    allowed: false,
    status: 403,
    message:
      'Metrics are served to loopback only; set SWITCHBOARD_METRICS_TOKEN or SWITCHBOARD_METRICS_PORT to scrape remotely',
  };
}

/** Constant-time comparison of the Bearer credential against the configured token. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Hashing both sides makes the comparison constant-time whatever the lengths.
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function proxied(req: IncomingMessage): boolean {
  const h = req.headers;
  return h['x-forwarded-for'] !== undefined || h.forwarded !== undefined || h['x-real-ip'] !== undefined;
}
