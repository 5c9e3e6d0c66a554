/**
 * What Claude does before anyone signs in: reach the URL, meet its TLS certificate, get a 401 with a
 * challenge, read the protected-resource metadata and then the authorization server's.
 */
import type { CheckContext } from './context.js';
import { isLoopbackHost, NetworkError, request, type HttpExchange } from './http.js';
import { networkHint, verdict, type StepVerdict } from './recorder.js';
import { authorizationServer, challenge, protectedResource } from './resource-discovery.js';
import { evaluateCertificate, inspectTlsCertificate } from './tls-probe.js';

export const LEGACY_VERSION = '2025-11-25';

export function initializeBody(ctx: CheckContext, id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: ctx.clientInfo },
  });
}

export async function runDiscovery(ctx: CheckContext): Promise<void> {
  const { recorder } = ctx;
  await recorder.run('reachability', () => reachability(ctx));
  const reached = recorder.ok('reachability');
  const unauthenticated = ctx.state.unauthenticated;

  if (URL.parse(ctx.url)?.protocol === 'https:') {
    if (ctx.options.inspectTls === false)
      recorder.skip('tls', 'not-applicable', 'certificate inspection turned off');
    else await recorder.run('tls', () => tls(ctx));
  } else {
    const host = new URL(ctx.url).hostname;
    if (isLoopbackHost(host)) {
      recorder.skip(
        'tls',
        'not-applicable',
        'plain http on loopback: fine for a local check; Claude itself needs a public https URL',
      );
    } else {
      await recorder.run('tls', async () =>
        verdict.fail(
          'the URL is plain http',
          'Claude connects only to https URLs: serve the endpoint over TLS with a public certificate.',
        ),
      );
    }
  }

  if (!reached || !unauthenticated) {
    for (const id of [
      'unauthenticated-challenge',
      'protected-resource-metadata',
      'authorization-server-metadata',
    ] as const) {
      recorder.blocked(id, 'reachability');
    }
    return;
  }
  await recorder.run('unauthenticated-challenge', () => challenge(ctx, unauthenticated));
  if (ctx.state.authRequired === false) {
    recorder.skip(
      'protected-resource-metadata',
      'not-applicable',
      'the endpoint does not ask for authorization',
    );
    recorder.skip(
      'authorization-server-metadata',
      'not-applicable',
      'the endpoint does not ask for authorization',
    );
    return;
  }
  // Claude falls back to the well-known location when the challenge lacks resource_metadata, so this runs either way.
  await recorder.run('protected-resource-metadata', () => protectedResource(ctx));
  if (!ctx.state.prm) {
    recorder.blocked('authorization-server-metadata', 'protected-resource-metadata');
    return;
  }
  await recorder.run('authorization-server-metadata', () => authorizationServer(ctx));
}

async function reachability(ctx: CheckContext): Promise<StepVerdict> {
  let ex: HttpExchange;
  try {
    ex = await request(ctx.http, ctx.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: initializeBody(ctx, 1),
      redirect: 'manual',
      maxBytes: 64 * 1024,
    });
  } catch (error) {
    if (error instanceof NetworkError)
      return verdict.fail(error.message, networkHint(error), { data: { error: error.kind } });
    throw error;
  }
  ctx.state.unauthenticated = ex;
  const data = { status: ex.status, ms: Math.round(ex.durationMs) };
  const s = ex.status;
  if (s >= 200 && s < 300) {
    // An endpoint without authorization may have opened a session for this probe: close it.
    const session = ex.headers.get('mcp-session-id');
    if (session) {
      await request(ctx.http, ctx.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': session } }).catch(
        () => undefined,
      );
    }
  }
  if (s >= 300 && s < 400) {
    const location = ex.headers.get('location');
    return verdict.fail(
      `the URL redirects (HTTP ${s}) to ${location ?? 'nowhere'}`,
      'Add the final URL to Claude instead: MCP clients do not follow redirects of their POST requests reliably.',
      { data: { ...data, location } },
    );
  }
  if (s === 404) {
    return verdict.fail(
      'HTTP 404: there is no MCP endpoint at this URL',
      'Check the path (Switchboard endpoints look like https://HOST/t/<tenant>/mcp) and that the tenant and endpoint exist.',
      { data },
    );
  }
  if (s === 405) {
    return verdict.fail(
      'HTTP 405: the URL does not accept POST, so it is not a Streamable HTTP MCP endpoint',
      'Point at the Streamable HTTP endpoint (often /mcp), not an HTTP+SSE (/sse) or web page URL.',
      { data },
    );
  }
  if (s >= 500) {
    return verdict.fail(
      `HTTP ${s} from the server before any authentication`,
      'The server or its proxy fails on the very first request: check its logs and health.',
      { data },
    );
  }
  return verdict.pass(`HTTP ${s} in ${Math.round(ex.durationMs)} ms`, { data });
}

async function tls(ctx: CheckContext): Promise<StepVerdict> {
  const u = new URL(ctx.url);
  const inspect = ctx.options.inspectTls || inspectTlsCertificate;
  try {
    const info = await inspect(u.hostname, Number(u.port || 443), {
      timeoutMs: ctx.http.timeoutMs,
      signal: ctx.http.signal,
    });
    return evaluateCertificate(info, u.hostname, ctx.now());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return verdict.fail(
      `could not complete a TLS handshake: ${message}`,
      'The certificate could not be read: check that the host answers TLS on this port (and, if the handshake itself fails, the certificate and the protocol versions it offers).',
    );
  }
}
