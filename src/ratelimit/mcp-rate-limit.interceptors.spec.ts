import { describe, expect, it } from '@jest/globals';
import type { Principal, ToolHandlerResult } from '@switchboard/integration-kit';
import type { Request, Response } from 'express';
import type { AuditEventInput, AuditRecorder } from '../audit/audit.contract.js';
import { loadConfig } from '../config/index.js';
import { McpInterceptors, type McpRequestInfo, type ToolCallInfo } from '../mcp/mcp-interceptors.js';
import type { EndpointDescriptor } from '../mcp/mcp.types.js';
import { RedisService } from '../redis/index.js';
import { LimiterPool } from './limiter-pool.js';
import { RateLimitLoginThrottle } from './login-throttle.service.js';
import { McpRateLimitInterceptors, RATE_LIMIT_META_KEY } from './mcp-rate-limit.interceptors.js';
import { effectiveLimits, type RateLimitOverrides } from './rate-limit-plans.js';
import type { RateLimitPolicyService } from './rate-limit-policy.service.js';
import { RateLimitService } from './rate-limit.service.js';

const endpoint = {
  tenant: { id: 'tenant-1', slug: 'acme', name: 'Acme' },
  endpoint: { id: 'e1', slug: 'default', name: 'Default', isDefault: true, public: false },
  path: '/t/acme/mcp',
  connections: [],
  generation: 1,
} as EndpointDescriptor;

const principal: Principal = {
  kind: 'api_key',
  id: 'key-1',
  tenantId: 'tenant-1',
  userId: 'u1',
  role: 'member',
  scopes: ['mcp'],
};

function setup(overrides: RateLimitOverrides, controls = 'ratelimit') {
  const config = loadConfig({ SWITCHBOARD_CONTROLS: controls });
  const pool = new LimiterPool(new RedisService(config));
  const policies = {
    limitsFor: () => Promise.resolve(effectiveLimits('team', overrides)),
  } as unknown as RateLimitPolicyService;
  const limits = new RateLimitService(pool, policies, new RateLimitLoginThrottle(pool, config));
  const events: AuditEventInput[] = [];
  const audit = { record: (e: AuditEventInput) => Promise.resolve(void events.push(e)) } as AuditRecorder;
  const chain = new McpInterceptors();
  new McpRateLimitInterceptors(config, limits, chain, audit).onModuleInit();
  return { chain, events, limits };
}

function fakeResponse() {
  const headers: Record<string, string> = {};
  const r = {
    statusCode: 200,
    headersSent: false,
    body: '',
    setHeader(k: string, v: string) {
      headers[k.toLowerCase()] = v;
      return r;
    },
    set(h: Record<string, string>) {
      for (const [k, v] of Object.entries(h)) headers[k.toLowerCase()] = v;
      return r;
    },
    status(code: number) {
      r.statusCode = code;
      return r;
    },
    end(body: string) {
      r.body = body;
      r.headersSent = true;
      return r;
    },
  };
  return { res: r as unknown as Response, raw: r, headers };
}

function request(id: unknown): McpRequestInfo {
  const req = { ip: '198.51.100.9', socket: {}, body: { jsonrpc: '2.0', id, method: 'tools/list' } };
  return { endpoint, principal, req: req as unknown as Request, rpcMethods: ['tools/list'] };
}

function toolCall(toolName: string): ToolCallInfo {
  return {
    endpoint,
    principal,
    connectionId: 'c1',
    packId: 'p',
    toolName,
    packToolName: toolName,
    permission: 'read',
    annotations: {},
    args: {},
    client: null,
    startedAt: Date.now(),
  };
}

describe('McpRateLimitInterceptors', () => {
  it('passes requests under the limit with RateLimit fields, refuses past it with 429, audits once per window', async () => {
    const { chain, events } = setup({ principal: { points: 1, windowSeconds: 60 } });
    let served = 0;
    const first = fakeResponse();
    await chain.runRequest(request(1), first.res, () => Promise.resolve(void served++));
    expect(served).toBe(1);
    expect(first.headers['ratelimit']).toContain('"principal";r=0;');

    for (const id of [2, 3]) {
      const r = fakeResponse();
      await chain.runRequest(request(id), r.res, () => Promise.resolve(void served++));
      expect(r.raw.statusCode).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(r.raw.body)).toMatchObject({ id, error: { data: { scope: 'principal' } } });
    }
    expect(served).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: 'tenant-1',
      kind: 'denial',
      action: 'ratelimit.request',
      actor: { type: 'api_key', id: 'key-1' },
      target: '/t/acme/mcp',
      outcome: 'denied',
      data: { scope: 'principal', limit: 1, windowSeconds: 60, clientAddress: '198.51.100.9' },
    });
  });

  it('refuses a tool call past its limit with an isError result and marks the call rejected', async () => {
    const { chain, events, limits } = setup({ tools: { search: { points: 1, windowSeconds: 30 } } });
    const ok: ToolHandlerResult = { content: [{ type: 'text', text: 'done' }] };
    expect(await chain.runToolCall(toolCall('search'), () => Promise.resolve(ok))).toBe(ok);
    const call = toolCall('search');
    const refused = await chain.runToolCall(call, () => Promise.reject(new Error('must not run')));
    expect(refused).toMatchObject({
      isError: true,
      _meta: { [RATE_LIMIT_META_KEY]: { scope: 'tool', tool: 'search', limit: 1, windowSeconds: 30 } },
    });
    expect(call.outcome).toBe('rejected');
    expect(call.errorCode).toBe('rate_limited');
    expect(events).toMatchObject([{ kind: 'denial', action: 'ratelimit.tool', target: 'search' }]);
    expect(limits.stats().rejections.tool).toBe(1);
  });

  it('registers nothing when the ratelimit control is off', async () => {
    const { chain } = setup({ principal: { points: 1, windowSeconds: 60 } }, 'audit');
    for (let i = 0; i < 3; i++) {
      const r = fakeResponse();
      await chain.runRequest(request(i), r.res, () => Promise.resolve());
      expect(r.raw.statusCode).toBe(200);
      expect(r.headers['ratelimit']).toBeUndefined();
    }
  });
});
