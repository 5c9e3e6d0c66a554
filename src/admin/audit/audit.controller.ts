import { Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CONTENT_TYPES, EXPORT_FORMATS } from '../../audit/audit-export.js';
import { auditFilterSchema, auditSettingsPatchSchema, AuditService } from '../../audit/audit.service.js';
import { InvalidArgumentError } from '../../common/domain-error.js';
import { AdminInput, InTenant, type TenantContext } from '../http/admin-context.js';
import { AdminController, AdminRoute } from '../http/admin-route.js';
import { defineRoute, type AdminInputOf, type AdminOutputOf } from '../http/route-spec.js';
import { isoDate, tenantParams } from '../http/schemas.js';

/** Chunks are gathered up to this size before a write, so a long export is not a write per line. */
const WRITE_CHUNK = 64 * 1024;
const PAGE_KEYS = new Set(['limit', 'cursor', 'after', 'format']);

const eventView = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    seq: z.string().meta({ description: 'Position in the tenant’s chain (a 64-bit counter, as a string)' }),
    at: isoDate,
    kind: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.string(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

const filterQuery = auditFilterSchema.meta({
  description:
    'kind (comma-separated), action (exact, or a prefix ending with *), actorType, actorId, outcome, from and to (ISO 8601), tool',
});
const settingsView = z
  .object({
    tenant: z.string(),
    recordRawArguments: z.boolean(),
    retentionDays: z.number().int().meta({ description: '0 keeps events forever' }),
    retentionIsDefault: z.boolean(),
  })
  .meta({ id: 'AuditSettings' });

const R = {
  list: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/audit',
    operationId: 'listAuditEvents',
    tag: 'Audit',
    summary: 'Query the audit log (newest first), or tail it with `after`',
    description:
      'Without `after`: newest first, `cursor` pages to older events. With `after=<seq>`: the events after that seq, oldest first, and `nextAfter` to poll with next (a live tail).',
    auth: 'tenant',
    permission: 'audit:read',
    params: tenantParams,
    query: filterQuery.extend({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,40}$/)
        .optional(),
      after: z
        .string()
        .regex(/^\d{1,19}$/)
        .optional()
        .meta({ description: 'Return events with a higher seq' }),
    }),
    response: z.object({
      events: z.array(eventView),
      nextCursor: z.string().nullable().optional(),
      nextAfter: z.string().optional(),
    }),
  }),
  export: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/audit/export',
    operationId: 'exportAuditEvents',
    tag: 'Audit',
    summary: 'Stream the filtered log, oldest first, as JSON Lines or CSV (the export itself is audited)',
    auth: 'tenant',
    permission: 'audit:read',
    params: tenantParams,
    query: filterQuery.extend({ format: z.enum(EXPORT_FORMATS).default('jsonl') }),
    produces: [CONTENT_TYPES.jsonl, CONTENT_TYPES.csv],
  }),
  verify: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/audit/verify',
    operationId: 'verifyAuditChain',
    tag: 'Audit',
    summary: 'Check the hash chain; names the first broken link (200 either way, see ok)',
    auth: 'tenant',
    permission: 'audit:read',
    params: tenantParams,
    response: z
      .object({
        ok: z.boolean(),
        tenantId: z.uuid(),
        checked: z.number().int(),
        firstSeq: z.string().nullable(),
        lastSeq: z.string().nullable(),
        startsAt: z.object({ checkpointSeq: z.string(), checkpointId: z.string() }).nullable(),
        break: z
          .object({
            seq: z.string(),
            eventId: z.string().nullable(),
            reason: z.string(),
            message: z.string(),
          })
          .nullable(),
      })
      .meta({ id: 'AuditVerifyReport' }),
  }),
  settings: defineRoute({
    method: 'GET',
    path: '/tenants/:tenant/audit/settings',
    operationId: 'getAuditSettings',
    tag: 'Audit',
    summary: 'Retention and whether raw tool arguments are recorded',
    auth: 'tenant',
    permission: 'audit:read',
    params: tenantParams,
    response: settingsView,
  }),
  updateSettings: defineRoute({
    method: 'PUT',
    path: '/tenants/:tenant/audit/settings',
    operationId: 'updateAuditSettings',
    tag: 'Audit',
    summary: 'Change retention (null: platform default, 0: forever) or raw-argument recording',
    auth: 'tenant',
    permission: 'audit:write',
    params: tenantParams,
    body: auditSettingsPatchSchema,
    response: settingsView,
  }),
};

/** The raw filter fields of a query (the service validates them into an AuditFilter). */
function filterOf(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) if (!PAGE_KEYS.has(k)) out[k] = v;
  return out;
}

@AdminController()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @AdminRoute(R.list)
  async list(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.list>,
    @Req() req: Request,
  ): Promise<AdminOutputOf<typeof R.list>> {
    const filter = this.audit.parseFilter(filterOf(req));
    if (i.query.after !== undefined) {
      if (i.query.cursor !== undefined)
        throw new InvalidArgumentError('give either cursor or after, not both');
      return this.audit.tail(ctx.tenant, filter, BigInt(i.query.after), i.query.limit);
    }
    return this.audit.list(ctx.tenant.slug, filter, { limit: i.query.limit, cursor: i.query.cursor });
  }

  @AdminRoute(R.export)
  async export(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.export>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const filter = this.audit.parseFilter(filterOf(req));
    const format = i.query.format;
    // Who took a copy of the log is itself on the log, before the copy starts.
    await this.audit.recordExport(ctx.tenant, ctx.actor, format, filter);
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="audit-${ctx.tenant.slug}.${format}"`);
    let buffered = '';
    try {
      for await (const chunk of this.audit.export(ctx.tenant, format, filter)) {
        buffered += chunk;
        if (buffered.length < WRITE_CHUNK) continue;
        const ok = res.write(buffered);
        buffered = '';
        if (!ok) await waitForDrain(res);
        if (res.destroyed) return;
      }
      res.end(buffered);
    } catch (e) {
      // Headers are gone: the only honest signal left is a cut connection (the client sees a truncated body).
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  }

  @AdminRoute(R.verify)
  verify(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.verify>> {
    return this.audit.verify(ctx.tenant.slug);
  }

  @AdminRoute(R.settings)
  settings(@InTenant() ctx: TenantContext): Promise<AdminOutputOf<typeof R.settings>> {
    return this.audit.getSettings(ctx.tenant.slug);
  }

  @AdminRoute(R.updateSettings)
  updateSettings(
    @InTenant() ctx: TenantContext,
    @AdminInput() i: AdminInputOf<typeof R.updateSettings>,
  ): Promise<AdminOutputOf<typeof R.updateSettings>> {
    return this.audit.updateSettings(ctx.tenant.slug, i.body, ctx.actor);
  }
}

function waitForDrain(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
