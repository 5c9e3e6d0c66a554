import { Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { slugSchema } from '../../common/slug.js';
import { sendInteractionOutcome } from '../../oauth/interaction/interaction-response.js';
import { html, page } from '../../oauth/views/html.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { tenantParams } from '../http/schemas.js';
import { jobView } from '../jobs/job.schemas.js';
import { CheckAdminService, MAX_RUNNING_CHECKS } from './check-admin.service.js';
import { CALLBACK_PATH, CheckSignIn } from './check-sign-in.service.js';

const R = {
  start: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/checks',
    operationId: 'startCheck',
    tag: 'Connection check',
    summary: 'Run the connection checker against an endpoint of this tenant, or any MCP URL, as a job',
    description: [
      'Answers 202 with a job of kind `check`; poll `GET /tenants/{tenant}/jobs/{jobId}`. Its `progress` lists every step, the finished ones and the current one; its `result` is the report (`outcome` pass, fail or incomplete).',
      'An endpoint of this tenant (`endpoint`, or a `url` that is one of its endpoints) is checked signed in as the caller, without a browser: the check authorizes its own registered client for that endpoint only, on the caller’s behalf, and removes the client, grant and session when it ends. An API key must belong to a member for this.',
      'Any other `url` is reached through the platform’s SSRF guard (public addresses only unless the operator’s egress allow-list says otherwise). When it asks someone to sign in, `progress.action` carries the link to open (`open-authorization-url`); the server returns to `/api/v1/checks/callback`, and the check waits up to 5 minutes.',
      `At most ${MAX_RUNNING_CHECKS} checks run per tenant at once.`,
    ].join('\n\n'),
    auth: 'tenant',
    permission: 'connection:test',
    params: tenantParams,
    body: z
      .object({
        endpoint: slugSchema
          .default('default')
          .meta({ description: 'Slug of one of this tenant’s endpoints (default: the default endpoint)' }),
        url: z
          .string()
          .min(1)
          .max(2048)
          .optional()
          .meta({ description: 'Any MCP URL; when set, endpoint is ignored' }),
        burst: z
          .number()
          .int()
          .min(0)
          .max(200)
          .optional()
          .meta({ description: 'Requests in the latency burst (default 20; 0 skips it)' }),
      })
      .strict(),
    status: 202,
    response: z.object({ job: jobView }),
    errors: [429],
  }),
  callback: defineRoute({
    method: 'GET',
    path: CALLBACK_PATH,
    operationId: 'checkSignInCallback',
    tag: 'Connection check',
    summary: 'Where another server’s sign-in returns during a check (a page for the browser)',
    description:
      'The OAuth redirect of a running check: bound to its job by the `state` the check generated (a mismatch, a finished check or a second use is refused with a page saying so). Answers a small HTML page, "You can close this tab".',
    auth: 'none',
    query: z.looseObject({
      state: z.string().max(512).optional(),
      code: z.string().max(2048).optional(),
      iss: z.string().max(2048).optional(),
      error: z.string().max(200).optional(),
      error_description: z.string().max(1000).optional(),
    }),
    produces: ['text/html'],
  }),
};

@AdminController()
export class ChecksController {
  constructor(
    private readonly checks: CheckAdminService,
    private readonly signIn: CheckSignIn,
  ) {}

  @AdminRoute(R.start)
  async start(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.start>,
  ): Promise<AdminOutputOf<typeof R.start>> {
    return { job: await this.checks.start(ctx, i.body) };
  }

  @AdminRoute(R.callback)
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = req.originalUrl.includes('?')
      ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
      : '';
    const outcome = await this.signIn.completeSignIn(query, req.ip ?? 'unknown');
    sendInteractionOutcome(res, {
      kind: 'page',
      status: outcome.status,
      html: page(
        outcome.title,
        html`<h1>${outcome.title}</h1>
          <p ${outcome.status === 200 ? '' : html`class="alert" role="alert"`}>${outcome.message}</p>`,
      ),
      formTargets: [],
    });
  }
}
