import { Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { CSRF_HEADER } from '../http/admin.guard.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, pageOf, pageQuery, slug, tenantParams, uuid } from '../http/schemas.js';
import { AdminSessionService, csrfMatches, type AdminSession } from '../session/admin-session.service.js';
import { SessionCookie, sameOrigin } from '../session/session-cookie.js';
import { sessionView, SessionViews } from '../session/session-view.js';
import { roleSchema } from '../tenants/tenant.schemas.js';
import { InvitationService } from './invitation.service.js';

const invitationView = z
  .object({
    id: uuid,
    email: z.string(),
    role: roleSchema,
    expiresAt: isoDate,
    createdAt: isoDate,
  })
  .meta({ id: 'Invitation' });

const token = z.string().min(1).max(200).meta({ description: 'The token from the link’s fragment' });

const R = {
  create: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/invitations',
    operationId: 'createInvitation',
    tag: 'Members',
    summary: 'Invite someone by email with a role: answers the link to share (shown once)',
    description:
      'No email is sent: share acceptUrl with the person. Its token is in the fragment (#token=…), which browsers never send to a server; only a hash is stored. The link works once, for 7 days; a new invitation for the same email replaces a pending one. Only owners may invite owners. An existing member is a 409.',
    auth: 'tenant',
    permission: 'member:write',
    params: tenantParams,
    body: z.object({ email: z.email().max(320), role: roleSchema }).strict(),
    status: 201,
    response: z.object({
      invitation: invitationView,
      acceptUrl: z.string().meta({ description: '${PUBLIC_URL}/admin/invite#token=<token>; shown once' }),
    }),
    errors: [409],
  }),
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/invitations',
    operationId: 'listInvitations',
    tag: 'Members',
    summary: 'Pending invitations (not used, withdrawn or expired), newest first',
    auth: 'tenant',
    permission: 'member:read',
    params: tenantParams,
    query: pageQuery,
    response: pageOf(invitationView),
  }),
  revoke: defineRoute({
    method: 'DELETE',
    path: '/tenants/:tenant/invitations/:invitationId',
    operationId: 'revokeInvitation',
    tag: 'Members',
    summary: 'Withdraw a pending invitation: its link stops working at once',
    auth: 'tenant',
    permission: 'member:write',
    params: tenantParams.extend({ invitationId: uuid }),
  }),
  lookup: defineRoute({
    method: 'POST',
    path: '/invitations/lookup',
    operationId: 'lookUpInvitation',
    tag: 'Members',
    summary: 'What an invitation link is for (the page the link opens asks this first)',
    description:
      'needsPassword: no account exists for the email yet — the person chooses a password to accept. Otherwise the account exists: accepting needs its own password (canSignInWithPassword), or a password-signed-in dashboard session of it. Invalid links answer 404, used, withdrawn or expired ones 412 with details.reason; repeated invalid links from one address are throttled (429).',
    auth: 'none',
    body: z.object({ token }).strict(),
    response: z.object({
      tenant: z.object({ slug, name: z.string() }),
      email: z.string(),
      role: roleSchema,
      expiresAt: isoDate,
      needsPassword: z.boolean(),
      accountExists: z.boolean(),
      canSignInWithPassword: z.boolean(),
    }),
    errors: [404, 412, 429],
  }),
  accept: defineRoute({
    method: 'POST',
    path: '/invitations/accept',
    operationId: 'acceptInvitation',
    tag: 'Members',
    summary: 'Accept an invitation: joins the tenant with its role and signs in (as POST /session)',
    description:
      'A new account needs password (the same rules as `switchboard user set-password`: 12 or more characters). An existing account proves itself with its own password, or with its dashboard session (cookie, X-CSRF-Token and our origin; a password session, not one opened by another tenant’s identity provider) — an invitation never changes a password. Answers 201 with the session and sets the session cookie (a session already used to accept stays as it is). The link then stops working.',
    auth: 'none',
    body: z
      .object({
        token,
        password: z.string().min(1).max(1024).optional().meta({
          description: 'New account: the password to set. Existing account: its current password',
        }),
      })
      .strict(),
    status: 201,
    response: sessionView,
    errors: [401, 404, 409, 412, 429],
  }),
};

@AdminController()
export class InvitationsController {
  private readonly cookie: SessionCookie;
  private readonly publicOrigin: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invitations: InvitationService,
    private readonly sessions: AdminSessionService,
    private readonly views: SessionViews,
  ) {
    this.cookie = new SessionCookie(config.publicUrl);
    this.publicOrigin = new URL(config.publicUrl).origin;
  }

  @AdminRoute(R.create)
  create(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.create>,
  ): Promise<AdminOutputOf<typeof R.create>> {
    return this.invitations.create(ctx, i.body.email, i.body.role);
  }

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.invitations.listPending(ctx, i.query);
  }

  @AdminRoute(R.revoke)
  revoke(@InTenant() ctx: TenantContext, @AdminInput() i: AdminInputOf<typeof R.revoke>): Promise<void> {
    return this.invitations.revoke(ctx, i.params.invitationId);
  }

  @AdminRoute(R.lookup)
  lookup(
    @AdminInput() i: AdminInputOf<typeof R.lookup>,
    @Req() req: Request,
  ): Promise<AdminOutputOf<typeof R.lookup>> {
    return this.invitations.lookup(i.body.token, req.ip ?? 'unknown');
  }

  @AdminRoute(R.accept)
  async accept(
    @AdminInput() i: AdminInputOf<typeof R.accept>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdminOutputOf<typeof R.accept>> {
    const ip = req.ip ?? 'unknown';
    const current = await this.currentSession(req);
    const accepted = await this.invitations.accept(i.body.token, i.body.password, { ip, session: current });
    if (accepted.usedSession && current) return this.views.view(current);
    const { token, session } = await this.sessions.open(
      { userId: accepted.userId, method: 'password', tenantId: null },
      { ip, userAgent: req.headers['user-agent'] ?? null },
    );
    this.cookie.set(res, token, session.expiresAt);
    return this.views.view(session);
  }

  /** The caller's dashboard session, only when the request proves it comes from our own page. */
  private async currentSession(req: Request): Promise<AdminSession | null> {
    const value = this.cookie.read(req);
    if (!value) return null;
    const session = await this.sessions.find(value);
    if (!session) return null;
    const fromOurPage =
      sameOrigin(req, this.publicOrigin, this.config.http.allowedHosts) &&
      csrfMatches(session, req.headers[CSRF_HEADER]);
    return fromOurPage ? session : null;
  }
}
