/**
 * What other modules use to write audit events. The audit module provides the implementation (class
 * token `AuditRecorder`, global); callers never see how events are chained or stored.
 */
export type AuditKind = 'tool_call' | 'auth' | 'token' | 'denial' | 'admin';

export type AuditActorType = 'user' | 'api_key' | 'oauth_client' | 'anonymous' | 'system' | 'cli';

export interface AuditEventInput {
  readonly tenantId: string;
  readonly kind: AuditKind;
  /** e.g. tool.call, signin.success, signin.failure, token.issued, token.revoked, endpoint.create */
  readonly action: string;
  readonly actor: { readonly type: AuditActorType; readonly id: string | null };
  /** What was acted on: a tool name, an endpoint slug, a key prefix… */
  readonly target?: string | null;
  readonly outcome: 'success' | 'failure' | 'denied' | 'error';
  /** Structured detail. Must never hold secrets or raw credentials; the recorder redacts known secret keys too. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export abstract class AuditRecorder {
  /** Resolves once the event is durable: a caller that awaited it may acknowledge the action. */
  abstract record(event: AuditEventInput): Promise<void>;
}

/** Who performed an action. Services that change tenant data take one (default: the platform itself). */
export type AuditActor = AuditEventInput['actor'];

/** The platform acting on its own (boot-time seeding, background jobs, callers that name nobody). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ type: 'system', id: null });
