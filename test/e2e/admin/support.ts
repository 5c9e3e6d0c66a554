import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import { PackRegistry, textResult, type ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import type { AuditEventView } from '../../../src/audit/audit-export.js';
import { uniqueSlug } from '../../support/app.js';
import { startOAuthTestApp, type OAuthTestApp } from '../oauth/support.js';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

export const ADMIN_PACK = 'admin-e2e';
/** The secret value the test pack's connection test accepts. */
export const GOOD_TOKEN = 'tok-good-0123456789';

/**
 * A pack for the admin tests: a validated config, one required secret, a read-only and a destructive
 * tool, and a connection test that signs in with the stored token (the way a real pack proves its
 * credentials, without a vendor to reach).
 */
export function adminTestPack(): ToolPack {
  return {
    id: ADMIN_PACK,
    title: 'Admin e2e CRM',
    description: 'A small CRM used by the admin API tests.',
    version: '1.0.0',
    configSchema: z.object({
      baseUrl: z.url().describe('Where the CRM lives'),
      region: z.enum(['eu', 'us']).default('eu'),
    }),
    secrets: [{ name: 'token', description: 'API token of the CRM', required: true }],
    exposeByDefault: false,
    surface: async () => ({
      tools: [
        {
          name: 'find_contact',
          title: 'Find contact',
          description: 'Finds a contact by name.',
          inputSchema: z.object({ name: z.string() }),
          annotations: { readOnlyHint: true },
          permission: 'read',
          handler: async (args) => textResult(`contact ${String(args.name)}`),
        },
        {
          name: 'delete_contact',
          title: 'Delete contact',
          description: 'Deletes a contact.',
          inputSchema: z.object({ id: z.string() }),
          annotations: { destructiveHint: true },
          permission: 'write',
          handler: async (args) => textResult(`deleted ${String(args.id)}`),
        },
      ],
    }),
    test: async (ctx) => {
      if (!(await ctx.secrets.has('token'))) return { ok: false, message: 'The API token is not set.' };
      const token = await ctx.secrets.get('token');
      return token === GOOD_TOKEN
        ? {
            ok: true,
            message: 'Signed in to the CRM.',
            details: { region: String((ctx.config as { region: string }).region) },
          }
        : { ok: false, message: 'The CRM refused the API token.' };
    },
  };
}

export async function startAdminApp(
  env: Record<string, string> = {},
  options: { readonly idpLoopback?: boolean } = {},
): Promise<OAuthTestApp> {
  const app = await startOAuthTestApp(env, options);
  app.running.app.get(PackRegistry).register(adminTestPack());
  return app;
}

export interface Person {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
}

export interface AdminTenant {
  readonly slug: string;
  readonly people: Record<Role, Person>;
  /** An admin-scoped API key of the owner. */
  readonly ownerKey: string;
}

/** A tenant with one person of each role, each with a password. */
export async function adminTenant(app: OAuthTestApp): Promise<AdminTenant> {
  const slug = uniqueSlug('a');
  await app.tenancy.createTenant({ slug, ownerEmail: `owner@${slug}.example` });
  const people = {} as Record<Role, Person>;
  for (const role of ROLES) {
    const email = `${role}@${slug}.example`;
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    if (role !== 'owner') await app.tenancy.addMember(slug, email, role);
    const { userId } = await app.accounts.setPassword(email, password);
    people[role] = { email, password, userId };
  }
  const { key } = await app.running.app.get(ApiKeyService).create(slug, { scopes: ['admin', 'mcp'] });
  return { slug, people, ownerKey: key };
}

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Calls the admin API as a browser session (cookie + CSRF token + our origin) or with an API key. */
export class AdminClient {
  constructor(
    readonly app: OAuthTestApp,
    readonly auth:
      | { readonly kind: 'session'; readonly cookie: string; readonly csrf: string }
      | { readonly kind: 'key'; readonly key: string }
      | { readonly kind: 'none' },
  ) {}

  static key(app: OAuthTestApp, key: string): AdminClient {
    return new AdminClient(app, { kind: 'key', key });
  }

  static anonymous(app: OAuthTestApp): AdminClient {
    return new AdminClient(app, { kind: 'none' });
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    opts: { readonly csrf?: string | null; readonly origin?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.auth.kind === 'key') headers.Authorization = `Bearer ${this.auth.key}`;
    if (this.auth.kind === 'session') {
      headers.Cookie = this.auth.cookie;
      const csrf = opts.csrf === undefined ? this.auth.csrf : opts.csrf;
      if (csrf !== null && method !== 'GET') headers['X-CSRF-Token'] = csrf;
    }
    const origin = opts.origin === undefined ? this.app.url : opts.origin;
    if (origin !== null && method !== 'GET') headers.Origin = origin;
    const res = await fetch(`${this.app.url}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      // a non-JSON body (exports) stays text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
  delete<T = Record<string, unknown>>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Signs in through POST /session and returns a client carrying the cookie and CSRF token. */
export async function signIn(
  app: OAuthTestApp,
  person: { email: string; password: string },
): Promise<AdminClient> {
  const res = await fetch(`${app.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: app.url },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  expect(res.status).toBe(201);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] as string;
  const body = (await res.json()) as { csrfToken: string };
  return new AdminClient(app, { kind: 'session', cookie, csrf: body.csrfToken });
}

/** One client per role of a tenant, all signed in. */
export async function sessions(app: OAuthTestApp, t: AdminTenant): Promise<Record<Role, AdminClient>> {
  const out = {} as Record<Role, AdminClient>;
  for (const role of ROLES) out[role] = await signIn(app, t.people[role]);
  return out;
}

/** The tenant's audit events of one action, newest first (read with the owner's key). */
export async function auditEvents(
  app: OAuthTestApp,
  t: AdminTenant,
  action?: string,
): Promise<AuditEventView[]> {
  const filter = action === undefined ? '' : `action=${encodeURIComponent(action)}&`;
  const res = await AdminClient.key(app, t.ownerKey).get<{ events: AuditEventView[] }>(
    `/tenants/${t.slug}/audit?${filter}limit=500`,
  );
  expect(res.status).toBe(200);
  return res.body.events;
}

/** The structured error every refusal carries. */
export function expectError(res: ApiResponse<unknown>, status: number, code: string): void {
  expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({
    status,
    code,
  });
}
