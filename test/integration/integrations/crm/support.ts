import { randomBytes } from 'node:crypto';

import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { HubSpotConfig } from '@switchboard/crm';
import type { GuardedHttpClient } from '@switchboard/http-client';
import type { CallContext, PackSurface } from '@switchboard/integration-kit';

/** Where the contract suite runs: the local server or the real HubSpot API. */
export interface HubSpotTarget {
  readonly name: string;
  readonly baseUrl: string;
  /** A private app token with the CRM scopes the pack uses. */
  readonly token: string;
  /** A guarded client allowed to reach `baseUrl` (the operator's allow-list names loopback for the local server). */
  readonly http: GuardedHttpClient;
  /** How long to keep polling for a write to show up in search (HubSpot's index trails writes). */
  readonly searchLagMs: number;
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields?: Record<string, unknown>;
}

export function callContext(
  config: Partial<HubSpotConfig> & Record<string, unknown>,
  secrets: Record<string, string>,
  logs: LogLine[] = [],
): CallContext<HubSpotConfig> {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void logs.push({ level, msg, ...(fields && { fields }) });
  return {
    tenant: { id: 'tenant-crm-tests', slug: 'crm-tests' },
    connectionId: `conn-${randomBytes(4).toString('hex')}`,
    connectionName: 'Sales HubSpot',
    config: config as HubSpotConfig,
    secrets: {
      get: async (name) => {
        const value = secrets[name];
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      has: async (name) => secrets[name] !== undefined,
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    principal: {
      kind: 'api_key',
      id: 'k1',
      tenantId: 'tenant-crm-tests',
      userId: null,
      role: 'member',
      scopes: [],
    },
    signal: new AbortController().signal,
    progress: async () => undefined,
    protocol: {} as ServerContext,
  };
}

export interface Called {
  readonly result: CallToolResult;
  readonly text: string;
  readonly data: Record<string, unknown>;
}

export async function callTool(
  surface: PackSurface<HubSpotConfig>,
  name: string,
  args: Record<string, unknown>,
  ctx: CallContext<HubSpotConfig>,
): Promise<Called> {
  const tool = surface.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const result = (await tool.handler(args, ctx)) as CallToolResult;
  const first = result.content[0];
  return {
    result,
    text: first?.type === 'text' ? first.text : '',
    data: (result.structuredContent ?? {}) as Record<string, unknown>,
  };
}

/** Asserts success, with the tool's own words when it failed. */
export function ok(called: Called): Called {
  if (called.result.isError) throw new Error(`tool error: ${called.text}`);
  return called;
}

/**
 * Records the suite needs, made and removed through HubSpot's API directly (not through the pack), so the
 * same cases run against the local server and the real API. Everything made, and every id the pack made
 * that a case registers, is archived at the end.
 */
export class Fixtures {
  private readonly made: { type: string; id: string }[] = [];

  constructor(private readonly target: HubSpotTarget) {}

  async create(
    type: string,
    properties: Record<string, string>,
    associations: { toId: string; typeId: number }[] = [],
  ): Promise<string> {
    const response = await this.target.http.request(`${this.target.baseUrl}/crm/v3/objects/${type}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties,
        associations: associations.map((a) => ({
          to: { id: a.toId },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
        })),
      }),
    });
    if (response.status !== 201)
      throw new Error(`creating a ${type} failed: HTTP ${response.status} ${response.text()}`);
    const id = String((response.json() as { id: string }).id);
    this.track(type, id);
    return id;
  }

  track(type: string, id: string): void {
    this.made.push({ type, id });
  }

  async cleanup(): Promise<void> {
    for (const { type, id } of this.made.reverse()) {
      await this.target.http
        .request(`${this.target.baseUrl}/crm/v3/objects/${type}/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${this.target.token}` },
        })
        .catch(() => undefined);
    }
    this.made.length = 0;
  }
}

/** Polls until `check` answers something (HubSpot's search index trails writes); fails after `lagMs`. */
export async function eventually<T>(lagMs: number, check: () => Promise<T | null>): Promise<T> {
  const until = Date.now() + lagMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`not seen within ${lagMs} ms`);
    await new Promise((r) => setTimeout(r, wait));
  }
}
