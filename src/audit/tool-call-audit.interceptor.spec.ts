import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { ToolHandlerResult } from '@switchboard/integration-kit';
import { loadConfig, type AppConfig } from '../config/index.js';
import { McpInterceptors, type ToolCallInfo } from '../mcp/mcp-interceptors.js';
import type { EndpointDescriptor } from '../mcp/mcp.types.js';
import { AuditSettingsService } from './audit-settings.service.js';
import { AuditRecorder, type AuditEventInput } from './audit.contract.js';
import type { AuditRepository } from './audit.repository.js';
import { ToolCallAuditInterceptor } from './tool-call-audit.interceptor.js';

class MemoryRecorder extends AuditRecorder {
  readonly events: AuditEventInput[] = [];
  failing = false;
  async record(e: AuditEventInput): Promise<void> {
    if (this.failing) throw new Error('database down');
    this.events.push(e);
  }
}

const TENANT = '6f1c4c1e-8d7e-4a8e-9d43-2b7f4a0c9e11';

function setup(opts: { controls?: string; raw?: boolean } = {}) {
  const config: AppConfig = loadConfig({ SWITCHBOARD_CONTROLS: opts.controls, LOG_LEVEL: 'silent' });
  const repo = {
    findSettings: async () => ({
      tenantId: TENANT,
      recordRawArguments: opts.raw ?? false,
      retentionDays: null,
      updatedAt: new Date(),
    }),
  } as unknown as AuditRepository;
  const recorder = new MemoryRecorder();
  const interceptors = new McpInterceptors();
  const interceptor = new ToolCallAuditInterceptor(
    recorder,
    new AuditSettingsService(repo, config),
    config,
    interceptors,
  );
  interceptor.onModuleInit();
  return { recorder, interceptors };
}

function call(args: Record<string, unknown> = { q: 1 }): ToolCallInfo {
  return {
    endpoint: {
      tenant: { id: TENANT, slug: 'acme', name: 'Acme' },
      endpoint: { id: 'ep1', slug: 'default', name: 'Default', isDefault: true, public: false },
    } as unknown as EndpointDescriptor,
    principal: { kind: 'user', id: 'u1', tenantId: TENANT, userId: 'u1', role: 'member', scopes: ['mcp'] },
    connectionId: 'c1',
    packId: 'pack',
    toolName: 'echo',
    packToolName: 'echo',
    permission: 'read',
    annotations: {},
    args,
    client: { name: 'claude', version: '1' },
    startedAt: Date.now(),
  };
}

const OK: ToolHandlerResult = { content: [{ type: 'text', text: 'fine' }] };

describe('ToolCallAuditInterceptor', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('registers on the tool-call chain unless audit is switched off', async () => {
    const on = setup();
    await on.interceptors.runToolCall(call(), async () => OK);
    expect(on.recorder.events).toHaveLength(1);
    const off = setup({ controls: 'ratelimit,telemetry' });
    await off.interceptors.runToolCall(call(), async () => OK);
    expect(off.recorder.events).toHaveLength(0);
  });

  it('maps each outcome to a kind and outcome', async () => {
    const { recorder, interceptors } = setup();
    const cases = [
      ['ok', 'tool_call', 'success'],
      ['input_required', 'tool_call', 'success'],
      ['tool_error', 'tool_call', 'failure'],
      ['failed', 'tool_call', 'error'],
      ['denied', 'denial', 'denied'],
      ['rejected', 'denial', 'denied'],
    ] as const;
    for (const [toolOutcome] of cases) {
      const c = call();
      await interceptors.runToolCall(c, async () => {
        c.outcome = toolOutcome;
        if (toolOutcome === 'denied') c.errorCode = 'forbidden';
        return OK;
      });
    }
    expect(recorder.events.map((e) => [e.data?.toolOutcome, e.kind, e.outcome])).toEqual(
      cases.map((c) => [c[0], c[1], c[2]]),
    );
    expect(recorder.events[4]).toMatchObject({
      action: 'tool.call',
      target: 'echo',
      actor: { type: 'user', id: 'u1' },
      data: { errorCode: 'forbidden' },
    });
  });

  it('records the active trace and span ids', async () => {
    const { recorder, interceptors } = setup();
    const span = trace.wrapSpanContext({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    });
    await context.with(trace.setSpan(context.active(), span), () =>
      interceptors.runToolCall(call(), async () => OK),
    );
    expect(recorder.events[0]?.data).toMatchObject({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
    await interceptors.runToolCall(call(), async () => OK);
    expect(recorder.events[1]?.data).toMatchObject({ traceId: null, spanId: null });
  });

  it('keeps a digest only, unless the tenant opted in to redacted raw arguments', async () => {
    const args = { q: 'x', password: 'hunter2' };
    const off = setup();
    await off.interceptors.runToolCall(call(args), async () => OK);
    expect(off.recorder.events[0]?.data).not.toHaveProperty('args');
    const on = setup({ raw: true });
    await on.interceptors.runToolCall(call(args), async () => OK);
    expect(on.recorder.events[0]?.data?.args).toEqual({ q: 'x', password: '[REDACTED]' });
    // Same arguments, same digest, whatever the setting.
    expect(on.recorder.events[0]?.data?.argsDigest).toBe(off.recorder.events[0]?.data?.argsDigest);
  });

  it('withholds the result when the event cannot be written, and records calls that throw', async () => {
    const { recorder, interceptors } = setup();
    recorder.failing = true;
    const result = await interceptors.runToolCall(call(), async () => OK);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).toMatch(/audit log/);
    recorder.failing = false;
    await expect(
      interceptors.runToolCall(call(), async () => {
        throw new Error('unexpected');
      }),
    ).rejects.toThrow('unexpected');
    expect(recorder.events[0]).toMatchObject({
      kind: 'tool_call',
      outcome: 'error',
      data: { toolOutcome: 'threw' },
    });
  });
});
