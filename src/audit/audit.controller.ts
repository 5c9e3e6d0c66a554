import { Body, Controller, Get, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { InvalidArgumentError } from '../common/domain-error.js';
import { AdminApiKeyGuard, type AdminRequest } from '../auth/admin-api-key.guard.js';
import { CONTENT_TYPES, EXPORT_FORMATS } from './audit-export.js';
import type { VerifyReport } from './audit-verifier.js';
import type { AuditActor } from './audit.contract.js';
import { AuditService, type AuditPage, type AuditSettingsView } from './audit.service.js';

const PAGE_KEYS = new Set(['limit', 'cursor']);
const formatSchema = z.enum(EXPORT_FORMATS);
/** Chunks are gathered up to this size before a write, so a long export is not a write per line. */
const WRITE_CHUNK = 64 * 1024;

function split(query: Record<string, unknown>): {
  filter: Record<string, unknown>;
  page: Record<string, unknown>;
} {
  const filter: Record<string, unknown> = {};
  const page: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) throw new InvalidArgumentError(`query parameter "${k}" was given more than once`);
    (PAGE_KEYS.has(k) ? page : filter)[k] = v;
  }
  return { filter, page };
}

function actorOf(req: AdminRequest): AuditActor {
  const p = req.adminPrincipal;
  return p ? { type: p.kind, id: p.id } : { type: 'anonymous', id: null };
}

/**
 * A tenant's audit log over REST (API key with the `admin` scope). Filters: kind (comma-separated),
 * action (exact, or prefix ending with *), actorType, actorId, outcome, from, to (ISO 8601), tool.
 */
@Controller('api/v1/tenants/:tenant/audit')
@UseGuards(AdminApiKeyGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first; `limit` (≤ 500) and `cursor` from the previous page's `nextCursor`. */
  @Get()
  list(@Param('tenant') tenant: string, @Query() query: Record<string, unknown>): Promise<AuditPage> {
    const { filter, page } = split(query);
    return this.audit.list(tenant, this.audit.parseFilter(filter), page);
  }

  /** Streams the filtered log, oldest first, as JSON Lines (default) or CSV. */
  @Get('export')
  async export(
    @Param('tenant') slug: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AdminRequest,
    @Res() res: Response,
  ): Promise<void> {
    const { filter: raw } = split(query);
    const { format: rawFormat = 'jsonl', ...rest } = raw;
    const format = formatSchema.safeParse(rawFormat);
    if (!format.success) throw new InvalidArgumentError(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const filter = this.audit.parseFilter(rest);
    const tenant = await this.audit.tenantFor(slug);
    // Who took a copy of the log is itself on the log, before the copy starts.
    await this.audit.recordExport(tenant, actorOf(req), format.data, filter);
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format.data]);
    res.setHeader('Content-Disposition', `attachment; filename="audit-${tenant.slug}.${format.data}"`);
    res.setHeader('Cache-Control', 'no-store');
    let buffered = '';
    try {
      for await (const chunk of this.audit.export(tenant, format.data, filter)) {
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

  /** Checks the tenant's chain and reports the first broken link (200 either way; see `ok`). */
  @Get('verify')
  verify(@Param('tenant') tenant: string): Promise<VerifyReport> {
    return this.audit.verify(tenant);
  }

  @Get('settings')
  settings(@Param('tenant') tenant: string): Promise<AuditSettingsView> {
    return this.audit.getSettings(tenant);
  }

  /** `{ "recordRawArguments": bool, "retentionDays": int | null }`, both optional. */
  @Put('settings')
  updateSettings(
    @Param('tenant') tenant: string,
    @Body() body: unknown,
    @Req() req: AdminRequest,
  ): Promise<AuditSettingsView> {
    return this.audit.updateSettings(tenant, body, actorOf(req));
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
