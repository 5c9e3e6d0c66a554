import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { ToolHandlerResult } from '@switchboard/integration-kit';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import {
  McpInterceptors,
  type ToolCallInfo,
  type ToolCallInterceptor,
  type ToolCallOutcome,
} from '../mcp/mcp-interceptors.js';
import { jsonDigest, type AuditOutcome } from './audit-chain.js';
import { toAuditJson } from './audit-json.js';
import { AuditSettingsService } from './audit-settings.service.js';
import { AuditRecorder, type AuditEventInput, type AuditKind } from './audit.contract.js';

export const AUDIT_INTERCEPTOR_ORDER = 200;
/** Raw arguments above this size (canonical JSON) are replaced by their size; the digest still covers them. */
const MAX_RAW_ARGS_CHARS = 16_384;

const OUTCOMES: Record<ToolCallOutcome, { kind: AuditKind; outcome: AuditOutcome }> = {
  ok: { kind: 'tool_call', outcome: 'success' },
  input_required: { kind: 'tool_call', outcome: 'success' },
  tool_error: { kind: 'tool_call', outcome: 'failure' },
  failed: { kind: 'tool_call', outcome: 'error' },
  denied: { kind: 'denial', outcome: 'denied' },
  rejected: { kind: 'denial', outcome: 'denied' },
};

/**
 * Records every tool call, refused ones included, before its result goes back: the response waits for
 * the event to be durable, so a client that got an answer has an audit record. If the record cannot be
 * written the client gets an error instead of the result (the call itself may have happened; the log
 * says what the client was told). Runs inside telemetry and rate limits (order 200): calls a rate limit
 * refuses never get here and are recorded by the rate-limit module.
 */
@Injectable()
export class ToolCallAuditInterceptor implements ToolCallInterceptor, OnModuleInit {
  readonly order = AUDIT_INTERCEPTOR_ORDER;
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly recorder: AuditRecorder,
    private readonly settings: AuditSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(McpInterceptors) private readonly interceptors: McpInterceptors | null,
  ) {}

  onModuleInit(): void {
    // The CLI has no MCP host; SWITCHBOARD_CONTROLS without "audit" turns tool-call auditing off.
    if (this.interceptors && this.config.controls.audit) this.interceptors.addToolCallInterceptor(this);
  }

  async intercept(call: ToolCallInfo, next: () => Promise<ToolHandlerResult>): Promise<ToolHandlerResult> {
    // Read before the call so a slow settings lookup never delays the answer after it.
    const settings = this.settings.get(call.endpoint.tenant.id);
    const started = performance.now();
    let result: ToolHandlerResult | undefined;
    let thrown: unknown;
    let threw = false;
    try {
      result = await next();
    } catch (e) {
      thrown = e;
      threw = true;
    }
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    try {
      await this.recorder.record(this.event(call, latencyMs, await settings, threw));
    } catch (e) {
      this.logger.error(`tool call ${call.toolName} could not be audited: ${(e as Error).message}`);
      return {
        content: [
          {
            type: 'text',
            text: 'The call could not be recorded in the audit log, so its result is withheld.',
          },
        ],
        isError: true,
      };
    }
    if (threw) throw thrown;
    return result!;
  }

  private event(
    call: ToolCallInfo,
    latencyMs: number,
    settings: { readonly recordRawArguments: boolean },
    threw: boolean,
  ): AuditEventInput {
    const mapped = call.outcome
      ? OUTCOMES[call.outcome]
      : { kind: 'tool_call' as const, outcome: 'error' as const };
    const span = trace.getActiveSpan()?.spanContext();
    const p = call.principal;
    const data: Record<string, unknown> = {
      endpoint: { id: call.endpoint.endpoint.id, slug: call.endpoint.endpoint.slug },
      connectionId: call.connectionId,
      pack: call.packId,
      packTool: call.packToolName,
      permission: call.permission,
      principal: { kind: p.kind, id: p.id, userId: p.userId, role: p.role },
      client: call.client,
      argsDigest: jsonDigest(
        toAuditJson(call.args, { redact: false, maxStringLength: Number.MAX_SAFE_INTEGER, maxDepth: 64 }),
      ),
      toolOutcome: call.outcome ?? (threw ? 'threw' : 'unknown'),
      errorCode: call.errorCode ?? null,
      correlationId: call.correlationId ?? null,
      latencyMs,
      traceId: span && isSpanContextValid(span) ? span.traceId : null,
      spanId: span && isSpanContextValid(span) ? span.spanId : null,
    };
    if (settings.recordRawArguments) data.args = rawArguments(call.args);
    return {
      tenantId: call.endpoint.tenant.id,
      kind: mapped.kind,
      action: 'tool.call',
      actor: { type: p.kind, id: p.id },
      target: call.toolName,
      outcome: mapped.outcome,
      data,
    };
  }
}

function rawArguments(args: Readonly<Record<string, unknown>>): unknown {
  const redacted = toAuditJson(args, { redact: true, maxStringLength: 2048 });
  const size = JSON.stringify(redacted).length;
  return size > MAX_RAW_ARGS_CHARS ? { omitted: 'too large', chars: size } : redacted;
}
