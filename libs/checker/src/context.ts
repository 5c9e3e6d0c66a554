import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import type { CheckOptions } from './check.types.js';
import type { HttpContext, HttpExchange } from './http.js';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata.js';
import type { StepRecorder } from './recorder.js';
import type { SecretRedactor } from './secrets.js';
import type { AuthorizationStrategy, StrategyContext } from './strategies/strategy.js';

export type Era = 'legacy' | 'modern';

/** A connected SDK client of one protocol era. */
export interface EraConnection {
  readonly era: Era;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  readonly protocolVersion: string;
}

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly authMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  /** How the checker got it: registered now, given by the caller, or a metadata document URL. */
  readonly source: 'dcr' | 'given' | 'cimd';
}

/** What earlier steps learnt and later steps need. Credentials here never reach the report. */
export interface CheckState {
  /** The answer to the unauthenticated initialize (reachability). */
  unauthenticated?: HttpExchange;
  /** false: the endpoint answered without credentials. */
  authRequired?: boolean;
  resourceMetadataUrl?: string;
  challengeScope?: string;
  prm?: ProtectedResourceMetadata;
  asMeta?: AuthorizationServerMetadata;
  redirectUri?: string;
  client?: RegisteredClient;
  code?: string;
  codeVerifier?: string;
  /** The bearer credential for the protocol steps (access token or API key). */
  credential?: string;
  legacy?: EraConnection;
  modern?: EraConnection;
}

export interface CheckContext {
  readonly url: string;
  readonly options: CheckOptions;
  readonly http: HttpContext;
  readonly recorder: StepRecorder;
  readonly redactor: SecretRedactor;
  readonly strategy: AuthorizationStrategy | undefined;
  readonly strategyContext: StrategyContext;
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly state: CheckState;
  now(): Date;
}

/** The resource indicator for tokens: the metadata's `resource` when it names this URL, else the URL. */
export function resourceOf(ctx: CheckContext): string {
  return ctx.state.prm?.resource ?? ctx.url;
}
