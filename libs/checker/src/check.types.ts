/**
 * The connection checker's public types: what a caller passes in, the events it receives while the check
 * runs, and the JSON-serialisable report it gets back. Nothing here ever holds a token, an authorization
 * code, a password, a client secret or an API key.
 */
import type { AuthorizationStrategy } from './strategies/strategy.js';

/** `fetch` as the checker uses it; the server passes one that goes through its egress guard. */
export type CheckFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type StepId =
  | 'reachability'
  | 'tls'
  | 'unauthenticated-challenge'
  | 'protected-resource-metadata'
  | 'authorization-server-metadata'
  | 'client-registration'
  | 'authorization'
  | 'token-exchange'
  | 'token-audience'
  | 'legacy.initialize'
  | 'legacy.tools'
  | 'legacy.resources'
  | 'legacy.prompts'
  | 'legacy.tool-call'
  | 'modern.discover'
  | 'modern.tools'
  | 'modern.resources'
  | 'modern.prompts'
  | 'modern.tool-call'
  | 'errors.malformed-json'
  | 'errors.unknown-method'
  | 'errors.invalid-params'
  | 'latency';

export type StepGroup = 'transport' | 'discovery' | 'oauth' | 'legacy' | 'modern' | 'errors' | 'performance';

export type StepOutcome = 'pass' | 'warn' | 'fail' | 'skipped';

/**
 * Why a step was skipped: `not-applicable` (nothing to check, e.g. no resources offered), `blocked` (an
 * earlier step failed, so this one could not run), `unverified` (the checker could not test it with the
 * options it was given, e.g. no authorization strategy). An `unverified` step makes the check incomplete.
 */
export type SkipKind = 'not-applicable' | 'blocked' | 'unverified';

/** Plain JSON, so reports survive `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface StepDefinition {
  readonly id: StepId;
  readonly title: string;
  readonly group: StepGroup;
}

export interface StepResult extends StepDefinition {
  readonly outcome: StepOutcome;
  /** One line saying what was found. */
  readonly summary: string;
  /** What to change, in words an administrator can act on (present on fail and warn). */
  readonly hint?: string;
  /** Further findings, one per line. */
  readonly details?: readonly string[];
  /** Structured facts for machines and the dashboard (URLs, versions, counts, percentiles). */
  readonly data?: Readonly<Record<string, JsonValue>>;
  readonly skip?: SkipKind;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** `incomplete`: nothing failed, but steps the check needs could not be verified with the given options. */
export type CheckOutcome = 'pass' | 'fail' | 'incomplete';

export type AuthMode = 'oauth' | 'api-key' | 'none';

export interface CheckSummary {
  readonly passed: number;
  readonly warnings: number;
  readonly failed: number;
  readonly skipped: number;
  /** Ids of the failed steps, in order: the first one is usually the one to fix. */
  readonly failedSteps: readonly StepId[];
  readonly warningSteps: readonly StepId[];
  readonly unverifiedSteps: readonly StepId[];
}

export interface CheckReport {
  /** Report format version. */
  readonly version: 1;
  readonly url: string;
  readonly authMode: AuthMode;
  /** The authorization strategy used (`switchboard-test-principal`, `interactive`, `hook`), if any. */
  readonly strategy: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly outcome: CheckOutcome;
  readonly steps: readonly StepResult[];
  readonly summary: CheckSummary;
}

/** Something the person running the check has to do now (the interactive strategy's browser link). */
export interface ActionRequired {
  readonly kind: 'open-authorization-url';
  readonly url: string;
  /** How long the checker waits for the redirect. */
  readonly waitMs: number;
}

export type CheckEvent =
  | {
      readonly type: 'check-started';
      readonly url: string;
      readonly authMode: AuthMode;
      readonly startedAt: string;
      readonly steps: readonly StepDefinition[];
    }
  | { readonly type: 'step-started'; readonly step: StepDefinition; readonly at: string }
  | { readonly type: 'step-finished'; readonly step: StepResult }
  | { readonly type: 'action-required'; readonly action: ActionRequired }
  | { readonly type: 'check-finished'; readonly report: CheckReport };

export type CheckEventListener = (event: CheckEvent) => void;

export type CheckAuth =
  /**
   * Claude's path: discovery, registration (DCR, or a given client), authorization through `strategy`,
   * token exchange. Without a strategy the flow stops before authorization and the check is incomplete.
   */
  | {
      readonly kind: 'oauth';
      readonly strategy?: AuthorizationStrategy;
      /** A client registered beforehand (public client): skips registration. */
      readonly clientId?: string;
      /**
       * A Client ID Metadata Document URL the caller serves (https), whose redirect URIs include the
       * strategy's redirect URI. Used as the client id when the server advertises CIMD support.
       */
      readonly clientMetadataUrl?: string;
      /** Scope to ask for; default: the challenge's `scope`, else the metadata's `scopes_supported`. */
      readonly scope?: string;
    }
  /** Skip the OAuth flow and run the protocol steps with this key as the bearer credential. */
  | { readonly kind: 'api-key'; readonly key: string };

export interface TlsCertificateInfo {
  /** Whether the chain verified against the trust store and the name matched. */
  readonly authorized: boolean;
  /** The verification error code (e.g. `CERT_HAS_EXPIRED`) when not authorized. */
  readonly authorizationError: string | null;
  readonly protocol: string | null;
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly subjectAltNames: readonly string[];
  readonly validFrom: string | null;
  readonly validTo: string | null;
}

/** Connects to `host:port` with TLS (SNI `host`) and describes the certificate it was shown. */
export type TlsInspector = (
  host: string,
  port: number,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
) => Promise<TlsCertificateInfo>;

export interface CheckOptions {
  /** The MCP URL, exactly as it would be added to Claude. */
  readonly url: string;
  /** Default: `{ kind: 'oauth' }` (discovery and registration only, then incomplete). */
  readonly auth?: CheckAuth;
  /** Every outbound HTTP request goes through it. Default: the global `fetch`. */
  readonly fetch?: CheckFetch;
  /** Certificate inspection for https URLs; `false` skips it. Default: a direct TLS connection. */
  readonly inspectTls?: TlsInspector | false;
  /** Per request, in milliseconds. Default 15 000. */
  readonly timeoutMs?: number;
  /** Requests in the latency burst. Default 20; 0 skips the step. */
  readonly burst?: number;
  /** Concurrent requests in the burst. Default 4. */
  readonly burstConcurrency?: number;
  /** p95 above this (ms) is a warning. Default 1 500. */
  readonly latencyWarnMs?: number;
  /** Cancels the check; steps not yet run are reported as skipped. */
  readonly signal?: AbortSignal;
  /** The name the checker registers and introduces itself with. */
  readonly clientName?: string;
  /** For tests: the clock used for certificate expiry. */
  readonly now?: () => Date;
}
