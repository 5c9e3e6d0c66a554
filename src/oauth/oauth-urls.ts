/**
 * The URLs the authorization server and the protected resources are known by. One issuer serves every
 * tenant; a token names exactly one endpoint through its audience (the endpoint's MCP URL, RFC 8707).
 */

/** Where the oidc-provider app is mounted; the issuer is `${publicUrl}${OAUTH_MOUNT}`. */
export const OAUTH_MOUNT = '/oauth';
/** Sign-in, consent and error pages (server-rendered, outside the provider's mount). */
export const INTERACTION_MOUNT = '/interaction';

/** Scopes on MCP resources. `mcp` = whatever the user's role allows; the others narrow it. */
export const MCP_SCOPES = ['mcp', 'mcp:read', 'mcp:write', 'mcp:admin'] as const;
/** What a client is told to ask for when it has no better idea (WWW-Authenticate `scope`). */
export const DEFAULT_MCP_SCOPE = 'mcp';

export function issuerFor(publicUrl: string): string {
  return `${publicUrl}${OAUTH_MOUNT}`;
}

/** `/t/acme/mcp` → `https://host/t/acme/mcp`: the resource indicator and token audience of an endpoint. */
export function resourceUrlFor(publicUrl: string, endpointPath: string): string {
  return `${publicUrl}${endpointPath}`;
}

/** RFC 9728 §3: the well-known path is inserted between the host and the resource's path. */
export function protectedResourceMetadataUrlFor(publicUrl: string, endpointPath: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource${endpointPath}`;
}

export interface ResourceTarget {
  readonly tenant: string;
  /** null = the tenant's default endpoint (`/t/<tenant>/mcp`). */
  readonly endpoint: string | null;
}

const RESOURCE_PATH = /^\/t\/([a-z0-9-]{2,40})(?:\/e\/([a-z0-9-]{2,40}))?\/mcp$/;

/**
 * Parses a resource indicator into the endpoint it names, or null when it is not one of ours. Only the
 * exact spelling built by {@link resourceUrlFor} is accepted (no query, fragment, trailing slash or case
 * variants), so a token's audience compares as a plain string.
 */
export function parseResourceUrl(publicUrl: string, resource: string): ResourceTarget | null {
  if (!resource.startsWith(`${publicUrl}/`)) return null;
  const m = RESOURCE_PATH.exec(resource.slice(publicUrl.length));
  if (!m) return null;
  return { tenant: m[1] as string, endpoint: m[2] ?? null };
}

/** The endpoint path a protected-resource metadata URL was asked for, or null. */
export function endpointPathFromMetadataPath(path: string): ResourceTarget | null {
  const prefix = '/.well-known/oauth-protected-resource';
  if (!path.startsWith(`${prefix}/`)) return null;
  const m = RESOURCE_PATH.exec(path.slice(prefix.length));
  return m ? { tenant: m[1] as string, endpoint: m[2] ?? null } : null;
}
