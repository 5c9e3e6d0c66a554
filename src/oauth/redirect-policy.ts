/**
 * Which redirect URIs a client may declare (registration or CIMD document). At authorization time the
 * request's redirect_uri must equal a declared one exactly, except that a loopback URI matches on any
 * port (RFC 8252 §7.3: desktop clients listen on an ephemeral port).
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'ws:',
  'wss:',
]);

/** Claude's hosted callbacks (always https; listed so the policy is explicit about them). */
export const CLAUDE_CALLBACKS: readonly string[] = [
  'https://claude.ai/api/mcp/auth_callback',
  'https://claude.com/api/mcp/auth_callback',
];

export function isLoopbackRedirect(uri: string): boolean {
  const u = URL.parse(uri);
  return u !== null && u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
}

export function isAllowedRedirectUri(uri: string, kind: 'web' | 'native' | 'cimd'): boolean {
  const u = URL.parse(uri);
  if (!u || u.hash || u.username || u.password) return false;
  if (CLAUDE_CALLBACKS.includes(uri)) return true;
  if (u.protocol === 'https:') return true;
  if (u.protocol === 'http:') return LOOPBACK_HOSTS.has(u.hostname);
  // Private-use schemes (com.example.app:/cb) are for native apps registered as such.
  return (
    kind === 'native' &&
    /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(u.protocol) &&
    !FORBIDDEN_SCHEMES.has(u.protocol)
  );
}

/** The same URI with the port of a loopback URI removed, for port-agnostic comparison. */
function withoutLoopbackPort(uri: string): string | null {
  const u = URL.parse(uri);
  if (!u || !isLoopbackRedirect(uri)) return null;
  u.port = '';
  return u.href;
}

/** Exact match, or loopback on any port. */
export function redirectMatches(requested: string, declared: readonly string[]): boolean {
  if (declared.includes(requested)) return true;
  const stripped = withoutLoopbackPort(requested);
  return stripped !== null && declared.some((d) => withoutLoopbackPort(d) === stripped);
}
