import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * Sessions opened through a tenant's own identity provider serve that tenant only.
 *
 * Users are platform-wide and an upstream IdP is configured by one tenant: if a session it opened were
 * accepted everywhere, whoever runs tenant A's IdP could assert the email of a member of tenant B and
 * reach B as that person. The login result therefore names the tenant in `acr`, and (1) the login prompt
 * asks for a fresh sign-in when a request is for another tenant, (2) session-authenticated APIs refuse
 * such a session outside its tenant. Password sessions carry no such `acr` and are unaffected.
 */

const ACR_PREFIX = 'urn:switchboard:acr:idp:';

/** The `acr` a sign-in through tenant `tenantId`'s identity provider records in the session. */
export function upstreamAcr(tenantId: string): string {
  return `${ACR_PREFIX}${tenantId}`;
}

/** The tenant whose identity provider opened a session with this `acr`, or null (not an upstream sign-in). */
export function upstreamTenantOf(acr: unknown): string | null {
  return typeof acr === 'string' && acr.startsWith(ACR_PREFIX) ? acr.slice(ACR_PREFIX.length) : null;
}

/** Whether a sign-in session may act for `tenantId`. */
export function sessionServesTenant(
  session: { readonly acr?: unknown } | undefined,
  tenantId: string,
): boolean {
  const bound = upstreamTenantOf(session?.acr);
  return bound === null || bound === tenantId;
}

/**
 * oidc-provider's default interaction policy plus one login check: a session opened by another tenant's
 * identity provider does not satisfy a request for this tenant's endpoint (the user signs in again).
 * `tenantOf` maps the request's resource indicator to its tenant id (null when it is not an endpoint).
 */
export function tenantBoundInteractionPolicy(
  tenantOf: (resource: string) => Promise<string | null>,
): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider has no login prompt to extend');
  login.checks.add(
    new interactionPolicy.Check(
      'upstream_session_other_tenant',
      "the session was opened through another tenant's identity provider",
      'login_required',
      async (ctx: KoaContextWithOIDC) => {
        const bound = upstreamTenantOf(ctx.oidc.session?.acr);
        if (bound === null || !ctx.oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const resource = ctx.oidc.params?.resource;
        const tenantId = typeof resource === 'string' ? await tenantOf(resource) : null;
        return tenantId === bound
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}
