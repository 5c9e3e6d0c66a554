import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@switchboard/integration-kit';
import { CookieJar } from 'tough-cookie';
import { AuditRecorder, SYSTEM_ACTOR, type AuditEventInput } from '../../audit/audit.contract.js';
import { DomainError } from '../../common/domain-error.js';
import { RbacService } from '../../rbac/rbac.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { UserRepository } from '../../tenancy/user.repository.js';
import { OAuthServer } from '../oauth-server.service.js';
import { INTERACTION_MOUNT, MCP_SCOPES } from '../oauth-urls.js';
import { SESSION_COOKIE, singleResource } from '../provider-config.js';
import { OAuthPayloadRepository } from '../store/oauth-payload.repository.js';

/** One authorization done on a user's behalf, and what it left behind (to remove when done). */
export interface DelegatedAuthorization {
  /** The redirect to the client's redirect URI, carrying the code (or an OAuth error). */
  readonly redirect: URL;
  readonly clientId: string;
  readonly grantId: string | null;
  /** Provider sessions it opened (the id can change as the sign-in goes on). */
  readonly sessionIds: readonly string[];
}

export interface DelegationRequest {
  /** The authorization request, exactly as the client built it (our authorization endpoint). */
  readonly authorizationUrl: URL;
  readonly redirectUri: string;
  /** The person it is done for, and the tenant and endpoint it must be about. */
  readonly userId: string;
  readonly tenantId: string;
  readonly resource: string;
  readonly signal: AbortSignal;
  /** Called as soon as a grant or session exists, so a caller can clean up even after a failure. */
  onCreated?(part: { readonly grantId?: string; readonly sessionId?: string }): void;
}

/** Why a delegated authorization was refused (shown to the person who started it). */
export class DelegationRefusedError extends DomainError {
  constructor(message: string) {
    super('failed_precondition', message, { reason: 'delegation_refused' });
    this.name = 'DelegationRefusedError';
  }
}

const MAX_HOPS = 8;
const REQUEST_TIMEOUT_MS = 15_000;
const GRANTABLE = new Set<string>(MCP_SCOPES);
/** Recorded as the sign-in method, so the tenant's log says no password was typed. */
export const DELEGATED_METHOD = 'connection-check';

/**
 * Completes an authorization request of one of our endpoints for a given member, server-side: the
 * request is made over HTTP to our own authorization endpoint (its cookies kept in a private jar), and
 * each interaction it opens — login, then consent — is answered in-process for that user, for that one
 * client and resource only, with the same membership and endpoint-access checks as the consent page.
 * The connection checker uses it to sign in "as the requesting user" without a browser; the caller
 * removes the client, grant and session afterwards with {@link revoke}.
 */
@Injectable()
export class DelegatedAuthorizationService {
  private readonly logger = new Logger(DelegatedAuthorizationService.name);

  constructor(
    private readonly server: OAuthServer,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly rbac: RbacService,
    private readonly payloads: OAuthPayloadRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async authorize(req: DelegationRequest): Promise<DelegatedAuthorization> {
    const clientId = this.checkRequest(req);
    await this.checkAccess(req);
    const jar = new CookieJar();
    let grantId: string | null = null;
    const sessionIds: string[] = [];
    const noteSession = (id: string | undefined) => {
      if (!id || sessionIds.includes(id)) return;
      sessionIds.push(id);
      req.onCreated?.({ sessionId: id });
    };
    let url = req.authorizationUrl.href;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const res = await this.get(url, jar, req.signal);
      noteSession((await jar.getCookies(url)).find((c) => c.key === SESSION_COOKIE)?.value);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new DelegationRefusedError(
          `the authorization server answered HTTP ${res.status} instead of continuing the sign-in`,
        );
      }
      const next = new URL(location, url);
      if (sameTarget(next, req.redirectUri)) {
        return { redirect: next, clientId, grantId, sessionIds };
      }
      const uid = this.interactionUid(next);
      const step = await this.answer(uid, req, clientId);
      if (step.grantId) {
        grantId = step.grantId;
        req.onCreated?.({ grantId });
      }
      noteSession(step.sessionId);
      url = step.returnTo;
    }
    throw new DelegationRefusedError('the sign-in did not reach the redirect');
  }

  /**
   * Removes what a delegated authorization left: the grant (with its refresh tokens and codes; access
   * tokens of it are refused from then on), the provider session and the registered client.
   */
  async revoke(left: {
    readonly tenantId: string;
    readonly userId: string;
    readonly clientId: string | null;
    readonly grantId: string | null;
    readonly sessionIds: readonly string[];
  }): Promise<void> {
    const grants = new Set<string>(left.grantId ? [left.grantId] : []);
    if (left.clientId) {
      const found = await this.payloads.findGrantId(
        { tenantId: left.tenantId },
        left.userId,
        left.clientId,
        new Date(),
      );
      if (found) grants.add(found);
    }
    for (const id of grants) {
      await this.server.revokeGrant(id);
      await this.record({
        tenantId: left.tenantId,
        kind: 'token',
        action: 'token.revoked',
        actor: SYSTEM_ACTOR,
        target: left.clientId,
        outcome: 'success',
        data: {
          grantId: id,
          clientId: left.clientId,
          userId: left.userId,
          reason: `${DELEGATED_METHOD}_finished`,
        },
      });
    }
    for (const id of left.sessionIds) await this.payloads.destroy('Session', id);
    // CIMD clients have no row; a DCR client's row goes (its registration was for this one check).
    if (left.clientId && !left.clientId.startsWith('https://')) {
      await this.payloads.destroy('Client', left.clientId);
    }
  }

  private checkRequest(req: DelegationRequest): string {
    const u = req.authorizationUrl;
    const expected = new URL(`${this.server.issuer}/auth`);
    if (u.origin !== expected.origin || u.pathname !== expected.pathname) {
      throw new DelegationRefusedError(
        `${u.origin}${u.pathname} is not this server's authorization endpoint`,
      );
    }
    const q = u.searchParams;
    const clientId = q.get('client_id');
    if (!clientId) throw new DelegationRefusedError('the authorization request names no client');
    if (q.getAll('resource').length !== 1 || q.get('resource') !== req.resource) {
      throw new DelegationRefusedError(`the authorization request is not for ${req.resource}`);
    }
    if (q.get('redirect_uri') !== req.redirectUri) {
      throw new DelegationRefusedError('the authorization request names another redirect URI');
    }
    return clientId;
  }

  /** The same checks as the consent page: an enabled member of the tenant, allowed on this endpoint. */
  private async checkAccess(req: DelegationRequest): Promise<void> {
    const target = await this.server.resolveResource(req.resource);
    if (!target || target.tenantId !== req.tenantId) {
      throw new DelegationRefusedError(`${req.resource} is not an endpoint of this tenant`);
    }
    const [user, membership] = await Promise.all([
      this.users.findById(req.userId),
      this.memberships.find({ tenantId: req.tenantId }, req.userId),
    ]);
    if (!user || user.disabled || !membership) {
      throw new DelegationRefusedError(`the user is not an active member of ${target.tenantName}`);
    }
    const principal: Principal = {
      kind: 'user',
      id: user.id,
      tenantId: req.tenantId,
      userId: user.id,
      role: membership.role,
      scopes: ['mcp'],
    };
    await this.rbac.prepare(req.tenantId);
    if (!this.rbac.can(principal, 'endpoint:use', { endpointId: target.endpointId })) {
      throw new DelegationRefusedError(`${user.email} has no access to ${target.endpointName}`);
    }
  }

  private async get(url: string, jar: CookieJar, signal: AbortSignal): Promise<Response> {
    const cookie = await jar.getCookieString(url);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) },
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    for (const line of res.headers.getSetCookie()) await jar.setCookie(line, url, { ignoreError: true });
    await res.body?.cancel().catch(() => undefined);
    return res;
  }

  private interactionUid(next: URL): string {
    const base = new URL(this.server.issuer).origin;
    const m = new RegExp(`^${INTERACTION_MOUNT}/([A-Za-z0-9_-]{1,100})$`).exec(next.pathname);
    if (next.origin !== base || !m) {
      throw new DelegationRefusedError(
        `the sign-in went to ${next.origin}${next.pathname}, not to a sign-in step`,
      );
    }
    return m[1] as string;
  }

  /** Answers one interaction (login or consent) for the user; returns where the provider resumes. */
  private async answer(
    uid: string,
    req: DelegationRequest,
    clientId: string,
  ): Promise<{ returnTo: string; grantId?: string; sessionId?: string }> {
    const { Interaction, Grant } = this.server.provider;
    const interaction = await Interaction.find(uid);
    if (!interaction) throw new DelegationRefusedError('the sign-in step expired');
    const p = interaction.params;
    if (
      p.client_id !== clientId ||
      singleResource(p.resource) !== req.resource ||
      p.redirect_uri !== req.redirectUri
    ) {
      throw new DelegationRefusedError('the sign-in step belongs to another authorization request');
    }
    const ttl = Math.max(1, interaction.exp - Math.floor(Date.now() / 1000));
    if (interaction.prompt.name === 'login') {
      interaction.result = { login: { accountId: req.userId } };
      await interaction.save(ttl);
      await this.record({
        tenantId: req.tenantId,
        kind: 'auth',
        action: 'signin.success',
        actor: { type: 'user', id: req.userId },
        target: null,
        outcome: 'success',
        data: { method: DELEGATED_METHOD, clientId },
      });
      return { returnTo: interaction.returnTo };
    }
    if (interaction.prompt.name !== 'consent' || interaction.session?.accountId !== req.userId) {
      throw new DelegationRefusedError(`unexpected sign-in step "${interaction.prompt.name}"`);
    }
    const missing = interaction.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    // Only MCP scopes, only this endpoint: nothing the request did not ask for, nothing broader.
    const oidcScopes = missing.missingOIDCScope ?? [];
    const scopes = missing.missingResourceScopes?.[req.resource] ?? [];
    const beyond = [
      ...oidcScopes.filter((x) => !GRANTABLE.has(x)),
      ...scopes.filter((x) => !GRANTABLE.has(x)),
      ...(missing.missingOIDCClaims ?? []),
      ...Object.keys(missing.missingResourceScopes ?? {}).filter((r) => r !== req.resource),
    ];
    if (beyond.length > 0) {
      throw new DelegationRefusedError(
        `the request asks for more than MCP access to this endpoint (${beyond.join(', ')}); that is not granted on anyone's behalf`,
      );
    }
    const grant = interaction.grantId ? await Grant.find(interaction.grantId) : undefined;
    const g = grant ?? new Grant({ accountId: req.userId, clientId });
    if (oidcScopes.length > 0) g.addOIDCScope(oidcScopes.join(' '));
    if (scopes.length > 0) g.addResourceScope(req.resource, scopes.join(' '));
    const grantId = await g.save();
    await this.payloads.tagGrant({ tenantId: req.tenantId }, grantId);
    interaction.result = { ...interaction.lastSubmission, consent: { grantId } };
    await interaction.save(ttl);
    await this.record({
      tenantId: req.tenantId,
      kind: 'auth',
      action: 'consent.granted',
      actor: { type: 'user', id: req.userId },
      target: req.resource,
      outcome: 'success',
      data: { clientId, grantId, scopes, method: DELEGATED_METHOD },
    });
    return {
      returnTo: interaction.returnTo,
      grantId,
      ...(interaction.session?.cookie ? { sessionId: interaction.session.cookie } : {}),
    };
  }

  private async record(event: AuditEventInput): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (e) {
      this.logger.error({
        msg: 'could not record an audit event',
        action: event.action,
        err: (e as Error).message,
      });
    }
  }
}

function sameTarget(url: URL, redirectUri: string): boolean {
  const r = URL.parse(redirectUri);
  return r !== null && url.origin === r.origin && url.pathname === r.pathname;
}
