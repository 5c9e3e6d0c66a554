import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRecorder, SYSTEM_ACTOR, type AuditActor } from '../../audit/audit.contract.js';
import { InvalidArgumentError, NotFoundError } from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { TenancyService } from '../../tenancy/tenancy.service.js';
import { PlatformSecrets } from '../../vault/platform-secrets.contract.js';
import { OAUTH_MOUNT } from '../oauth-urls.js';
import { IdentityProviderRepository, type IdentityProviderRecord } from './identity-provider.repository.js';
import {
  UpstreamOidcClient,
  UpstreamOidcError,
  type UpstreamClientSettings,
} from './upstream-oidc.client.js';

/** The fixed redirect URI registered at every tenant's identity provider (relative to PUBLIC_URL). */
export const UPSTREAM_CALLBACK_PATH = `${OAUTH_MOUNT}/upstream/callback`;

/** Roles a first sign-in may be given. Never owner or admin: a domain email is not an appointment. */
export const JIT_ROLES = ['member', 'viewer'] as const;
export type JitRole = (typeof JIT_ROLES)[number];

export interface IdentityProviderInput {
  readonly issuer: string;
  readonly clientId: string;
  /** null: a public client (PKCE only). */
  readonly clientSecret: string | null;
  readonly displayName?: string;
  readonly allowedDomains?: readonly string[];
  readonly emailClaim?: string;
  readonly requireEmailVerified?: boolean;
  readonly jitRole?: JitRole | null;
  readonly enabled?: boolean;
}

/** What an operator sees: everything but the secret (only whether there is one). */
export interface IdentityProviderView {
  readonly tenant: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly hasClientSecret: boolean;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly allowedDomains: readonly string[];
  readonly emailClaim: string;
  readonly requireEmailVerified: boolean;
  readonly jitRole: JitRole | null;
  /** Register this as the redirect URI at the identity provider. */
  readonly redirectUri: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A tenant's enabled identity provider as the sign-in flow needs it, secret opened. */
export interface ActiveIdentityProvider extends UpstreamClientSettings {
  readonly displayName: string;
  readonly allowedDomains: readonly string[];
  readonly emailClaim: string;
  readonly requireEmailVerified: boolean;
  readonly jitRole: JitRole | null;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const CLAIM = /^[A-Za-z0-9_:.\-/]{1,100}$/;

/**
 * Per-tenant upstream OpenID Connect configuration: validated, checked against the provider's discovery
 * document (unless told not to), the client secret sealed with PlatformSecrets under a context naming
 * the tenant, issuer and client id, changes audited. Secrets never leave except to the token endpoint.
 */
@Injectable()
export class IdentityProviderService {
  private readonly logger = new Logger(IdentityProviderService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: IdentityProviderRepository,
    private readonly tenancy: TenancyService,
    private readonly secrets: PlatformSecrets,
    private readonly client: UpstreamOidcClient,
    private readonly audit: AuditRecorder,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}${UPSTREAM_CALLBACK_PATH}`;
  }

  /**
   * Creates or replaces a tenant's identity provider. With `verify` (the default) the issuer's discovery
   * document is fetched first, so a typo or an unreachable provider fails here and not at sign-in.
   */
  async set(
    tenantSlug: string,
    input: IdentityProviderInput,
    opts: { readonly verify?: boolean; readonly actor?: AuditActor } = {},
  ): Promise<IdentityProviderView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const v = this.validate(input);
    if (opts.verify !== false) {
      try {
        await this.client.discover({ ...v, tenantId: tenant.id, version: 0 });
      } catch (e) {
        if (e instanceof UpstreamOidcError) throw new InvalidArgumentError(e.message, { reason: e.reason });
        throw e;
      }
    } else {
      const refused = this.client.egress.refusalFor(v.issuer);
      if (refused) throw new InvalidArgumentError(`The identity provider is refused: ${refused}.`);
    }
    const sealedSecret =
      v.clientSecret === null
        ? null
        : (await this.secrets.seal(v.clientSecret, secretContext(tenant.id, v.issuer, v.clientId))).sealed;
    const before = await this.repository.find({ tenantId: tenant.id });
    const record = await this.repository.upsert(
      { tenantId: tenant.id },
      {
        issuer: v.issuer,
        clientId: v.clientId,
        sealedSecret,
        displayName: v.displayName,
        enabled: v.enabled,
        allowedDomains: v.allowedDomains,
        emailClaim: v.emailClaim,
        requireEmailVerified: v.requireEmailVerified,
        jitRole: v.jitRole,
      },
    );
    this.client.evict(tenant.id);
    await this.audit.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: before ? 'idp.update' : 'idp.create',
      actor: opts.actor ?? SYSTEM_ACTOR,
      target: record.issuer,
      outcome: 'success',
      data: {
        before: before ? describe(before) : null,
        after: describe(record),
      },
    });
    return this.view(tenant.slug, record);
  }

  /**
   * `set` for callers that never see the secret (the admin API): without `clientSecret` the stored one
   * is kept — only while issuer and client id stay the same, since it is sealed to them and must not be
   * sent to a provider it was not issued by. Settings the caller leaves out keep their current values.
   */
  async update(
    tenantSlug: string,
    input: Omit<IdentityProviderInput, 'clientSecret'> & { readonly clientSecret?: string },
    opts: { readonly actor?: AuditActor } = {},
  ): Promise<IdentityProviderView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const before = await this.repository.find({ tenantId: tenant.id });
    let clientSecret: string | null;
    if (input.clientSecret !== undefined) {
      clientSecret = input.clientSecret;
    } else if (!before) {
      throw new InvalidArgumentError('clientSecret is required when setting up the identity provider', {
        issues: ['clientSecret: required the first time'],
      });
    } else if (before.issuer !== input.issuer.trim() || before.clientId !== input.clientId.trim()) {
      throw new InvalidArgumentError(
        'a new issuer or client id needs its client secret: send clientSecret again',
        { issues: ['clientSecret: required when issuer or clientId changes'] },
      );
    } else {
      clientSecret =
        before.sealedSecret === null
          ? null
          : await this.secrets.open(
              { sealed: before.sealedSecret },
              secretContext(tenant.id, before.issuer, before.clientId),
            );
    }
    return this.set(
      tenantSlug,
      {
        ...input,
        clientSecret,
        displayName: input.displayName ?? before?.displayName,
        emailClaim: input.emailClaim ?? before?.emailClaim,
        requireEmailVerified: input.requireEmailVerified ?? before?.requireEmailVerified,
        enabled: input.enabled ?? before?.enabled,
      },
      { actor: opts.actor },
    );
  }

  /** The tenant's identity provider, or null when it has none. */
  async find(tenantSlug: string): Promise<IdentityProviderView | null> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const record = await this.repository.find({ tenantId: tenant.id });
    return record ? this.view(tenant.slug, record) : null;
  }

  async show(tenantSlug: string): Promise<IdentityProviderView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const record = await this.repository.find({ tenantId: tenant.id });
    if (!record) throw new NotFoundError(`identity provider of tenant "${tenantSlug}"`);
    return this.view(tenant.slug, record);
  }

  async remove(tenantSlug: string, actor: AuditActor = SYSTEM_ACTOR): Promise<void> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const before = await this.repository.find({ tenantId: tenant.id });
    if (!before || !(await this.repository.delete({ tenantId: tenant.id }))) {
      throw new NotFoundError(`identity provider of tenant "${tenantSlug}"`);
    }
    this.client.evict(tenant.id);
    await this.audit.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'idp.delete',
      actor,
      target: before.issuer,
      outcome: 'success',
      data: { before: describe(before) },
    });
  }

  /**
   * The "Continue with …" button of a tenant's sign-in page, or null when it has no enabled identity
   * provider. `formTarget` is the origin the button's post is redirected to (the provider's authorization
   * endpoint): the page's CSP `form-action` must allow it, browsers enforce it on redirects too.
   */
  async signInOption(
    tenantId: string,
  ): Promise<{ readonly name: string; readonly formTarget: string } | null> {
    const idp = await this.active(tenantId);
    if (!idp) return null;
    let formTarget = new URL(idp.issuer).origin;
    try {
      const endpoint = (await this.client.configuration(idp)).serverMetadata().authorization_endpoint;
      if (endpoint) formTarget = new URL(endpoint).origin;
    } catch {
      // Unreachable now: the button still shows, and pressing it explains what failed.
    }
    return { name: idp.displayName, formTarget };
  }

  /** The enabled identity provider of a tenant with its secret opened, or null. */
  async active(tenantId: string): Promise<ActiveIdentityProvider | null> {
    const record = await this.repository.find({ tenantId });
    if (!record?.enabled) return null;
    let clientSecret: string | null = null;
    if (record.sealedSecret !== null) {
      try {
        clientSecret = await this.secrets.open(
          { sealed: record.sealedSecret },
          secretContext(tenantId, record.issuer, record.clientId),
        );
      } catch (e) {
        // The row was changed outside this service (another issuer, another tenant's secret): unusable.
        this.logger.error({
          msg: 'identity provider secret does not open',
          tenantId,
          err: (e as Error).name,
        });
        return null;
      }
    }
    return {
      tenantId,
      issuer: record.issuer,
      clientId: record.clientId,
      clientSecret,
      version: record.updatedAt.getTime(),
      displayName: record.displayName,
      allowedDomains: record.allowedDomains,
      emailClaim: record.emailClaim,
      requireEmailVerified: record.requireEmailVerified,
      jitRole: toJitRole(record.jitRole),
    };
  }

  private validate(input: IdentityProviderInput) {
    const issuer = input.issuer.trim();
    const url = URL.parse(issuer);
    if (!url || url.search || url.hash || issuer.length > 500) {
      throw new InvalidArgumentError(
        'issuer must be an absolute URL without query or fragment (at most 500 characters)',
      );
    }
    const clientId = input.clientId.trim();
    // RFC 6749 client ids are visible ASCII (VSCHAR); we also refuse inner spaces.
    if (!/^[\x21-\x7E]{1,255}$/.test(clientId)) {
      throw new InvalidArgumentError('client id must be 1-255 visible ASCII characters without spaces');
    }
    if (
      input.clientSecret !== null &&
      (input.clientSecret.length === 0 || input.clientSecret.length > 4096)
    ) {
      throw new InvalidArgumentError('client secret must be 1-4096 characters');
    }
    const allowedDomains = [
      ...new Set((input.allowedDomains ?? []).map((d) => d.trim().toLowerCase())),
    ].filter((d) => d.length > 0);
    const bad = allowedDomains.find((d) => !DOMAIN.test(d));
    if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a domain name`);
    if (allowedDomains.length > 50) throw new InvalidArgumentError('at most 50 allowed domains');
    const jitRole = input.jitRole ?? null;
    if (jitRole !== null && !JIT_ROLES.includes(jitRole)) {
      throw new InvalidArgumentError(`the first-sign-in role must be one of ${JIT_ROLES.join(', ')}`);
    }
    if (jitRole !== null && allowedDomains.length === 0) {
      // Without domains, anyone the provider vouches for (any email) would join the tenant.
      throw new InvalidArgumentError('first-sign-in membership needs at least one allowed email domain');
    }
    const emailClaim = (input.emailClaim ?? 'email').trim();
    if (!CLAIM.test(emailClaim)) throw new InvalidArgumentError('email claim must be a claim name');
    const displayName = (input.displayName ?? url.host).trim();
    if (displayName.length === 0 || displayName.length > 80) {
      throw new InvalidArgumentError('display name must be 1-80 characters');
    }
    return {
      issuer,
      clientId,
      clientSecret: input.clientSecret,
      displayName,
      allowedDomains,
      emailClaim,
      requireEmailVerified: input.requireEmailVerified ?? true,
      jitRole,
      enabled: input.enabled ?? true,
    };
  }

  private view(tenant: string, r: IdentityProviderRecord): IdentityProviderView {
    return {
      tenant,
      issuer: r.issuer,
      clientId: r.clientId,
      hasClientSecret: r.sealedSecret !== null,
      displayName: r.displayName,
      enabled: r.enabled,
      allowedDomains: r.allowedDomains,
      emailClaim: r.emailClaim,
      requireEmailVerified: r.requireEmailVerified,
      jitRole: toJitRole(r.jitRole),
      redirectUri: this.redirectUri,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

/**
 * The sealed secret opens only for this tenant, issuer and client id: a row edited to point at another
 * issuer (where the secret would be sent) no longer yields it.
 */
function secretContext(tenantId: string, issuer: string, clientId: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${clientId}`).digest('base64url');
  return `idp-secret:${tenantId}:${digest}`;
}

function toJitRole(role: string | null): JitRole | null {
  return role !== null && (JIT_ROLES as readonly string[]).includes(role) ? (role as JitRole) : null;
}

/** Audit detail: settings, never the secret. */
function describe(r: IdentityProviderRecord): Record<string, unknown> {
  return {
    issuer: r.issuer,
    clientId: r.clientId,
    hasClientSecret: r.sealedSecret !== null,
    displayName: r.displayName,
    enabled: r.enabled,
    allowedDomains: r.allowedDomains,
    emailClaim: r.emailClaim,
    requireEmailVerified: r.requireEmailVerified,
    jitRole: r.jitRole,
  };
}
