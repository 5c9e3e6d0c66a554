import { Injectable, Logger } from '@nestjs/common';
import { PackRegistry, type ConnectionTestResult, type ToolPack } from '@switchboard/integration-kit';
import { AuditRecorder } from '../../audit/audit.contract.js';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../common/domain-error.js';
import { isUniqueViolation } from '../../database/prisma-errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ConnectionRepository, type ConnectionWithEndpoints } from '../../tenancy/connection.repository.js';
import { EndpointEvents } from '../../tenancy/endpoint-events.js';
import { VaultService, type SecretView } from '../../vault/vault.service.js';
import type { TenantContext } from '../http/admin-context.js';
import { decodeCursor, toPage, type Page } from '../http/schemas.js';

/** A connection test reads the upstream once; it must not hold an admin's request for long. */
const TEST_TIMEOUT_MS = 20_000;

export interface SecretStatus {
  readonly name: string;
  readonly description: string | null;
  readonly required: boolean;
  readonly set: boolean;
  readonly version: number | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

export interface ConnectionView {
  readonly id: string;
  readonly name: string;
  readonly packId: string;
  readonly packTitle: string | null;
  readonly enabled: boolean;
  readonly config: unknown;
  readonly secrets: readonly SecretStatus[];
  readonly missingSecrets: readonly string[];
  readonly endpoints: readonly string[];
  readonly testable: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConnectionTestView extends ConnectionTestResult {
  readonly supported: boolean;
  readonly durationMs: number;
}

/**
 * A tenant's connections (configured instances of a pack): config validated by the pack's schema,
 * secrets write-only through the vault, a "test connection" through the pack's own `test()`. Every
 * change is audited; secrets appear in the log and in answers by name and version only.
 */
@Injectable()
export class ConnectionAdminService {
  private readonly logger = new Logger(ConnectionAdminService.name);

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly packs: PackRegistry,
    private readonly vault: VaultService,
    private readonly events: EndpointEvents,
    private readonly audit: AuditRecorder,
  ) {}

  async list(
    ctx: TenantContext,
    query: {
      readonly limit: number;
      readonly cursor?: string;
      readonly packId?: string;
      readonly q?: string;
    },
  ): Promise<Page<ConnectionView>> {
    const scope = { tenantId: ctx.tenant.id };
    const after = decodeCursor(query.cursor, 1)?.[0];
    const rows = await this.connections.page(scope, {
      take: query.limit + 1,
      after: after === undefined ? undefined : String(after),
      packId: query.packId,
      q: query.q,
    });
    const page = toPage(rows, query.limit, (c) => [c.name]);
    const secrets = await this.vault.listSecrets(scope);
    return { items: page.items.map((c) => this.view(c, secrets)), nextCursor: page.nextCursor };
  }

  async get(ctx: TenantContext, id: string): Promise<ConnectionView> {
    const c = await this.find(ctx, id);
    return this.view(c, await this.vault.listSecrets({ tenantId: ctx.tenant.id }, c.id));
  }

  async create(
    ctx: TenantContext,
    input: { readonly packId: string; readonly name: string; readonly config: unknown },
  ): Promise<ConnectionView> {
    const pack = this.pack(input.packId);
    const config = await validateConfig(pack, input.config);
    let created;
    try {
      created = await this.connections.create(
        { tenantId: ctx.tenant.id },
        { packId: pack.id, name: input.name, config: config as Prisma.InputJsonValue },
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`a connection named "${input.name}" already exists`);
      throw e;
    }
    // The recorder redacts secret-looking keys of the config too.
    await this.record(ctx, 'connection.create', created.name, {
      connectionId: created.id,
      after: { packId: pack.id, name: created.name, config: created.config },
    });
    return this.get(ctx, created.id);
  }

  async update(
    ctx: TenantContext,
    id: string,
    patch: { readonly name?: string; readonly config?: unknown; readonly enabled?: boolean },
  ): Promise<ConnectionView> {
    const before = await this.find(ctx, id);
    const config =
      patch.config === undefined ? undefined : await validateConfig(this.pack(before.packId), patch.config);
    let after;
    try {
      after = await this.connections.update({ tenantId: ctx.tenant.id }, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(config !== undefined && { config: config as Prisma.InputJsonValue }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`a connection named "${patch.name}" already exists`);
      throw e;
    }
    this.surfacesChanged(ctx);
    await this.record(ctx, 'connection.update', after.name, {
      connectionId: id,
      before: { name: before.name, config: before.config, enabled: before.enabled },
      after: { name: after.name, config: after.config, enabled: after.enabled },
    });
    return this.get(ctx, id);
  }

  async remove(ctx: TenantContext, id: string): Promise<void> {
    const before = await this.find(ctx, id);
    await this.connections.delete({ tenantId: ctx.tenant.id }, id);
    this.surfacesChanged(ctx);
    await this.record(ctx, 'connection.delete', before.name, {
      connectionId: id,
      before: { packId: before.packId, name: before.name, config: before.config },
      endpoints: before.endpoints.map((e) => e.endpoint.slug),
    });
  }

  async test(ctx: TenantContext, id: string): Promise<ConnectionTestView> {
    const c = await this.find(ctx, id);
    const pack = this.pack(c.packId);
    const started = performance.now();
    let result: ConnectionTestResult;
    if (!pack.test) {
      result = { ok: false, message: `The ${pack.title} integration has no connection test.` };
    } else {
      result = await this.runTest(ctx, c, pack);
    }
    const durationMs = Math.round(performance.now() - started);
    await this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action: 'connection.test',
      actor: ctx.actor,
      target: c.name,
      outcome: !pack.test ? 'failure' : result.ok ? 'success' : 'failure',
      data: { connectionId: c.id, packId: c.packId, ok: result.ok, message: result.message, durationMs },
    });
    return { ...result, supported: pack.test !== undefined, durationMs };
  }

  async listSecrets(ctx: TenantContext, id: string): Promise<SecretStatus[]> {
    const c = await this.find(ctx, id);
    return secretStatuses(
      this.packs.get(c.packId),
      await this.vault.listSecrets({ tenantId: ctx.tenant.id }, c.id),
    );
  }

  /** Sets or rotates a secret; the answer (and the audit event) carry its name and new version only. */
  async setSecret(ctx: TenantContext, id: string, name: string, value: string): Promise<SecretStatus> {
    const c = await this.find(ctx, id);
    const scope = { tenantId: ctx.tenant.id };
    const before = (await this.vault.listSecrets(scope, c.id)).find((s) => s.name === name);
    const after = await this.vault.setSecret(scope, c.id, name, value);
    this.surfacesChanged(ctx);
    await this.record(ctx, before ? 'secret.rotate' : 'secret.set', `${c.name}/${name}`, {
      connectionId: c.id,
      name,
      before: before ? { version: before.version } : null,
      after: { version: after.version },
    });
    const status = secretStatuses(this.packs.get(c.packId), [after]).find((s) => s.name === name);
    return status as SecretStatus;
  }

  async deleteSecret(ctx: TenantContext, id: string, name: string): Promise<void> {
    const c = await this.find(ctx, id);
    const scope = { tenantId: ctx.tenant.id };
    const before = (await this.vault.listSecrets(scope, c.id)).find((s) => s.name === name);
    await this.vault.deleteSecret(scope, c.id, name);
    this.surfacesChanged(ctx);
    await this.record(ctx, 'secret.delete', `${c.name}/${name}`, {
      connectionId: c.id,
      name,
      before: before ? { version: before.version } : null,
    });
  }

  private async runTest(
    ctx: TenantContext,
    c: ConnectionWithEndpoints,
    pack: ToolPack,
  ): Promise<ConnectionTestResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ConnectionTestResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, message: `No answer within ${TEST_TIMEOUT_MS / 1000} seconds.` }),
        TEST_TIMEOUT_MS,
      );
    });
    try {
      const run = (pack.test as NonNullable<ToolPack['test']>)({
        tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug },
        connectionId: c.id,
        connectionName: c.name,
        config: c.config,
        secrets: this.vault.accessorFor(ctx.tenant.id, c.id),
        logger: {
          debug: (msg) => this.logger.debug({ msg, connectionId: c.id }),
          info: (msg) => this.logger.log({ msg, connectionId: c.id }),
          warn: (msg) => this.logger.warn({ msg, connectionId: c.id }),
          error: (msg) => this.logger.error({ msg, connectionId: c.id }),
        },
      });
      return await Promise.race([run, timeout]);
    } catch (e) {
      // A pack should answer ok: false for expected failures; a throw is still an answer, not a 500.
      this.logger.warn(`connection test of ${c.id} threw: ${(e as Error).message}`);
      return { ok: false, message: `The test failed: ${(e as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  private async find(ctx: TenantContext, id: string): Promise<ConnectionWithEndpoints> {
    const c = await this.connections.findById({ tenantId: ctx.tenant.id }, id);
    if (!c) throw new NotFoundError(`connection "${id}"`);
    return c;
  }

  private pack(packId: string): ToolPack {
    const pack = this.packs.get(packId);
    if (!pack) {
      throw new NotFoundError(`integration "${packId}"`, { available: this.packs.list().map((p) => p.id) });
    }
    return pack;
  }

  private view(c: ConnectionWithEndpoints, secrets: readonly SecretView[]): ConnectionView {
    const pack = this.packs.get(c.packId);
    const statuses = secretStatuses(
      pack,
      secrets.filter((s) => s.connectionId === c.id),
    );
    return {
      id: c.id,
      name: c.name,
      packId: c.packId,
      packTitle: pack?.title ?? null,
      enabled: c.enabled,
      config: c.config,
      secrets: statuses,
      missingSecrets: statuses.filter((s) => s.required && !s.set).map((s) => s.name),
      endpoints: c.endpoints.map((e) => e.endpoint.slug).sort(),
      testable: typeof pack?.test === 'function',
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  /** Connections feed every endpoint that exposes them: all of the tenant's surfaces are rebuilt. */
  private surfacesChanged(ctx: TenantContext): void {
    this.events.emit({ tenantId: ctx.tenant.id, tenantSlug: ctx.tenant.slug, endpointSlug: null });
  }

  private record(
    ctx: TenantContext,
    action: string,
    target: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      tenantId: ctx.tenant.id,
      kind: 'admin',
      action,
      actor: ctx.actor,
      target,
      outcome: 'success',
      data,
    });
  }
}

/** The pack's declared secrets, then any other stored ones, each with whether (and when) it is set. */
function secretStatuses(pack: ToolPack | undefined, stored: readonly SecretView[]): SecretStatus[] {
  const declared = pack?.secrets ?? [];
  const byName = new Map(stored.map((s) => [s.name, s]));
  const out: SecretStatus[] = declared.map((spec) =>
    status(spec.name, spec.description, spec.required, byName.get(spec.name)),
  );
  for (const s of stored)
    if (!declared.some((d) => d.name === s.name)) out.push(status(s.name, null, false, s));
  return out;
}

function status(
  name: string,
  description: string | null,
  required: boolean,
  s: SecretView | undefined,
): SecretStatus {
  return {
    name,
    description,
    required,
    set: s !== undefined,
    version: s?.version ?? null,
    createdAt: s?.createdAt.toISOString() ?? null,
    updatedAt: s?.updatedAt.toISOString() ?? null,
  };
}

export async function validateConfig(pack: ToolPack, config: unknown): Promise<unknown> {
  const result = await pack.configSchema['~standard'].validate(config);
  if (result.issues) {
    throw new InvalidArgumentError(`invalid configuration for the ${pack.title} integration`, {
      issues: result.issues.map(
        (i) =>
          `${(i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(config)'}: ${i.message}`,
      ),
    });
  }
  return result.value;
}
