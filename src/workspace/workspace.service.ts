import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PackRegistry, type TenantRef } from '@switchboard/integration-kit';
import {
  createWorkspacePack,
  type StoredPrompt,
  type StoredResource,
  type WorkspaceStore,
} from '@switchboard/workspace';
import { z } from 'zod';
import { InvalidArgumentError, NotFoundError } from '../common/domain-error.js';
import type { Prompt, Resource } from '../generated/prisma/client.js';
import { EndpointEvents } from '../tenancy/endpoint-events.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { WorkspaceRepository } from './workspace.repository.js';
import { AuditRecorder, SYSTEM_ACTOR, type AuditActor } from '../audit/audit.contract.js';

const nameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, 'use 1–64 letters, digits, dot, dash or underscore');
export const promptInputSchema = z.object({
  name: nameSchema,
  title: z.string().max(200).nullish(),
  description: z.string().max(2000).nullish(),
  arguments: z
    .array(
      z.object({
        name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
        description: z.string().max(500).optional(),
        required: z.boolean().optional(),
      }),
    )
    .max(20)
    .default([]),
  template: z.string().min(1).max(100_000),
});
export const resourceInputSchema = z.object({
  name: nameSchema,
  title: z.string().max(200).nullish(),
  description: z.string().max(2000).nullish(),
  mimeType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .default('text/plain'),
  content: z.string().max(1_000_000),
});

function toStoredPrompt(p: Prompt): StoredPrompt {
  const args = z
    .array(
      z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() }),
    )
    .safeParse(p.arguments);
  return {
    name: p.name,
    title: p.title,
    description: p.description,
    arguments: args.success ? args.data : [],
    template: p.template,
  };
}
function toStoredResource(r: Resource): StoredResource {
  return {
    name: r.name,
    title: r.title,
    description: r.description,
    mimeType: r.mimeType,
    content: r.content,
  };
}

function resourceSummary(r: Resource): Record<string, unknown> {
  return {
    title: r.title,
    description: r.description,
    mimeType: r.mimeType,
    contentChars: r.content.length,
    contentDigest: `sha256:${createHash('sha256').update(r.content, 'utf8').digest('hex')}`,
  };
}

/** A tenant's stored prompts and resources, and the store the workspace pack reads them through. */
@Injectable()
export class WorkspaceService implements WorkspaceStore, OnModuleInit {
  constructor(
    private readonly repo: WorkspaceRepository,
    private readonly tenancy: TenancyService,
    private readonly events: EndpointEvents,
    private readonly packs: PackRegistry,
    private readonly audit: AuditRecorder,
  ) {}

  onModuleInit(): void {
    this.packs.register(createWorkspacePack(this));
  }

  async prompts(tenant: TenantRef): Promise<StoredPrompt[]> {
    return (await this.repo.listPrompts({ tenantId: tenant.id })).map(toStoredPrompt);
  }

  async resources(tenant: TenantRef): Promise<StoredResource[]> {
    return (await this.repo.listResources({ tenantId: tenant.id })).map(toStoredResource);
  }

  async resource(tenant: TenantRef, name: string): Promise<StoredResource | null> {
    const r = await this.repo.findResource({ tenantId: tenant.id }, name);
    return r ? toStoredResource(r) : null;
  }

  /** The stored rows, for the admin API (which also shows timestamps). */
  listPrompts(tenant: TenantRef): Promise<Prompt[]> {
    return this.repo.listPrompts({ tenantId: tenant.id });
  }

  listResources(tenant: TenantRef): Promise<Resource[]> {
    return this.repo.listResources({ tenantId: tenant.id });
  }

  findResource(tenant: TenantRef, name: string): Promise<Resource | null> {
    return this.repo.findResource({ tenantId: tenant.id }, name);
  }

  async setPrompt(tenantSlug: string, input: unknown, actor: AuditActor = SYSTEM_ACTOR): Promise<Prompt> {
    const parsed = promptInputSchema.safeParse(input);
    if (!parsed.success)
      throw new InvalidArgumentError('invalid prompt', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const d = parsed.data;
    const before = (await this.repo.listPrompts({ tenantId: tenant.id })).find((p) => p.name === d.name);
    const prompt = await this.repo.upsertPrompt(
      { tenantId: tenant.id },
      {
        name: d.name,
        title: d.title ?? null,
        description: d.description ?? null,
        arguments: d.arguments,
        template: d.template,
      },
    );
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    await this.record(tenant.id, actor, 'prompt.set', d.name, {
      before: before ? toStoredPrompt(before) : null,
      after: toStoredPrompt(prompt),
    });
    return prompt;
  }

  async deletePrompt(tenantSlug: string, name: string, actor: AuditActor = SYSTEM_ACTOR): Promise<void> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    if (!(await this.repo.deletePrompt({ tenantId: tenant.id }, name)))
      throw new NotFoundError(`prompt "${name}"`);
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    await this.record(tenant.id, actor, 'prompt.delete', name, {});
  }

  async setResource(tenantSlug: string, input: unknown, actor: AuditActor = SYSTEM_ACTOR): Promise<Resource> {
    const parsed = resourceInputSchema.safeParse(input);
    if (!parsed.success)
      throw new InvalidArgumentError('invalid resource', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    const tenant = await this.tenancy.getTenant(tenantSlug);
    const d = parsed.data;
    const before = await this.repo.findResource({ tenantId: tenant.id }, d.name);
    const resource = await this.repo.upsertResource(
      { tenantId: tenant.id },
      {
        name: d.name,
        title: d.title ?? null,
        description: d.description ?? null,
        mimeType: d.mimeType,
        content: d.content,
      },
    );
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    // Content can be large: the log keeps its size and digest, not the text.
    await this.record(tenant.id, actor, 'resource.set', d.name, {
      before: before ? resourceSummary(before) : null,
      after: resourceSummary(resource),
    });
    return resource;
  }

  async deleteResource(tenantSlug: string, name: string, actor: AuditActor = SYSTEM_ACTOR): Promise<void> {
    const tenant = await this.tenancy.getTenant(tenantSlug);
    if (!(await this.repo.deleteResource({ tenantId: tenant.id }, name)))
      throw new NotFoundError(`resource "${name}"`);
    this.events.emit({ tenantId: tenant.id, tenantSlug: tenant.slug, endpointSlug: null });
    await this.record(tenant.id, actor, 'resource.delete', name, {});
  }

  private record(
    tenantId: string,
    actor: AuditActor,
    action: string,
    target: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({ tenantId, kind: 'admin', action, actor, target, outcome: 'success', data });
  }
}
