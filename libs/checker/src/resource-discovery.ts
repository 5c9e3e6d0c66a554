/**
 * From the 401 to the authorization server: the challenge, RFC 9728 protected-resource metadata and
 * RFC 8414 / OpenID Connect authorization-server metadata, as Claude reads them.
 */
import { buildDiscoveryUrls } from '@modelcontextprotocol/client';

import type { CheckContext } from './context.js';
import { isJsonContentType, parseJsonObject, request, type HttpExchange } from './http.js';
import {
  protectedResourceMetadataUrls,
  validateAuthorizationServerMetadata,
  validateProtectedResourceMetadata,
  type Finding,
} from './metadata.js';
import { verdict, type StepVerdict } from './recorder.js';
import { findChallenge, parseWwwAuthenticate } from './www-authenticate.js';

export async function challenge(ctx: CheckContext, ex: HttpExchange): Promise<StepVerdict> {
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

export async function protectedResource(ctx: CheckContext): Promise<StepVerdict> {
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

export async function authorizationServer(ctx: CheckContext): Promise<StepVerdict> {
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
