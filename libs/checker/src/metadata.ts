/**
 * Validation of the two discovery documents Claude reads before it can sign anyone in: RFC 9728
 * protected-resource metadata and RFC 8414 / OpenID Connect authorization-server metadata, with the MCP
 * authorization spec's and Claude's requirements on top. Pure functions: findings in, nothing fetched.
 */
import { isSecureOrLoopback } from './http.js';

export interface Finding {
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  /** What to change (errors and warnings). */
  readonly hint?: string;
}

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported?: readonly string[];
  readonly resource_name?: string;
}

export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly registration_endpoint?: string;
  readonly response_types_supported?: readonly string[];
  readonly grant_types_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly client_id_metadata_document_supported?: boolean;
  readonly scopes_supported?: readonly string[];
  readonly authorization_response_iss_parameter_supported?: boolean;
}

/** RFC 9728 §3.1: the well-known suffix goes between the host and the path; the root form is the fallback. */
export function protectedResourceMetadataUrls(mcpUrl: string): string[] {
  const u = new URL(mcpUrl);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  const inserted = `${u.origin}/.well-known/oauth-protected-resource${path}`;
  const root = `${u.origin}/.well-known/oauth-protected-resource`;
  return inserted === root ? [root] : [inserted, root];
}

function normalise(url: string): string | null {
  const u = URL.parse(url);
  if (!u) return null;
  u.hash = '';
  return u.href;
}

/** How a metadata document's `resource` relates to the URL the client was given. */
export function compareResource(resource: string, mcpUrl: string): 'same' | 'covers' | 'different' {
  const r = normalise(resource);
  const m = normalise(mcpUrl);
  if (r === null || m === null) return 'different';
  if (r === m) return 'same';
  const ru = new URL(r);
  const mu = new URL(m);
  if (ru.origin !== mu.origin || ru.search !== '' || mu.search !== '') return 'different';
  const prefix = ru.pathname.endsWith('/') ? ru.pathname : `${ru.pathname}/`;
  return mu.pathname.startsWith(prefix) ? 'covers' : 'different';
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

export function validateProtectedResourceMetadata(
  doc: Record<string, unknown>,
  mcpUrl: string,
): { findings: Finding[]; metadata: ProtectedResourceMetadata | null } {
  const findings: Finding[] = [];
  const resource = doc.resource;
  const servers = stringArray(doc.authorization_servers);
  if (typeof resource !== 'string' || resource === '') {
    findings.push({
      level: 'error',
      message: 'the document has no "resource"',
      hint: `Set "resource" to the MCP URL exactly: ${mcpUrl}`,
    });
  } else {
    const relation = compareResource(resource, mcpUrl);
    if (relation === 'different') {
      findings.push({
        level: 'error',
        message: `"resource" is ${resource}, not this URL (${mcpUrl}); clients must refuse such metadata (RFC 9728 §3.3)`,
        hint: `Set "resource" to ${mcpUrl} — check the server's public URL setting (PUBLIC_URL for Switchboard) and any proxy rewriting the host or path.`,
      });
    } else if (relation === 'covers') {
      findings.push({
        level: 'warning',
        message: `"resource" is ${resource}, a parent of this URL: tokens will name ${resource} as their audience, not the endpoint`,
        hint: `Publish metadata whose "resource" is exactly ${mcpUrl}.`,
      });
    }
  }
  if (!servers || servers.length === 0) {
    findings.push({
      level: 'error',
      message: 'the document lists no "authorization_servers"',
      hint: 'List the issuer URL of the authorization server that issues tokens for this endpoint.',
    });
  } else {
    for (const s of servers) {
      if (!URL.parse(s)) {
        findings.push({
          level: 'error',
          message: `authorization server "${s}" is not a URL`,
          hint: 'Use the issuer URL.',
        });
      } else if (!isSecureOrLoopback(s)) {
        findings.push({
          level: 'error',
          message: `authorization server ${s} is not https`,
          hint: 'Serve the authorization server over https; clients refuse plain http outside loopback.',
        });
      }
    }
  }
  const bearer = stringArray(doc.bearer_methods_supported);
  if (bearer && !bearer.includes('header')) {
    findings.push({
      level: 'warning',
      message: `bearer_methods_supported is [${bearer.join(', ')}] without "header"; MCP sends tokens only in the Authorization header`,
      hint: 'Accept bearer tokens in the Authorization header and list "header".',
    });
  }
  const scopes = stringArray(doc.scopes_supported);
  if (scopes) findings.push({ level: 'note', message: `scopes_supported: ${scopes.join(' ') || '(empty)'}` });
  const ok = typeof resource === 'string' && servers !== null && servers.length > 0;
  return {
    findings,
    metadata: ok
      ? {
          resource,
          authorization_servers: servers,
          ...(scopes ? { scopes_supported: scopes } : {}),
          ...(bearer ? { bearer_methods_supported: bearer } : {}),
          ...(typeof doc.resource_name === 'string' ? { resource_name: doc.resource_name } : {}),
        }
      : null,
  };
}

function endpoint(
  doc: Record<string, unknown>,
  name: string,
  findings: Finding[],
  required: boolean,
): string | undefined {
  const value = doc[name];
  if (value === undefined) {
    if (required) {
      findings.push({
        level: 'error',
        message: `"${name}" is missing`,
        hint: `Publish "${name}" in the metadata.`,
      });
    }
    return undefined;
  }
  if (typeof value !== 'string' || !URL.parse(value)) {
    findings.push({
      level: 'error',
      message: `"${name}" is not a URL`,
      hint: `Make "${name}" an absolute URL.`,
    });
    return undefined;
  }
  if (!isSecureOrLoopback(value)) {
    findings.push({
      level: 'error',
      message: `"${name}" (${value}) is not https`,
      hint: 'OAuth endpoints must be served over https (OAuth 2.1 §1.5).',
    });
  }
  return value;
}

export function validateAuthorizationServerMetadata(
  doc: Record<string, unknown>,
  issuer: string,
): { findings: Finding[]; metadata: AuthorizationServerMetadata | null } {
  const findings: Finding[] = [];
  if (doc.issuer !== issuer) {
    findings.push({
      level: 'error',
      message: `"issuer" is ${JSON.stringify(doc.issuer ?? null)}, not ${issuer} as the protected-resource metadata says`,
      hint: 'The issuer in the authorization-server metadata must equal the URL listed in "authorization_servers" exactly (RFC 8414 §3.3), trailing slash included.',
    });
  }
  const authorization = endpoint(doc, 'authorization_endpoint', findings, true);
  const token = endpoint(doc, 'token_endpoint', findings, true);
  const registration = endpoint(doc, 'registration_endpoint', findings, false);

  const responseTypes = stringArray(doc.response_types_supported);
  if (!responseTypes || !responseTypes.includes('code')) {
    findings.push({
      level: 'error',
      message: responseTypes
        ? `response_types_supported is [${responseTypes.join(', ')}] without "code"`
        : 'response_types_supported is missing',
      hint: 'Support the authorization code flow and list "code" in response_types_supported.',
    });
  }
  const grants = stringArray(doc.grant_types_supported);
  if (grants && !grants.includes('authorization_code')) {
    findings.push({
      level: 'error',
      message: `grant_types_supported is [${grants.join(', ')}] without "authorization_code"`,
      hint: 'Enable the authorization_code grant.',
    });
  } else if (grants && !grants.includes('refresh_token')) {
    findings.push({
      level: 'warning',
      message: 'no refresh_token grant: people will have to sign in again whenever an access token expires',
      hint: 'Enable the refresh_token grant (with rotation for public clients).',
    });
  }

  const pkce = stringArray(doc.code_challenge_methods_supported);
  if (!pkce) {
    findings.push({
      level: 'error',
      message:
        'code_challenge_methods_supported is missing: MCP clients refuse to authorize without advertised PKCE',
      hint: 'Support PKCE with S256 and advertise code_challenge_methods_supported: ["S256"].',
    });
  } else if (!pkce.includes('S256')) {
    findings.push({
      level: 'error',
      message: `PKCE S256 is not supported (code_challenge_methods_supported: [${pkce.join(', ')}])`,
      hint: 'Support the S256 code challenge method; MCP clients only use S256.',
    });
  } else if (pkce.includes('plain')) {
    findings.push({
      level: 'warning',
      message: 'the "plain" PKCE method is also offered; it protects nothing against an intercepted request',
      hint: 'Offer only S256 (OAuth 2.1 §4.1.1).',
    });
  }

  const cimd = doc.client_id_metadata_document_supported === true;
  const authMethods = stringArray(doc.token_endpoint_auth_methods_supported);
  // RFC 8414 §2: when absent, the default is client_secret_basic, which public clients cannot use.
  const publicClients = authMethods?.includes('none') ?? false;
  if (!cimd && !registration) {
    findings.push({
      level: 'error',
      message:
        'neither client ID metadata documents nor dynamic client registration is offered: Claude cannot identify itself',
      hint: 'Advertise client_id_metadata_document_supported: true, or a registration_endpoint (RFC 7591).',
    });
  }
  if (!publicClients) {
    const where = authMethods ? `[${authMethods.join(', ')}]` : 'absent (defaults to client_secret_basic)';
    findings.push({
      level: cimd && !registration ? 'error' : 'warning',
      message: `token_endpoint_auth_methods_supported is ${where} without "none"; Claude is a public client${cimd ? ' and uses metadata documents only with "none"' : ''}`,
      hint: 'List "none" in token_endpoint_auth_methods_supported and accept public clients with PKCE.',
    });
  }
  findings.push({
    level: 'note',
    message: `client identification: ${[cimd ? 'client ID metadata documents' : null, registration ? 'dynamic registration' : null].filter(Boolean).join(' and ') || 'none'}`,
  });

  const complete = authorization !== undefined && token !== undefined && typeof doc.issuer === 'string';
  return {
    findings,
    metadata: complete
      ? {
          issuer: doc.issuer as string,
          authorization_endpoint: authorization,
          token_endpoint: token,
          ...(registration ? { registration_endpoint: registration } : {}),
          ...(responseTypes ? { response_types_supported: responseTypes } : {}),
          ...(grants ? { grant_types_supported: grants } : {}),
          ...(pkce ? { code_challenge_methods_supported: pkce } : {}),
          ...(authMethods ? { token_endpoint_auth_methods_supported: authMethods } : {}),
          client_id_metadata_document_supported: cimd,
          ...(stringArray(doc.scopes_supported)
            ? { scopes_supported: stringArray(doc.scopes_supported)! }
            : {}),
          authorization_response_iss_parameter_supported:
            doc.authorization_response_iss_parameter_supported === true,
        }
      : null,
  };
}
