import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { verifyPassword } from '../../auth/password-hasher.js';
import { UserCredentialsRepository } from '../../auth/user-credentials.repository.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { LoginThrottle } from '../../ratelimit/login-throttle.contract.js';

export type SignInResult =
  | { readonly ok: true; readonly userId: string; readonly email: string }
  | {
      readonly ok: false;
      readonly reason: 'invalid' | 'locked' | 'throttled';
      readonly account: string;
      readonly userId: string | null;
      readonly retryAfterSeconds?: number;
    };

/**
 * Email + password sign-in through passport-local: per-account and per-IP throttling (LoginThrottle),
 * then the account's own lockout (SWITCHBOARD_LOCKOUT_THRESHOLD failures lock it for
 * SWITCHBOARD_LOCKOUT_MINUTES), then argon2id. A passport instance of its own: no global state, no session.
 */
@Injectable()
export class PasswordSignInService {
  private readonly passport = new Passport();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: UserCredentialsRepository,
    private readonly throttle: LoginThrottle,
  ) {
    this.passport.use(
      'local',
      new LocalStrategy(
        { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false },
        (req, email, password, done) => {
          this.check(email, password, req.ip ?? 'unknown').then(
            // The failure detail rides in passport's `info` argument (typed there as a message holder).
            (result) =>
              result.ok ? done(null, result) : done(null, false, { message: result.reason, ...result }),
            (error: unknown) => done(error),
          );
        },
      ),
    );
  }

  /** Runs the strategy on a parsed form post. Never throws for bad credentials: it says why in the result. */
  authenticate(req: Request, res: Response): Promise<SignInResult> {
    return new Promise((resolve, reject) => {
      const handler = this.passport.authenticate(
        'local',
        { session: false },
        (
          error: unknown,
          user: SignInResult | false,
          info: SignInResult | { message?: string } | undefined,
        ) => {
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          if (user) return resolve(user);
          if (info && 'ok' in info) return resolve(info);
          // passport-local answers this way when a field is missing.
          return resolve({ ok: false, reason: 'invalid', account: '', userId: null });
        },
      ) as (req: Request, res: Response, next: (err?: unknown) => void) => void;
      handler(req, res, (err) => reject(err instanceof Error ? err : new Error('sign-in failed')));
    });
  }

  async check(email: string, password: string, ip: string, now = new Date()): Promise<SignInResult> {
    const account = email.trim().toLowerCase().slice(0, 320);
    const decision = await this.throttle.check(account, ip);
    if (!decision.allowed) {
      return {
        ok: false,
        reason: 'throttled',
        account,
        userId: null,
        retryAfterSeconds: decision.retryAfterSeconds,
      };
    }
    const user = await this.credentials.findByEmail(account);
    if (user?.lockedUntil && user.lockedUntil > now) {
      await verifyPassword(password, null); // same work as a real check
      await this.throttle.recordFailure(account, ip);
      const retryAfterSeconds = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
      return { ok: false, reason: 'locked', account, userId: user.id, retryAfterSeconds };
    }
    const matches = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !matches || user.disabled) {
      await this.throttle.recordFailure(account, ip);
      if (user) {
        const lockUntil = new Date(now.getTime() + this.config.oauth.lockoutMinutes * 60_000);
        const { locked } = await this.credentials.recordFailure(
          user.id,
          this.config.oauth.lockoutThreshold,
          lockUntil,
        );
        if (locked) {
          return {
            ok: false,
            reason: 'locked',
            account,
            userId: user.id,
            retryAfterSeconds: this.config.oauth.lockoutMinutes * 60,
          };
        }
      }
      return { ok: false, reason: 'invalid', account, userId: user?.id ?? null };
    }
    await this.throttle.recordSuccess(account, ip);
    await this.credentials.recordSuccess(user.id, now);
    return { ok: true, userId: user.id, email: user.email };
  }
}
