import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AuditRecorder, type AuditEventInput } from '../../audit/audit.contract.js';
import { DomainError } from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { PasswordSignInService } from '../../oauth/interaction/password-sign-in.service.js';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import {
  AdminSessionRepository,
  type AdminSessionRow,
  type SessionUser,
} from './admin-session.repository.js';

/** A live dashboard session as the admin API sees it (the cookie's token is never kept). */
export interface AdminSession {
  /** SHA-256 of the token: the row id, safe to log. */
  readonly id: string;
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly method: 'password' | 'oidc';
  /** Sessions opened through a tenant's identity provider act in that tenant only. */
  readonly tenantId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
}

export interface SignInContext {
  readonly ip: string;
  readonly userAgent: string | null;
}

/** Activity is written at most this often per session. */
const TOUCH_GAP_MS = 60_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;
/** Sign-ins are recorded in at most this many of the user's tenants. */
const MAX_AUDITED_TENANTS = 100;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(session: AdminSession, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length > 200) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Dashboard sessions: server-side rows (any node serves any session), a random token in an HttpOnly
 * cookie, idle and absolute expiry, a synchronizer CSRF token per session. Password sign-in is the
 * authorization server's own (argon2id, account lockout, the shared brute-force throttle).
 */
@Injectable()
export class AdminSessionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AdminSessionService.name);
  private sweeper: NodeJS.Timeout | null = null;
  private readonly idleMs: number;
  private readonly maxMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: AdminSessionRepository,
    private readonly passwords: PasswordSignInService,
    private readonly memberships: MembershipRepository,
    private readonly audit: AuditRecorder,
  ) {
    this.idleMs = config.admin.sessionIdleMinutes * 60_000;
    this.maxMs = config.admin.sessionMaxHours * 3_600_000;
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Email and password, as on the OAuth sign-in page. Returns the new session and its cookie token. */
  async signInWithPassword(
    email: string,
    password: string,
    ctx: SignInContext,
  ): Promise<{ readonly token: string; readonly session: AdminSession }> {
    const result = await this.passwords.check(email, password, ctx.ip);
    if (!result.ok) {
      if (result.userId) {
        await this.recordInTenants(result.userId, {
          kind: 'auth',
          action: 'signin.failure',
          actor: { type: 'user', id: result.userId },
          target: result.account,
          outcome: result.reason === 'invalid' ? 'failure' : 'denied',
          data: { method: 'password', surface: 'admin', reason: result.reason, ip: ctx.ip },
        });
      }
      if (result.reason === 'invalid') {
        throw new DomainError('unauthenticated', 'The email or password is incorrect.');
      }
      const seconds = result.retryAfterSeconds ?? 60;
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      throw new DomainError(
        'rate_limited',
        `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterSeconds: seconds },
      );
    }
    return this.open({ userId: result.userId, method: 'password', tenantId: null }, ctx);
  }

  /** Opens a session for an authenticated user (password or a tenant's identity provider). */
  async open(
    who: { readonly userId: string; readonly method: 'password' | 'oidc'; readonly tenantId: string | null },
    ctx: SignInContext,
  ): Promise<{ readonly token: string; readonly session: AdminSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.sessions.create({
      id: hashToken(token),
      userId: who.userId,
      csrfToken: randomBytes(32).toString('base64url'),
      method: who.method,
      tenantId: who.tenantId,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.maxMs),
      ip: ctx.ip.slice(0, 64),
      userAgent: ctx.userAgent?.slice(0, 256) ?? null,
    });
    const session = await this.find(token, now);
    if (!session) throw new Error('a session just created could not be read back');
    const event = {
      kind: 'auth',
      action: 'signin.success',
      actor: { type: 'user', id: who.userId },
      target: session.user.email,
      outcome: 'success',
      data: { method: who.method, surface: 'admin', session: session.id.slice(0, 16), ip: ctx.ip },
    } as const;
    if (who.tenantId) await this.record({ ...event, tenantId: who.tenantId });
    else await this.recordInTenants(who.userId, event);
    return { token, session };
  }

  /** The live session behind a cookie token, or null (unknown, expired, idle too long, user disabled). */
  async find(token: string, now = new Date()): Promise<AdminSession | null> {
    if (token.length < 20 || token.length > 100) return null;
    const row = await this.sessions.find(hashToken(token));
    if (!row) return null;
    const session = this.toSession(row);
    if (row.user.disabled || session.expiresAt <= now || session.idleExpiresAt <= now) {
      await this.sessions.delete(row.id);
      return null;
    }
    await this.sessions.touch(row.id, now, TOUCH_GAP_MS);
    return session;
  }

  /** Sign-out: the row goes, so the cookie is worthless on every node at once. */
  async signOut(session: AdminSession): Promise<void> {
    await this.sessions.delete(session.id);
    const event = {
      kind: 'auth',
      action: 'signout',
      actor: { type: 'user', id: session.user.id },
      target: session.user.email,
      outcome: 'success',
      data: { surface: 'admin', session: session.id.slice(0, 16) },
    } as const;
    if (session.tenantId) await this.record({ ...event, tenantId: session.tenantId });
    else await this.recordInTenants(session.user.id, event);
  }

  async sweep(now = new Date()): Promise<number> {
    try {
      return await this.sessions.deleteExpired(now, new Date(now.getTime() - this.idleMs));
    } catch (e) {
      this.logger.warn(`could not remove expired dashboard sessions: ${(e as Error).message}`);
      return 0;
    }
  }

  private toSession(row: AdminSessionRow): AdminSession {
    const idle = new Date(row.lastSeenAt.getTime() + this.idleMs);
    return {
      id: row.id,
      user: row.user,
      csrfToken: row.csrfToken,
      method: row.method === 'oidc' ? 'oidc' : 'password',
      tenantId: row.tenantId,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      idleExpiresAt: idle < row.expiresAt ? idle : row.expiresAt,
    };
  }

  /** Dashboard sign-ins reach every tenant the user belongs to: each tenant's log says so. */
  private async recordInTenants(userId: string, event: Omit<AuditEventInput, 'tenantId'>): Promise<void> {
    const memberships = await this.memberships.listForUser(userId, MAX_AUDITED_TENANTS);
    await Promise.all(memberships.map((m) => this.record({ ...event, tenantId: m.tenantId })));
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
