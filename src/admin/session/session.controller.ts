import { Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { DomainError } from '../../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { AdminInput, InSession } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { slug } from '../http/schemas.js';
import { AdminSessionService, type AdminSession } from './admin-session.service.js';
import { AdminSsoService } from './admin-sso.service.js';
import { SessionCookie } from './session-cookie.js';
import { sessionView, SessionViews } from './session-view.js';

const R = {
  signIn: defineRoute({
    method: 'POST',
    path: '/session',
    operationId: 'signIn',
    tag: 'Session',
    summary: 'Sign in with email and password',
    description:
      'The same check as the OAuth sign-in page (argon2id, account lockout, per-address and per-account throttling). Sets the HttpOnly session cookie and returns the session with its CSRF token. A browser must post it from our own origin.',
    auth: 'none',
    body: z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) }).strict(),
    status: 201,
    response: sessionView,
    errors: [401, 429],
  }),
  current: defineRoute({
    method: 'GET',
    path: '/session',
    operationId: 'getSession',
    tag: 'Session',
    summary: 'The current session, its CSRF token and the tenants it may act in',
    auth: 'session',
    response: sessionView,
  }),
  providers: defineRoute({
    method: 'GET',
    path: '/session/providers',
    operationId: 'listSignInProviders',
    tag: 'Session',
    summary: "A tenant's single sign-on option for the dashboard's sign-in page (empty when it has none)",
    auth: 'none',
    query: z.object({ tenant: slug }).strict(),
    response: z.object({ providers: z.array(z.object({ tenant: z.string(), name: z.string() })) }),
  }),
  sso: defineRoute({
    method: 'POST',
    path: '/session/sso',
    operationId: 'startSingleSignOn',
    tag: 'Session',
    summary: "Start signing in through the tenant's OpenID Connect provider",
    description:
      'Sets a short-lived attempt cookie and answers the URL to send the browser to (window.location). The provider returns to /oauth/upstream/callback, which opens a session bound to this tenant and redirects to returnTo (with ?signin_error=<reason> when refused).',
    auth: 'none',
    body: z
      .object({
        tenant: slug,
        returnTo: z
          .string()
          .max(512)
          .regex(/^\/(?![/\\])[^\s]*$/, 'a path on this server')
          .default('/admin/'),
      })
      .strict(),
    response: z.object({ redirectUrl: z.string() }),
    errors: [404, 503],
  }),
  signOut: defineRoute({
    method: 'DELETE',
    path: '/session',
    operationId: 'signOut',
    tag: 'Session',
    summary: 'Sign out: the session ends on every node at once',
    auth: 'session',
  }),
};

@AdminController()
export class SessionController {
  private readonly cookie: SessionCookie;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: AdminSessionService,
    private readonly views: SessionViews,
    private readonly sso: AdminSsoService,
  ) {
    this.cookie = new SessionCookie(config.publicUrl);
  }

  @AdminRoute(R.signIn)
  async signIn(
    @AdminInput() input: AdminInputOf<typeof R.signIn>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdminOutputOf<typeof R.signIn>> {
    try {
      const { token, session } = await this.sessions.signInWithPassword(
        input.body.email,
        input.body.password,
        {
          ip: req.ip ?? 'unknown',
          userAgent: req.headers['user-agent'] ?? null,
        },
      );
      this.cookie.set(res, token, session.expiresAt);
      return this.views.view(session);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'rate_limited') {
        res.setHeader('Retry-After', String(e.details?.retryAfterSeconds ?? 60));
      }
      throw e;
    }
  }

  @AdminRoute(R.current)
  current(@InSession() session: AdminSession): Promise<AdminOutputOf<typeof R.current>> {
    return this.views.view(session);
  }

  @AdminRoute(R.providers)
  async providers(
    @AdminInput() input: AdminInputOf<typeof R.providers>,
  ): Promise<AdminOutputOf<typeof R.providers>> {
    return { providers: await this.sso.providers(input.query.tenant) };
  }

  @AdminRoute(R.sso)
  async startSso(
    @AdminInput() input: AdminInputOf<typeof R.sso>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdminOutputOf<typeof R.sso>> {
    return { redirectUrl: await this.sso.start(input.body.tenant, input.body.returnTo, res) };
  }

  @AdminRoute(R.signOut)
  async signOut(
    @InSession() session: AdminSession,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.sessions.signOut(session);
    this.cookie.clear(res);
  }
}
