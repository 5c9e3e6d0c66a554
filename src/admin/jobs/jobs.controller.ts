import { z } from 'zod';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { pageOf, pageQuery, tenantParams, uuid } from '../http/schemas.js';
import { JobAdminService } from './job-admin.service.js';
import { JOB_KIND_NAMES, jobStatus, jobView, type JobKind } from './job.schemas.js';

const jobParams = tenantParams.extend({ jobId: uuid });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/jobs',
    operationId: 'listJobs',
    tag: 'Jobs',
    summary: 'Recent long operations (connection checks, data-key rotations), newest first',
    description:
      'Only kinds the caller may see are listed: checks for every member, data-key rotations for admins. Finished jobs are kept 30 days.',
    auth: 'tenant',
    permission: 'tenant:read',
    params: tenantParams,
    query: pageQuery.extend({
      kind: z.enum(JOB_KIND_NAMES as [JobKind, ...JobKind[]]).optional(),
      status: jobStatus.optional(),
    }),
    response: pageOf(jobView),
  }),
  get: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/jobs/:jobId',
    operationId: 'getJob',
    tag: 'Jobs',
    summary: 'A job’s status, progress and result; any server node answers (poll it)',
    description:
      'A job interrupted by a server stop is marked failed (error `interrupted`, result `{ interrupted: true, reason }`) by the next sweep. Jobs of a kind the caller may not see look missing.',
    auth: 'tenant',
    permission: 'tenant:read',
    params: jobParams,
    response: jobView,
  }),
  cancel: defineRoute({
    method: 'POST',
    path: '/tenants/:tenant/jobs/:jobId/cancel',
    operationId: 'cancelJob',
    tag: 'Jobs',
    summary: 'Cancel an unfinished job (it stops at once on its node, within 15 s on another)',
    description:
      'Needs what starting that kind of job needs (a check: member; a rotation: admin). A finished job answers 409. A cancelled rotation stops after its current batch and resumes when started again.',
    auth: 'tenant',
    permission: 'connection:test',
    params: jobParams,
    response: jobView,
    errors: [409],
  }),
};

@AdminController()
export class JobsController {
  constructor(private readonly jobs: JobAdminService) {}

  @AdminRoute(R.list)
  list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
  ): Promise<AdminOutputOf<typeof R.list>> {
    return this.jobs.list(ctx, i.query);
  }

  @AdminRoute(R.get)
  get(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.get>,
  ): Promise<AdminOutputOf<typeof R.get>> {
    return this.jobs.get(ctx, i.params.jobId);
  }

  @AdminRoute(R.cancel)
  cancel(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.cancel>,
  ): Promise<AdminOutputOf<typeof R.cancel>> {
    return this.jobs.cancel(ctx, i.params.jobId);
  }
}
