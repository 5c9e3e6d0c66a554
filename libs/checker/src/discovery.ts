/**
 * What Claude does before anyone signs in: reach the URL, meet its TLS certificate, get a 401 with a
 * challenge, read the protected-resource metadata and then the authorization server's.
 */
import { buildDiscoveryUrls } from '@modelcontextprotocol/client';

import type { CheckContext } from './context.js';
import {
  isJsonContentType,
  isLoopbackHost,
  NetworkError,
  parseJsonObject,
  request,
  type HttpExchange,
} from './http.js';
import {
  protectedResourceMetadataUrls,
  validateAuthorizationServerMetadata,
  validateProtectedResourceMetadata,
  type Finding,
} from './metadata.js';
import { networkHint, verdict, type StepVerdict } from './recorder.js';
import { evaluateCertificate, inspectTlsCertificate } from './tls-probe.js';
import { findChallenge, parseWwwAuthenticate } from './www-authenticate.js';

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
      networkHint(new NetworkError('tls', null, message)),
    );
  }
}

async function challenge(ctx: CheckContext, ex: HttpExchange): Promise<StepVerdict> {
  const s = ex.status;
  if (s >= 200 && s < 300) {
    ctx.state.authRequired = false;
    return verdict.warn(
      `HTTP ${s}: the endpoint answers without any credential`,
      'Anyone with the URL can use it. If that is not intended, require OAuth: answer 401 with WWW-Authenticate: Bearer resource_metadata="…".',
    );
  }
  if (s !== 401) {
    return verdict.fail(
      `HTTP ${s} instead of 401 to a request without credentials`,
      s === 403
        ? 'Answer 401 (not 403) when no credential is presented: Claude starts sign-in only on a 401.'
        : 'Answer 401 with a WWW-Authenticate: Bearer challenge when no credential is presented, before looking at the request further.',
      { data: { status: s } },
    );
  }
  ctx.state.authRequired = true;
  const header = ex.headers.get('www-authenticate');
  if (!header) {
    return verdict.fail(
      '401 without a WWW-Authenticate header',
      'Send WWW-Authenticate: Bearer resource_metadata="<protected-resource metadata URL>", scope="…" with every 401 (RFC 9728 §5.1).',
    );
  }
  let bearer;
  let schemes: string[];
  try {
    const challenges = parseWwwAuthenticate(header);
    schemes = challenges.map((c) => c.scheme);
    bearer = findChallenge(challenges, 'Bearer');
  } catch (error) {
    return verdict.fail(
      error instanceof Error ? error.message : String(error),
      'Fix the header syntax (RFC 9110 §11.6.1).',
      {
        details: [`WWW-Authenticate: ${header}`],
      },
    );
  }
  const details = [`WWW-Authenticate: ${header}`];
  if (!bearer) {
    return verdict.fail(
      `the 401 offers ${schemes.join(', ') || 'no'} scheme(s) but not Bearer`,
      'Offer a Bearer challenge: MCP clients authenticate with OAuth bearer tokens.',
      { details },
    );
  }
  const findings: Finding[] = [];
  const rm = bearer.params.resource_metadata;
  if (rm === undefined) {
    findings.push({
      level: 'warning',
      message: 'the Bearer challenge has no resource_metadata; clients must guess the metadata location',
      hint: 'Add resource_metadata="<protected-resource metadata URL>" to the challenge (RFC 9728 §5.1).',
    });
  } else if (!URL.parse(rm)) {
    findings.push({
      level: 'error',
      message: `resource_metadata "${rm}" is not an absolute URL`,
      hint: 'Use an absolute URL.',
    });
  } else {
    ctx.state.resourceMetadataUrl = rm;
  }
  const scope = bearer.params.scope;
  if (scope) ctx.state.challengeScope = scope;
  else
    findings.push({
      level: 'note',
      message: 'no scope in the challenge: Claude asks for the scopes listed in the metadata',
    });
  if (bearer.params.error) {
    findings.push({
      level: 'note',
      message: `error="${bearer.params.error}" on a request that carried no credential (RFC 6750 §3.1 suggests none)`,
    });
  }
  return verdict.fromFindings(
    [...findings, { level: 'note', message: details[0]! }],
    `401 with a Bearer challenge${rm ? ' naming the metadata' : ''}`,
    {
      resourceMetadata: rm ?? null,
      scope: scope ?? null,
    },
  );
}

async function fetchJson(
  ctx: CheckContext,
  url: string,
): Promise<{ ex: HttpExchange; doc: Record<string, unknown> | null }> {
  const ex = await request(ctx.http, url, { headers: { Accept: 'application/json' } });
  return { ex, doc: ex.status === 200 ? parseJsonObject(ex.body) : null };
}

async function protectedResource(ctx: CheckContext): Promise<StepVerdict> {
  const derived = protectedResourceMetadataUrls(ctx.url);
  const candidates = ctx.state.resourceMetadataUrl ? [ctx.state.resourceMetadataUrl] : derived;
  const attempts: string[] = [];
  for (const url of candidates) {
    const { ex, doc } = await fetchJson(ctx, url);
    attempts.push(`GET ${url} → ${ex.status}`);
    if (ex.status !== 200) continue;
    if (!doc) {
      return verdict.fail(
        `${url} answered 200 but not with a JSON object`,
        'Serve the metadata as application/json.',
        {
          details: attempts,
        },
      );
    }
    const { findings, metadata } = validateProtectedResourceMetadata(doc, ctx.url);
    if (!isJsonContentType(ex.headers.get('content-type'))) {
      findings.push({
        level: 'warning',
        message: `Content-Type is ${ex.headers.get('content-type') ?? 'missing'}`,
        hint: 'Serve it as application/json.',
      });
    }
    const v = verdict.fromFindings(
      [...attempts.map((a) => ({ level: 'note' as const, message: a })), ...findings],
      `found at ${url}`,
      {
        url,
        resource: metadata?.resource ?? null,
        authorizationServers: metadata ? [...metadata.authorization_servers] : [],
        scopesSupported: metadata?.scopes_supported ? [...metadata.scopes_supported] : null,
      },
    );
    // Only a document Claude would accept carries the flow forward.
    if (metadata && v.outcome !== 'fail') ctx.state.prm = metadata;
    return v;
  }
  return verdict.fail(
    'no protected-resource metadata (RFC 9728) was found',
    `Serve JSON at ${derived[0]} with "resource": "${ctx.url}" and "authorization_servers": ["<issuer URL>"], and name it in the 401's resource_metadata. Without it Claude cannot find where to sign in.`,
    { details: attempts },
  );
}

async function authorizationServer(ctx: CheckContext): Promise<StepVerdict> {
  const prm = ctx.state.prm!;
  const issuer = prm.authorization_servers[0]!;
  const attempts: string[] = [];
  if (prm.authorization_servers.length > 1)
    attempts.push(`several authorization servers listed; checking the first, ${issuer}`);
  for (const { url } of buildDiscoveryUrls(issuer)) {
    const { ex, doc } = await fetchJson(ctx, url.href);
    attempts.push(`GET ${url.href} → ${ex.status}`);
    if (!doc) continue;
    const { findings, metadata } = validateAuthorizationServerMetadata(doc, issuer);
    const v = verdict.fromFindings(
      [...attempts.map((a) => ({ level: 'note' as const, message: a })), ...findings],
      `valid metadata for ${issuer}`,
      {
        url: url.href,
        issuer,
        authorizationEndpoint: metadata?.authorization_endpoint ?? null,
        tokenEndpoint: metadata?.token_endpoint ?? null,
        registrationEndpoint: metadata?.registration_endpoint ?? null,
        codeChallengeMethods: metadata?.code_challenge_methods_supported
          ? [...metadata.code_challenge_methods_supported]
          : null,
        clientIdMetadataDocuments: metadata?.client_id_metadata_document_supported ?? false,
        tokenEndpointAuthMethods: metadata?.token_endpoint_auth_methods_supported
          ? [...metadata.token_endpoint_auth_methods_supported]
          : null,
      },
    );
    if (metadata && v.outcome !== 'fail') ctx.state.asMeta = metadata;
    return v;
  }
  return verdict.fail(
    `no authorization-server metadata for ${issuer}`,
    `Serve RFC 8414 metadata at ${buildDiscoveryUrls(issuer)[0]?.url.href ?? issuer} (or OpenID Connect discovery).`,
    { details: attempts },
  );
}
