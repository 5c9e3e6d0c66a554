import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { InvalidArgumentError } from '../common/domain-error.js';
import type { Tenant } from '../generated/prisma/client.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import type { AuditOutcome } from './audit-chain.js';
import { exportChunks, type AuditEventView, type ExportFormat } from './audit-export.js';
import type { JsonObject } from './audit-json.js';
import { AuditSettingsService, type EffectiveAuditSettings } from './audit-settings.service.js';
import { verifyChain, type VerifiableEvent, type VerifyReport } from './audit-verifier.js';
import { AUDIT_ACTOR_TYPES, AUDIT_KINDS, AUDIT_OUTCOMES } from './audit-writer.service.js';
import {
  AuditRecorder,
  SYSTEM_ACTOR,
  type AuditActor,
  type AuditActorType,
  type AuditKind,
} from './audit.contract.js';
import { AuditRepository, type AuditEventRow, type AuditFilter } from './audit.repository.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';

const MAX_PAGE = 500;

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

/** Filters as the REST API and the CLI take them (strings), validated into an `AuditFilter`. */
export const auditFilterSchema = z
  .object({
    kind: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(AUDIT_KINDS)))
      .optional(),
    action: z
      .string()
      .regex(/^[A-Za-z][\w.:/-]{0,99}\*?$/, 'an action, or a prefix ending with *')
      .optional(),
    actorType: z.enum(AUDIT_ACTOR_TYPES).optional(),
    actorId: z.string().min(1).max(512).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    tool: z.string().min(1).max(256).optional(),
  })
  .strict();

export const auditPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'not a cursor from this API')
    .optional(),
});

export type AuditFilterInput = z.input<typeof auditFilterSchema>;

export interface AuditPage {
  readonly events: AuditEventView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface AuditSettingsView extends EffectiveAuditSettings {
  readonly tenant: string;
}

export const auditSettingsPatchSchema = z
  .object({
    recordRawArguments: z.boolean().optional(),
    /** null returns to the platform default; 0 keeps events forever. */
    retentionDays: z.number().int().min(0).max(36_500).nullable().optional(),
  })
  .strict();

export function toEventView(r: AuditEventRow): AuditEventView {
  return {
    id: r.id,
    tenantId: r.tenantId,
    seq: r.seq.toString(),
    at: r.at.toISOString(),
    kind: r.kind,
    actor: { type: r.actorType, id: r.actorId },
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    data: r.data as JsonObject,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

function toVerifiable(r: AuditEventRow): VerifiableEvent {
  return {
    id: r.id,
    tenantId: r.tenantId,
    seq: r.seq,
    prevHash: r.prevHash,
    hash: r.hash,
    at: r.at,
    kind: r.kind as AuditKind,
    actorType: r.actorType as AuditActorType,
    actorId: r.actorId,
    action: r.action,
    target: r.target,
    outcome: r.outcome as AuditOutcome,
    data: r.data as JsonObject,
  };
}

function issues(e: z.ZodError): string[] {
  return e.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
}

/**
 * Reading the audit log: filtered pages, streamed exports, chain verification and per-tenant settings.
 * Writing goes through `AuditRecorder` only; nothing here changes or removes events (retention does).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly tenancy: TenancyService,
    private readonly settings: AuditSettingsService,
    private readonly signer: CheckpointSigner,
    private readonly recorder: AuditRecorder,
  ) {}

  parseFilter(input: unknown): AuditFilter {
    const parsed = auditFilterSchema.safeParse(input ?? {});
    if (!parsed.success)
      throw new InvalidArgumentError('invalid audit filter', { issues: issues(parsed.error) });
    const f = parsed.data;
    if (f.from && f.to && f.from >= f.to) throw new InvalidArgumentError('"from" must be before "to"');
    return {
      ...(f.kind && f.kind.length > 0 && { kinds: f.kind }),
      ...(f.action !== undefined && { action: f.action }),
      ...(f.actorType !== undefined && { actorType: f.actorType }),
      ...(f.actorId !== undefined && { actorId: f.actorId }),
      ...(f.outcome !== undefined && { outcome: f.outcome }),
      ...(f.from !== undefined && { from: f.from }),
      ...(f.to !== undefined && { to: f.to }),
      ...(f.tool !== undefined && { tool: f.tool }),
    };
  }

  /** Newest first. Cursors are opaque (they encode the last seq seen). */
  async list(tenantSlug: string, filter: AuditFilter, page: unknown): Promise<AuditPage> {
    const p = auditPageSchema.safeParse(page ?? {});
    if (!p.success) throw new InvalidArgumentError('invalid page', { issues: issues(p.error) });
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const beforeSeq = p.data.cursor === undefined ? undefined : decodeCursor(p.data.cursor);
    const rows = await this.repo.list({ tenantId: tenant.id }, filter, {
      beforeSeq,
      take: p.data.limit + 1,
    });
    const more = rows.length > p.data.limit;
    const events = rows.slice(0, p.data.limit).map(toEventView);
    return { events, nextCursor: more ? encodeCursor(BigInt(events.at(-1)!.seq)) : null };
  }

  /**
   * A live tail: events after `afterSeq`, oldest first. `nextAfter` is the seq to ask after next time
   * (the last one returned, or `afterSeq` again when nothing new matched).
   */
  async tail(
    tenant: Tenant,
    filter: AuditFilter,
    afterSeq: bigint,
    limit: number,
  ): Promise<{ readonly events: AuditEventView[]; readonly nextAfter: string }> {
    const rows = await this.repo.listAfter({ tenantId: tenant.id }, filter, afterSeq, limit);
    const events = rows.map(toEventView);
    return { events, nextAfter: events.at(-1)?.seq ?? afterSeq.toString() };
  }

  /**
   * Oldest first, as text chunks; nothing is read before the first chunk is asked for. Resolve the
   * tenant with `tenantFor` first so an unknown tenant fails before a response starts.
   */
  export(tenant: Tenant, format: ExportFormat, filter: AuditFilter): AsyncGenerator<string> {
    const rows = this.repo.stream({ tenantId: tenant.id }, filter);
    return exportChunks(mapAsync(rows, toEventView), format);
  }

  /** Exports are recorded (who, which format, which filter) before any row leaves. */
  recordExport(tenant: Tenant, actor: AuditActor, format: ExportFormat, filter: AuditFilter): Promise<void> {
    return this.recorder.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'audit.export',
      actor,
      target: tenant.slug,
      outcome: 'success',
      data: { format, filter: { ...filter } },
    });
  }

  tenantFor(slug: string): Promise<Tenant> {
    return this.tenancy.getTenant(slug);
  }

  async verify(tenantSlug: string): Promise<VerifyReport> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const scope = { tenantId: tenant.id };
    const cp = await this.repo.latestCheckpoint(scope);
    const head = await this.repo.findHead(scope);
    const checkpoint = cp && {
      id: cp.id,
      seq: cp.seq,
      hash: cp.hash,
      signatureValid: await this.signer.verify(
        {
          tenantId: cp.tenantId,
          seq: cp.seq,
          hash: cp.hash,
          lastAt: cp.lastAt,
          prunedCount: cp.prunedCount,
          createdAt: cp.createdAt,
          keyId: cp.keyId,
        },
        cp.signature,
      ),
    };
    return verifyChain({
      tenantId: tenant.id,
      checkpoint,
      head,
      events: mapAsync(this.repo.stream(scope), toVerifiable),
    });
  }

  async getSettings(tenantSlug: string): Promise<AuditSettingsView> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    return { tenant: tenant.slug, ...(await this.settings.get(tenant.id)) };
  }

  async updateSettings(
    tenantSlug: string,
    patch: unknown,
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<AuditSettingsView> {
    const parsed = auditSettingsPatchSchema.safeParse(patch);
    if (!parsed.success)
      throw new InvalidArgumentError('invalid audit settings', { issues: issues(parsed.error) });
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const { before, after } = await this.settings.update(tenant.id, parsed.data);
    await this.recorder.record({
      tenantId: tenant.id,
      kind: 'admin',
      action: 'audit.settings.update',
      actor,
      target: tenant.slug,
      outcome: 'success',
      data: { before: { ...before }, after: { ...after } },
    });
    return { tenant: tenant.slug, ...after };
  }
}

export function encodeCursor(seq: bigint): string {
  return Buffer.from(`s${seq.toString()}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^s\d{1,19}$/.test(text)) throw new InvalidArgumentError('invalid cursor');
  return BigInt(text.slice(1));
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, fn: (t: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield fn(item);
}
