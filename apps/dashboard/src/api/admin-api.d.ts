// Generated from openapi/admin-api.json by scripts/dashboard-api-types.mjs: do not edit.
export interface paths {
  '/api/v1/checks/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Where another server’s sign-in returns during a check (a page for the browser)
     * @description The OAuth redirect of a running check: bound to its job by the `state` the check generated (a mismatch, a finished check or a second use is refused with a page saying so). Answers a small HTML page, "You can close this tab".
     */
    get: operations['checkSignInCallback'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/invitations/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept an invitation: joins the tenant with its role and signs in (as POST /session)
     * @description A new account needs password (the same rules as `switchboard user set-password`: 12 or more characters). An existing account proves itself with its own password, or with its dashboard session (cookie, X-CSRF-Token and our origin; a password session, not one opened by another tenant’s identity provider) — an invitation never changes a password. Answers 201 with the session and sets the session cookie (a session already used to accept stays as it is). The link then stops working.
     */
    post: operations['acceptInvitation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/invitations/lookup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * What an invitation link is for (the page the link opens asks this first)
     * @description needsPassword: no account exists for the email yet — the person chooses a password to accept. Otherwise the account exists: accepting needs its own password (canSignInWithPassword), or a password-signed-in dashboard session of it. Invalid links answer 404, used, withdrawn or expired ones 412 with details.reason; repeated invalid links from one address are throttled (429).
     */
    post: operations['lookUpInvitation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every tenant (platform operators) */
    get: operations['listAllTenants'];
    put?: never;
    /** Create a tenant with its default endpoint and owner (platform operators) */
    post: operations['createTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{tenant}/reactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reactivate a suspended tenant */
    post: operations['reactivateTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{tenant}/suspend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Suspend a tenant: its MCP URLs refuse every request until it is reactivated */
    post: operations['suspendTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The current session, its CSRF token and the tenants it may act in */
    get: operations['getSession'];
    put?: never;
    /**
     * Sign in with email and password
     * @description The same check as the OAuth sign-in page (argon2id, account lockout, per-address and per-account throttling). Sets the HttpOnly session cookie and returns the session with its CSRF token. A browser must post it from our own origin.
     */
    post: operations['signIn'];
    /** Sign out: the session ends on every node at once */
    delete: operations['signOut'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/session/providers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tenant's single sign-on option for the dashboard's sign-in page (empty when it has none) */
    get: operations['listSignInProviders'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/session/sso': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start signing in through the tenant's OpenID Connect provider
     * @description Sets a short-lived attempt cookie and answers the URL to send the browser to (window.location). The provider returns to /oauth/upstream/callback, which opens a session bound to this tenant and redirects to returnTo (with ?signin_error=<reason> when refused).
     */
    post: operations['startSingleSignOn'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant, its MCP URL and the caller’s role */
    get: operations['getTenant'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Rename the tenant */
    patch: operations['updateTenant'];
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/access-rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Per-endpoint and per-tool allow/deny rules on top of roles, oldest first
     * @description The most specific subject decides (a user, then a role, then everyone; a rule for the endpoint before a tenant-wide one); deny wins a tie. A tool allow lifts the role ceiling for that one tool; an endpoint deny shuts the endpoint. Credentials’ scopes still narrow everything.
     */
    get: operations['listAccessRules'];
    put?: never;
    /** Add a rule (applies at once on this node, within 15 s on others) */
    post: operations['createAccessRule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/access-rules/{ruleId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a rule */
    delete: operations['deleteAccessRule'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** API keys (admins: all of the tenant’s; members: their own), newest first */
    get: operations['listApiKeys'];
    put?: never;
    /**
     * Create an API key; the key itself is in this answer only
     * @description Scopes: mcp (MCP URLs, as the role allows), mcp:read|write|admin (narrower), admin (this API). A key never exceeds its holder’s role. Admins may create keys for other members.
     */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/api-keys/{keyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key (effective at once on this node, within 15 s on others) */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Query the audit log (newest first), or tail it with `after`
     * @description Without `after`: newest first, `cursor` pages to older events. With `after=<seq>`: the events after that seq, oldest first, and `nextAfter` to poll with next (a live tail).
     */
    get: operations['listAuditEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/audit/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Stream the filtered log, oldest first, as JSON Lines or CSV (the export itself is audited) */
    get: operations['exportAuditEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/audit/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Retention and whether raw tool arguments are recorded */
    get: operations['getAuditSettings'];
    /** Change retention (null: platform default, 0: forever) or raw-argument recording */
    put: operations['updateAuditSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Check the hash chain; names the first broken link (200 either way, see ok) */
    get: operations['verifyAuditChain'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/checks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run the connection checker against an endpoint of this tenant, or any MCP URL, as a job
     * @description Answers 202 with a job of kind `check`; poll `GET /tenants/{tenant}/jobs/{jobId}`. Its `progress` lists every step, the finished ones and the current one; its `result` is the report (`outcome` pass, fail or incomplete).
     *
     *     An endpoint of this tenant (`endpoint`, or a `url` that is one of its endpoints) is checked signed in as the caller, without a browser: the check authorizes its own registered client for that endpoint only, on the caller’s behalf, and removes the client, grant and session when it ends. An API key must belong to a member for this.
     *
     *     Any other `url` is reached through the platform’s SSRF guard (public addresses only unless the operator’s egress allow-list says otherwise). When it asks someone to sign in, `progress.action` carries the link to open (`open-authorization-url`); the server returns to `/api/v1/checks/callback`, and the check waits up to 5 minutes.
     *
     *     At most 3 checks run per tenant at once.
     */
    post: operations['startCheck'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/connections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s connections, with which secrets are set (never their values) */
    get: operations['listConnections'];
    put?: never;
    /**
     * Add an integration: a connection of a pack with its configuration
     * @description Secrets are set afterwards, one by one, with PUT …/secrets/{name}.
     */
    post: operations['createConnection'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/connections/{connection}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One connection */
    get: operations['getConnection'];
    put?: never;
    post?: never;
    /** Delete a connection with its secrets; endpoints stop exposing its tools */
    delete: operations['deleteConnection'];
    options?: never;
    head?: never;
    /** Rename, reconfigure (the whole config, validated again), enable or disable */
    patch: operations['updateConnection'];
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/connections/{connection}/secrets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The connection’s secrets: name, version, timestamps — never values */
    get: operations['listSecrets'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set or rotate a secret (write-only: the value never comes back) */
    put: operations['setSecret'];
    post?: never;
    /** Delete a secret */
    delete: operations['deleteSecret'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/connections/{connection}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Prove the connection works: a cheap authenticated read against its upstream
     * @description A failed test is a 200 with ok: false and a message for the admin.
     */
    post: operations['testConnection'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/endpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s endpoints (MCP URLs) */
    get: operations['listEndpoints'];
    put?: never;
    /** Create an endpoint at /t/<tenant>/e/<slug>/mcp */
    post: operations['createEndpoint'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/endpoints/{endpoint}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One endpoint */
    get: operations['getEndpoint'];
    put?: never;
    post?: never;
    /** Delete an endpoint (not the default one) */
    delete: operations['deleteEndpoint'];
    options?: never;
    head?: never;
    /** Change an endpoint’s name, description or public flag */
    patch: operations['updateEndpoint'];
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/endpoints/{endpoint}/connections/{connection}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Expose a connection on the endpoint */
    put: operations['attachConnection'];
    post?: never;
    /** Stop exposing a connection on the endpoint (the connection stays) */
    delete: operations['detachConnection'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/endpoints/{endpoint}/tools': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tool catalogue: every connection’s tools, with annotations and this endpoint’s selection */
    get: operations['listEndpointTools'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/endpoints/{endpoint}/tools/{connection}/{tool}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Turn a tool on or off and override its title or description (null restores the default)
     * @description Overrides are what MCP clients see in tools/list on this endpoint. Turning on a tool of a connection the endpoint does not expose yet exposes that connection with only the chosen tools.
     */
    patch: operations['updateEndpointTool'];
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every OAuth client a member authorized (Claude and others), newest first */
    get: operations['listGrants'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/grants/{grantId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an authorization: its refresh tokens die and its access tokens are refused */
    delete: operations['revokeGrant'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/home': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s home: MCP URLs, endpoint health over the last day, the last calls */
    get: operations['getHome'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/identity-provider': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's OpenID Connect sign-in provider (null when it has none) */
    get: operations['getIdentityProvider'];
    /**
     * Set up or change the sign-in provider (checked against its discovery document first)
     * @description clientSecret is write-only: required the first time and whenever issuer or clientId change; omit it to keep the stored one. The issuer's discovery document is fetched through the guarded client (public addresses, or hosts in SWITCHBOARD_IDP_ALLOWED_HOSTS) and must name the same issuer: otherwise 400 saying what failed. jitRole needs at least one domain. Settings left out keep their values.
     */
    put: operations['setIdentityProvider'];
    post?: never;
    /** Remove the sign-in provider (members sign in with passwords from then on) */
    delete: operations['removeIdentityProvider'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/invitations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Pending invitations (not used, withdrawn or expired), newest first */
    get: operations['listInvitations'];
    put?: never;
    /**
     * Invite someone by email with a role: answers the link to share (shown once)
     * @description No email is sent: share acceptUrl with the person. Its token is in the fragment (#token=…), which browsers never send to a server; only a hash is stored. The link works once, for 7 days; a new invitation for the same email replaces a pending one. Only owners may invite owners. An existing member is a 409.
     */
    post: operations['createInvitation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/invitations/{invitationId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Withdraw a pending invitation: its link stops working at once */
    delete: operations['revokeInvitation'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Recent long operations (connection checks, data-key rotations), newest first
     * @description Only kinds the caller may see are listed: checks for every member, data-key rotations for admins. Finished jobs are kept 30 days.
     */
    get: operations['listJobs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/jobs/{jobId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A job’s status, progress and result; any server node answers (poll it)
     * @description A job interrupted by a server stop is marked failed (error `interrupted`, result `{ interrupted: true, reason }`) by the next sweep. Jobs of a kind the caller may not see look missing.
     */
    get: operations['getJob'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/jobs/{jobId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel an unfinished job (it stops at once on its node, within 15 s on another)
     * @description Needs what starting that kind of job needs (a check: member; a rotation: admin). A finished job answers 409. A cancelled rotation stops after its current batch and resumes when started again.
     */
    post: operations['cancelJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Members and their roles */
    get: operations['listMembers'];
    put?: never;
    /**
     * Invite a person by email with a role (owners only may add owners)
     * @description The account is created on first use. They sign in through the tenant’s identity provider, or with a password an operator sets.
     */
    post: operations['addMember'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/members/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a member: their API keys and app authorizations stop working at once */
    delete: operations['removeMember'];
    options?: never;
    head?: never;
    /** Change a member’s role (never leaves the tenant without an owner) */
    patch: operations['changeMemberRole'];
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/packs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The integrations this server offers, with their config schema and the secrets they need */
    get: operations['listPacks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/prompts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s prompts, served on every endpoint */
    get: operations['listPrompts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/prompts/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One prompt */
    get: operations['getPrompt'];
    /** Create or replace a prompt; MCP clients are told the list changed */
    put: operations['putPrompt'];
    post?: never;
    /** Delete a prompt */
    delete: operations['deletePrompt'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/rate-limit-policy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s rate-limit plan, overrides and the limits they add up to */
    get: operations['getRateLimitPolicy'];
    /** Replace the policy (plan required; omitted overrides are cleared); applies at once */
    put: operations['replaceRateLimitPolicy'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s documents, served as MCP resources on every endpoint (without content) */
    get: operations['listResources'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/resources/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One resource with its content */
    get: operations['getResource'];
    /** Create or replace a resource; MCP clients are told the list changed */
    put: operations['putResource'];
    post?: never;
    /** Delete a resource */
    delete: operations['deleteResource'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Charts: calls over time, p95 latency, errors, rate-limited calls, top tools, per endpoint
     * @description Computed from the audit log. Default window: the last 24 hours in 1-hour buckets.
     */
    get: operations['getUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/vault': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's data key: version, the KEK wrapping it, secret counts (never a key or a value) */
    get: operations['getVaultStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenant}/vault/rotations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give the tenant a new data key and re-encrypt its secrets under it, online, as a job
     * @description Answers 202 with a job of kind `vault-rotation` (progress `{ done, total }`). Secrets stay readable and writable throughout; old key versions are destroyed once drained. One at a time per tenant (409 with details.jobId otherwise); a cancelled or interrupted rotation carries on where it stopped when started again.
     */
    post: operations['rotateDataKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Error: {
      error: {
        /** @description Stable machine code: not_found, conflict, invalid_argument, unauthenticated, forbidden, failed_precondition, rate_limited, unavailable, internal */
        code: string;
        /** @description What went wrong, in words a tenant admin understands */
        message: string;
        /** @description Machine-readable detail, e.g. `issues` (one "path: message" per problem) */
        details?: {
          [key: string]: unknown;
        };
        /** @description Quote it to the operator (500 only) */
        correlationId?: string;
      };
    };
    Session: {
      user: {
        /** Format: uuid */
        id: string;
        email: string;
        name: string | null;
      };
      /** @description operator: may use the /platform routes */
      platformRole: 'operator' | null;
      /** @enum {string} */
      method: 'password' | 'oidc';
      /** @description Signed in through this tenant's identity provider: acts in it only */
      boundTenant: string | null;
      /** @description Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE made with this session */
      csrfToken: string;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description Absolute end of the session
       */
      expiresAt: string;
      /**
       * Format: date-time
       * @description End of the session unless it is used before then
       */
      idleExpiresAt: string;
      tenants: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        slug: string;
        name: string;
        /** @enum {string} */
        status: 'active' | 'suspended';
        /** @enum {string} */
        role: 'owner' | 'admin' | 'member' | 'viewer';
      }[];
    };
    Tenant: {
      /** @description URL slug: 2–40 lowercase letters, digits or dashes */
      slug: string;
      name: string;
      /** @enum {string} */
      status: 'active' | 'suspended';
      plan: string;
      /** @description The tenant's default MCP URL, to add to Claude */
      mcpUrl: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    TenantWithRole: {
      /** @description URL slug: 2–40 lowercase letters, digits or dashes */
      slug: string;
      name: string;
      /** @enum {string} */
      status: 'active' | 'suspended';
      plan: string;
      /** @description The tenant's default MCP URL, to add to Claude */
      mcpUrl: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /**
       * @description The caller's role in this tenant
       * @enum {string}
       */
      role: 'owner' | 'admin' | 'member' | 'viewer';
    };
    AccessRule: {
      /** Format: uuid */
      id: string;
      /** @description Endpoint slug; null: every endpoint of the tenant */
      endpoint: string | null;
      /** @description Tool name as the endpoint exposes it; null: the endpoint itself */
      tool: string | null;
      subject:
        | {
            /** @constant */
            type: 'user';
            /** Format: uuid */
            userId: string;
            email: string | null;
          }
        | {
            /** @constant */
            type: 'role';
            /** @enum {string} */
            role: 'owner' | 'admin' | 'member' | 'viewer';
          }
        | {
            /** @constant */
            type: 'everyone';
          };
      /** @enum {string} */
      effect: 'allow' | 'deny';
      /** Format: date-time */
      createdAt: string;
    };
    ApiKey: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description The public start of the key, to recognise it */
      prefix: string;
      /** Format: uuid */
      userId: string;
      userEmail: string | null;
      scopes: string[];
      expiresAt: string | null;
      lastUsedAt: string | null;
      revokedAt: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    AuditEvent: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      tenantId: string;
      /** @description Position in the tenant’s chain (a 64-bit counter, as a string) */
      seq: string;
      /** Format: date-time */
      at: string;
      kind: string;
      actor: {
        type: string;
        id: string | null;
      };
      action: string;
      target: string | null;
      outcome: string;
      data: {
        [key: string]: unknown;
      };
      prevHash: string;
      hash: string;
    };
    AuditSettings: {
      tenant: string;
      recordRawArguments: boolean;
      /** @description 0 keeps events forever */
      retentionDays: number;
      retentionIsDefault: boolean;
    };
    AuditVerifyReport: {
      ok: boolean;
      /** Format: uuid */
      tenantId: string;
      checked: number;
      firstSeq: string | null;
      lastSeq: string | null;
      startsAt: {
        checkpointSeq: string;
        checkpointId: string;
      } | null;
      break: {
        seq: string;
        eventId: string | null;
        reason: string;
        message: string;
      } | null;
    };
    Job: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: 'check' | 'vault-rotation';
      /** @enum {string} */
      status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      /** @description check: CheckProgress; vault-rotation: { done, total } */
      progress:
        (components['schemas']['CheckProgress'] | components['schemas']['VaultRotationProgress']) | null;
      /** @description check: the CheckReport (the job succeeds when the check ran; report.outcome says pass or fail); vault-rotation: the rotation report; a job cut short by a server stop: { interrupted: true, reason } */
      result:
        | (
            | components['schemas']['InterruptedJobResult']
            | components['schemas']['CheckReport']
            | components['schemas']['VaultRotationResult']
          )
        | null;
      error: string | null;
      createdBy: {
        type: string;
        id: string;
      };
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      finishedAt: string | null;
    };
    CheckProgress: {
      /** @description Every step, in order, before any has run */
      steps: components['schemas']['CheckStepDefinition'][];
      /** @description Finished steps, in the order they finished */
      results: components['schemas']['CheckStepResult'][];
      /** @description The step running now */
      current?: string;
      /** @description Set while the check waits for someone to sign in at an external server: open url in a new tab; the server comes back to /api/v1/checks/callback */
      action?: {
        /** @constant */
        kind: 'open-authorization-url';
        url: string;
        waitMs?: number;
      };
    };
    CheckStepDefinition: {
      /** @description A step of the checker, e.g. reachability, legacy.tools */
      id: string;
      title: string;
      /** @enum {string} */
      group: 'transport' | 'discovery' | 'oauth' | 'legacy' | 'modern' | 'errors' | 'performance';
    };
    CheckStepResult: {
      /** @description A step of the checker, e.g. reachability, legacy.tools */
      id: string;
      title: string;
      /** @enum {string} */
      group: 'transport' | 'discovery' | 'oauth' | 'legacy' | 'modern' | 'errors' | 'performance';
      /** @enum {string} */
      outcome: 'pass' | 'warn' | 'fail' | 'skipped';
      summary: string;
      /** @description What to change (on fail and warn) */
      hint?: string;
      details?: string[];
      data?: {
        [key: string]: unknown;
      };
      /** @enum {string} */
      skip?: 'not-applicable' | 'blocked' | 'unverified';
      /** Format: date-time */
      startedAt: string;
      durationMs: number;
    };
    VaultRotationProgress: {
      /** @description Secrets re-encrypted under the new data key */
      done: number;
      total: number;
    };
    InterruptedJobResult: {
      /** @constant */
      interrupted: true;
      reason: string;
      partial?: components['schemas']['CheckReport'] | components['schemas']['VaultRotationResult'];
    };
    CheckReport: {
      /** @constant */
      version: 1;
      url: string;
      /** @enum {string} */
      authMode: 'oauth' | 'api-key' | 'none';
      strategy: string | null;
      /** Format: date-time */
      startedAt: string;
      /** Format: date-time */
      finishedAt: string;
      durationMs: number;
      /** @enum {string} */
      outcome: 'pass' | 'fail' | 'incomplete';
      steps: components['schemas']['CheckStepResult'][];
      summary: {
        passed: number;
        warnings: number;
        failed: number;
        skipped: number;
        /** @description In order: the first is usually the one to fix */
        failedSteps: string[];
        warningSteps: string[];
        unverifiedSteps: string[];
      };
    };
    VaultRotationResult: {
      /** @enum {string} */
      status: 'completed' | 'paused';
      /** @description Carried on an interrupted rotation */
      resumed: boolean;
      toVersion: number;
      /** @description Secrets re-encrypted by this job */
      reencrypted: number;
      done: number;
      total: number;
      remaining: number;
      retiredVersions: number[];
    };
    Connection: {
      /** Format: uuid */
      id: string;
      name: string;
      packId: string;
      packTitle: string | null;
      enabled: boolean;
      /** @description Non-secret configuration, valid for the pack's configSchema */
      config: unknown;
      secrets: components['schemas']['SecretStatus'][];
      /** @description Required secrets not set yet */
      missingSecrets: string[];
      /** @description Slugs of the endpoints exposing it */
      endpoints: string[];
      /** @description Whether POST …/test can prove it works */
      testable: boolean;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    /** @description A secret as every answer shows it: never its value */
    SecretStatus: {
      name: string;
      description: string | null;
      required: boolean;
      set: boolean;
      /** @description Goes up by one at every rotation */
      version: number | null;
      createdAt: string | null;
      updatedAt: string | null;
    };
    ConnectionTestResult: {
      /** @description false: the integration has no connection test */
      supported: boolean;
      ok: boolean;
      /** @description One sentence for the admin */
      message: string;
      details?: {
        [key: string]: string | number | boolean;
      };
      durationMs: number;
    };
    Endpoint: {
      /** Format: uuid */
      id: string;
      /** @description URL slug: 2–40 lowercase letters, digits or dashes */
      slug: string;
      name: string;
      description: string | null;
      isDefault: boolean;
      /** @description Serves read-only tools without a credential */
      public: boolean;
      mcpUrl: string;
      connections: {
        /** Format: uuid */
        connectionId: string;
        name: string;
        packId: string;
        /**
         * @description all: every tool of the connection unless turned off; selected: only the tools turned on
         * @enum {string}
         */
        mode: 'all' | 'selected';
      }[];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    CatalogueGroup: {
      /** Format: uuid */
      connectionId: string;
      connectionName: string;
      packId: string;
      packTitle: string | null;
      connectionEnabled: boolean;
      attached: boolean;
      mode: ('all' | 'selected') | null;
      error: string | null;
      tools: components['schemas']['CatalogueTool'][];
    };
    CatalogueTool: {
      name: string;
      /** @description As the MCP surface shows it (override or default) */
      title: string;
      description: string;
      defaultTitle: string;
      defaultDescription: string;
      titleOverride: string | null;
      descriptionOverride: string | null;
      /** @description Exposed on this endpoint */
      enabled: boolean;
      /** @enum {string} */
      permission: 'read' | 'write' | 'admin';
      readOnly: boolean;
      destructive: boolean;
      idempotent: boolean;
      openWorld: boolean;
    };
    ConnectedApp: {
      grantId: string;
      clientId: string | null;
      clientName: string | null;
      /**
       * @description cimd: identified by its metadata document URL; dcr: registered itself
       * @enum {string}
       */
      clientKind: 'cimd' | 'dcr';
      userId: string | null;
      userEmail: string | null;
      resources: {
        resource: string;
        scopes: string[];
      }[];
      /** Format: date-time */
      createdAt: string;
      expiresAt: string | null;
    };
    Home: {
      tenant: components['schemas']['TenantWithRole'];
      endpoints: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        slug: string;
        name: string;
        isDefault: boolean;
        mcpUrl: string;
        health: {
          /** @enum {string} */
          status: 'ok' | 'idle' | 'degraded' | 'needs_attention';
          problems: string[];
          calls24h: number;
          errors24h: number;
          rateLimited24h: number;
          /** @description 95th percentile of tool-call latency, ms */
          p95LatencyMs: number | null;
          lastCallAt: string | null;
        };
      }[];
      lastCalls: {
        seq: string;
        /** Format: date-time */
        at: string;
        tool: string | null;
        outcome: string;
        endpoint: string | null;
        actor: {
          type: string;
          id: string | null;
        };
        latencyMs: number | null;
      }[];
    };
    IdentityProvider: {
      issuer: string;
      clientId: string;
      /** @description Email domains it may sign in (lower case) */
      domains: string[];
      /** @description Role of a first sign-in from an allowed domain; null: members only */
      jitRole: ('member' | 'viewer') | null;
      /** @description The secret itself is never returned */
      clientSecretSet: boolean;
      /** @description The "Continue with …" button */
      displayName: string;
      enabled: boolean;
      emailClaim: string;
      requireEmailVerified: boolean;
      /** @description Register this at the provider as the redirect URI */
      redirectUri: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Invitation: {
      /** Format: uuid */
      id: string;
      email: string;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'member' | 'viewer';
      /** Format: date-time */
      expiresAt: string;
      /** Format: date-time */
      createdAt: string;
    };
    Member: {
      /** Format: uuid */
      userId: string;
      email: string;
      name: string | null;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'member' | 'viewer';
      canSignInWithPassword: boolean;
      lastSignInAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Pack: {
      id: string;
      title: string;
      description: string;
      version: string;
      /** @description JSON Schema (draft 2020-12) of the connection config: render the "add integration" form from it */
      configSchema: {
        [key: string]: unknown;
      };
      secrets: {
        name: string;
        description: string;
        required: boolean;
      }[];
      testable: boolean;
      exposeByDefault: boolean;
    };
    Prompt: {
      name: string;
      title: string | null;
      description: string | null;
      arguments: {
        name: string;
        description?: string;
        required?: boolean;
      }[];
      template: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    RateLimitPolicy: {
      tenant: string;
      /** @enum {string} */
      plan: 'free' | 'team' | 'enterprise' | 'unlimited';
      /**
       * @description default: the platform’s default plan applies
       * @enum {string}
       */
      source: 'tenant' | 'default';
      overrides: {
        [key: string]: unknown;
      };
      /** @description What is enforced: the plan with the overrides applied (null = unlimited) */
      limits: {
        tenant: {
          points: number;
          windowSeconds: number;
        } | null;
        principal: {
          points: number;
          windowSeconds: number;
        } | null;
        tool: {
          points: number;
          windowSeconds: number;
        } | null;
        tools: {
          [key: string]: {
            points: number;
            windowSeconds: number;
          } | null;
        };
      };
      updatedAt: string | null;
    };
    ResourceSummary: {
      name: string;
      title: string | null;
      description: string | null;
      mimeType: string;
      /** @description Characters of content */
      size: number;
      digest: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Resource: {
      name: string;
      title: string | null;
      description: string | null;
      mimeType: string;
      /** @description Characters of content */
      size: number;
      digest: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      content: string;
    };
    Usage: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      bucket: string;
      endpoint: string | null;
      totals: {
        /** @description Tool calls that reached the tool */
        calls: number;
        /** @description Calls that failed (tool error or exception) */
        errors: number;
        /** @description Rate-limit refusals (recorded once per caller and window) */
        rateLimited: number;
        /** @description Calls refused by access rules */
        denied: number;
        /** @description 95th percentile of tool-call latency, ms */
        p95LatencyMs: number | null;
        lastCallAt: string | null;
      };
      series: {
        /** Format: date-time */
        bucket: string;
        /** @description Tool calls that reached the tool */
        calls: number;
        /** @description Calls that failed (tool error or exception) */
        errors: number;
        /** @description Rate-limit refusals (recorded once per caller and window) */
        rateLimited: number;
        /** @description Calls refused by access rules */
        denied: number;
        /** @description 95th percentile of tool-call latency, ms */
        p95LatencyMs: number | null;
      }[];
      topTools: {
        tool: string;
        calls: number;
        errors: number;
        /** @description 95th percentile of tool-call latency, ms */
        p95LatencyMs: number | null;
      }[];
      endpoints: {
        /** @description Tool calls that reached the tool */
        calls: number;
        /** @description Calls that failed (tool error or exception) */
        errors: number;
        /** @description Rate-limit refusals (recorded once per caller and window) */
        rateLimited: number;
        /** @description Calls refused by access rules */
        denied: number;
        /** @description 95th percentile of tool-call latency, ms */
        p95LatencyMs: number | null;
        lastCallAt: string | null;
        endpoint: string | null;
      }[];
    };
    VaultStatus: {
      /** @description Active data-key version; null until the first secret is stored */
      keyVersion: number | null;
      secrets: number;
      /** @description Secrets still under an older data key (an unfinished rotation) */
      secretsOnOldKeys: number;
      /** @description Id of the key-encryption key wrapping it */
      kekId: string | null;
      /**
       * Format: date-time
       * @description When the last data-key rotation finished
       */
      rotatedAt?: string;
      rotationInProgress: boolean;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  checkSignInCallback: {
    parameters: {
      query?: {
        state?: string;
        code?: string;
        iss?: string;
        error?: string;
        error_description?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success (streamed) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  acceptInvitation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description The token from the link’s fragment */
          token: string;
          /** @description New account: the password to set. Existing account: its current password */
          password?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many attempts; `Retry-After` says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  lookUpInvitation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description The token from the link’s fragment */
          token: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            tenant: {
              /** @description URL slug: 2–40 lowercase letters, digits or dashes */
              slug: string;
              name: string;
            };
            email: string;
            /** @enum {string} */
            role: 'owner' | 'admin' | 'member' | 'viewer';
            /** Format: date-time */
            expiresAt: string;
            needsPassword: boolean;
            accountExists: boolean;
            canSignInWithPassword: boolean;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many attempts; `Retry-After` says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listAllTenants: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        status?: 'active' | 'suspended';
        /** @description Part of a slug or name */
        q?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Tenant'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createTenant: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description URL slug: 2–40 lowercase letters, digits or dashes */
          slug: string;
          name?: string;
          /**
           * Format: email
           * @description Becomes the owner (created on first use)
           */
          ownerEmail: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  reactivateTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  suspendTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  signIn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many attempts; `Retry-After` says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  signOut: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listSignInProviders: {
    parameters: {
      query: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            providers: {
              tenant: string;
              name: string;
            }[];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  startSingleSignOn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description URL slug: 2–40 lowercase letters, digits or dashes */
          tenant: string;
          /** @default /admin/ */
          returnTo?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            redirectUrl: string;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Error */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantWithRole'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantWithRole'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listAccessRules: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['AccessRule'][];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createAccessRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @default null */
          endpoint?: string | null;
          /** @default null */
          tool?: string | null;
          subject:
            | {
                /** @constant */
                type: 'user';
                /** Format: uuid */
                userId: string;
              }
            | {
                /** @constant */
                type: 'role';
                /** @enum {string} */
                role: 'owner' | 'admin' | 'member' | 'viewer';
              }
            | {
                /** @constant */
                type: 'everyone';
              };
          /** @enum {string} */
          effect: 'allow' | 'deny';
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccessRule'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAccessRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        ruleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        userId?: string;
        includeRevoked?: 'true' | 'false';
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ApiKey'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /**
           * @default [
           *       "mcp"
           *     ]
           */
          scopes?: ('mcp' | 'mcp:read' | 'mcp:write' | 'mcp:admin' | 'admin')[];
          expiresInDays?: number;
          /**
           * Format: uuid
           * @description The member holding the key (default: the caller)
           */
          userId?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description Shown once; store it now */
            key: string;
            apiKey: components['schemas']['ApiKey'];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listAuditEvents: {
    parameters: {
      query?: {
        kind?: string;
        action?: string;
        actorType?: 'user' | 'api_key' | 'oauth_client' | 'anonymous' | 'system' | 'cli';
        actorId?: string;
        outcome?: 'success' | 'failure' | 'denied' | 'error';
        from?: string;
        to?: string;
        tool?: string;
        limit?: number;
        cursor?: string;
        /** @description Return events with a higher seq */
        after?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            events: components['schemas']['AuditEvent'][];
            nextCursor?: string | null;
            nextAfter?: string;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  exportAuditEvents: {
    parameters: {
      query?: {
        kind?: string;
        action?: string;
        actorType?: 'user' | 'api_key' | 'oauth_client' | 'anonymous' | 'system' | 'cli';
        actorId?: string;
        outcome?: 'success' | 'failure' | 'denied' | 'error';
        from?: string;
        to?: string;
        tool?: string;
        format?: 'jsonl' | 'csv';
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success (streamed) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-ndjson; charset=utf-8': string;
          'text/csv; charset=utf-8': string;
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAuditSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditSettings'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateAuditSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          recordRawArguments?: boolean;
          retentionDays?: number | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditSettings'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  verifyAuditChain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditVerifyReport'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  startCheck: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description Slug of one of this tenant’s endpoints (default: the default endpoint)
           * @default default
           */
          endpoint?: string;
          /** @description Any MCP URL; when set, endpoint is ignored */
          url?: string;
          /** @description Requests in the latency burst (default 20; 0 skips it) */
          burst?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            job: components['schemas']['Job'];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many attempts; `Retry-After` says when to try again */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listConnections: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        packId?: string;
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Connection'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          packId: string;
          name: string;
          /**
           * @description Validated by the pack's configSchema
           * @default {}
           */
          config?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Connection'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Connection'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /** @description Validated by the pack's configSchema */
          config?: {
            [key: string]: unknown;
          };
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Connection'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listSecrets: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['SecretStatus'][];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  setSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          value: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretStatus'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  testConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ConnectionTestResult'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listEndpoints: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Endpoint'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description URL slug: 2–40 lowercase letters, digits or dashes */
          slug: string;
          name?: string;
          description?: string;
          public?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Endpoint'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Endpoint'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          description?: string | null;
          public?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Endpoint'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  attachConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description all: every tool of the connection unless turned off; selected: only the tools turned on
           * @default all
           * @enum {string}
           */
          mode?: 'all' | 'selected';
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Endpoint'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  detachConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
        connection: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Endpoint'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listEndpointTools: {
    parameters: {
      query?: {
        /** @description Search names, titles and descriptions */
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            groups: components['schemas']['CatalogueGroup'][];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateEndpointTool: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        endpoint: string;
        connection: string;
        tool: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          enabled?: boolean;
          title?: string | null;
          description?: string | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogueTool'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listGrants: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        userId?: string;
        clientId?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ConnectedApp'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  revokeGrant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        grantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getHome: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Home'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getIdentityProvider: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            provider: components['schemas']['IdentityProvider'] | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  setIdentityProvider: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uri */
          issuer: string;
          clientId: string;
          clientSecret?: string;
          domains: string[];
          jitRole: ('member' | 'viewer') | null;
          displayName?: string;
          enabled?: boolean;
          emailClaim?: string;
          requireEmailVerified?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            provider: components['schemas']['IdentityProvider'] | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  removeIdentityProvider: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listInvitations: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Invitation'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createInvitation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          email: string;
          /** @enum {string} */
          role: 'owner' | 'admin' | 'member' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            invitation: components['schemas']['Invitation'];
            /** @description ${PUBLIC_URL}/admin/invite#token=<token>; shown once */
            acceptUrl: string;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  revokeInvitation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        invitationId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listJobs: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        kind?: 'check' | 'vault-rotation';
        status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Job'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  cancelJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listMembers: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        role?: 'owner' | 'admin' | 'member' | 'viewer';
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Member'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  addMember: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          email: string;
          /** @enum {string} */
          role: 'owner' | 'admin' | 'member' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Member'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  removeMember: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  changeMemberRole: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        userId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          role: 'owner' | 'admin' | 'member' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Member'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listPacks: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Pack'][];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listPrompts: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Prompt'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getPrompt: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Prompt'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putPrompt: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          title?: string | null;
          description?: string | null;
          /** @default [] */
          arguments?: {
            name: string;
            description?: string;
            required?: boolean;
          }[];
          template: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Prompt'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deletePrompt: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getRateLimitPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RateLimitPolicy'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  replaceRateLimitPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          plan?: 'free' | 'team' | 'enterprise' | 'unlimited';
          overrides?: {
            tenant?: {
              points: number;
              windowSeconds: number;
            } | null;
            principal?: {
              points: number;
              windowSeconds: number;
            } | null;
            tool?: {
              points: number;
              windowSeconds: number;
            } | null;
            tools?: {
              [key: string]: {
                points: number;
                windowSeconds: number;
              } | null;
            };
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RateLimitPolicy'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listResources: {
    parameters: {
      query?: {
        /** @description Items per page (≤ 200) */
        limit?: number;
        /** @description The previous page's nextCursor */
        cursor?: string;
        q?: string;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ResourceSummary'][];
            /** @description Pass as cursor for the next page; null on the last */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getResource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Resource'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putResource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          title?: string | null;
          description?: string | null;
          /** @default text/plain */
          mimeType?: string;
          content: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Resource'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteResource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Done */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUsage: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        bucket?: '1m' | '5m' | '15m' | '1h' | '6h' | '1d';
        endpoint?: string;
        top?: number;
      };
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Usage'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getVaultStatus: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VaultStatus'];
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  rotateDataKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description URL slug: 2–40 lowercase letters, digits or dashes */
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            job: components['schemas']['Job'];
          };
        };
      };
      /** @description Invalid input: `error.details.issues` lists every problem ("path: message") */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No valid session or API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not found; a tenant the caller does not belong to is not found either */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Conflicts with an existing record */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant) */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected error; quote `correlationId` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
