import type {
  PackSurface,
  PromptDefinition,
  ResourceDefinition,
  TenantRef,
  ToolPack,
} from '@switchboard/integration-kit';
import { z } from 'zod';
import { renderTemplate } from './prompt-template.js';

export interface StoredPrompt {
  readonly name: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly arguments: readonly {
    readonly name: string;
    readonly description?: string;
    readonly required?: boolean;
  }[];
  readonly template: string;
}

export interface StoredResource {
  readonly name: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly mimeType: string;
  readonly content: string;
}

/** Where the workspace pack reads a tenant's own prompts and resources; the platform implements it. */
export interface WorkspaceStore {
  prompts(tenant: TenantRef): Promise<readonly StoredPrompt[]>;
  resources(tenant: TenantRef): Promise<readonly StoredResource[]>;
  /** Reads one resource at call time, so an edit is served without rebuilding the surface. */
  resource(tenant: TenantRef, name: string): Promise<StoredResource | null>;
}

export const WORKSPACE_PACK_ID = 'workspace';

export function workspaceResourceUri(name: string): string {
  return `workspace://resources/${encodeURIComponent(name)}`;
}

/** Serves the prompts and documents a tenant stores in Switchboard, on every endpoint it is attached to. */
export function createWorkspacePack(store: WorkspaceStore): ToolPack<Record<string, never>> {
  return {
    id: WORKSPACE_PACK_ID,
    title: 'Workspace prompts and resources',
    description: "The tenant's own prompts and reference documents, managed in Switchboard.",
    version: '1.0.0',
    configSchema: z.object({}).strict() as unknown as ToolPack<Record<string, never>>['configSchema'],
    secrets: [],
    exposeByDefault: true,
    async surface(ctx): Promise<PackSurface<Record<string, never>>> {
      const [prompts, resources] = await Promise.all([
        store.prompts(ctx.tenant),
        store.resources(ctx.tenant),
      ]);
      return {
        tools: [],
        prompts: prompts.map((p): PromptDefinition<Record<string, never>> => ({
          name: p.name,
          ...(p.title ? { title: p.title } : {}),
          ...(p.description ? { description: p.description } : {}),
          arguments: p.arguments,
          permission: 'read',
          async get(args) {
            const missing = p.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
            if (missing.length > 0) throw new Error(`missing required argument(s): ${missing.join(', ')}`);
            return {
              ...(p.description ? { description: p.description } : {}),
              messages: [{ role: 'user', content: { type: 'text', text: renderTemplate(p.template, args) } }],
            };
          },
        })),
        resources: resources.map((r): ResourceDefinition<Record<string, never>> => ({
          uri: workspaceResourceUri(r.name),
          name: r.name,
          ...(r.title ? { title: r.title } : {}),
          ...(r.description ? { description: r.description } : {}),
          mimeType: r.mimeType,
          permission: 'read',
          async read(uri, callCtx) {
            const current = await store.resource(callCtx.tenant, r.name);
            if (!current) throw new Error(`resource ${uri.href} no longer exists`);
            return { contents: [{ uri: uri.href, mimeType: current.mimeType, text: current.content }] };
          },
        })),
      };
    },
  };
}
