import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ConnectionContext, PackLogger, SecretsAccessor } from '@switchboard/integration-kit';
import type { GuardedHttpClient } from '@switchboard/http-client';

import type { TrackerSession, VendorProfile } from './tracker.js';
import { scrubSecrets, TrackerError, trackerToolError } from './tracker.errors.js';
import { RateLimitGate, type RetryPolicy, type Timing } from './vendor-fetch.js';

/** What the packs share at run time: the platform's guarded client and one rate-limit memory per pack. */
export interface TrackerDeps {
  readonly http: GuardedHttpClient;
  readonly gate: RateLimitGate;
  readonly retry?: RetryPolicy;
  readonly timing?: Timing;
}

export function trackerDeps(
  http: GuardedHttpClient,
  extra: Partial<Omit<TrackerDeps, 'http'>> = {},
): TrackerDeps {
  return { http, gate: extra.gate ?? new RateLimitGate(), ...extra };
}

/** Everything a session needs for one call. */
export interface SessionContext<Config> {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly config: Config;
  readonly secrets: SecretsAccessor;
  readonly logger: PackLogger;
  readonly signal: AbortSignal;
}

export interface OpenedSession {
  readonly session: TrackerSession;
  /** Secret values of this call, scrubbed from every message that leaves the pack. */
  readonly secretValues: readonly string[];
}

/** The vendor half of a pack: config, secrets and how to open a session. */
export interface TrackerVendor<Config> {
  readonly profile: VendorProfile;
  parseConfig(raw: unknown): Config;
  open(deps: TrackerDeps, ctx: SessionContext<Config>): Promise<OpenedSession>;
  /** Turns a vendor SDK's own error into a tracker error; null when it is not one of the vendor's. */
  mapError(error: unknown): TrackerError | null;
}

/** Reads a secret, or fails with a message an admin can act on. */
export async function requireSecret(secrets: SecretsAccessor, name: string, what: string): Promise<string> {
  if (!(await secrets.has(name))) {
    throw new TrackerError('configuration', `the ${what} (secret "${name}") is not stored.`);
  }
  const value = (await secrets.get(name)).trim();
  if (value.length === 0) throw new TrackerError('configuration', `the ${what} (secret "${name}") is empty.`);
  return value;
}

export function sessionContext<Config>(
  ctx: ConnectionContext,
  config: Config,
  signal: AbortSignal,
): SessionContext<Config> {
  return {
    tenantId: ctx.tenant.id,
    connectionId: ctx.connectionId,
    connectionName: ctx.connectionName,
    config,
    secrets: ctx.secrets,
    logger: ctx.logger,
    signal,
  };
}

/** Finds a TrackerError in an error or its cause chain (SDKs wrap what their fetch threw). */
export function findTrackerError(error: unknown): TrackerError | null {
  let cursor: unknown = error;
  for (let depth = 0; cursor instanceof Error && depth < 6; depth++) {
    if (cursor instanceof TrackerError) return cursor;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Runs one tracker call for a tool: opens a session (secrets read for this call only), runs `fn`, and turns
 * every expected failure into a tool error the model can act on — with secret values scrubbed. Anything
 * else is a bug and is rethrown for the host to report with a correlation id.
 */
export async function withTracker<Config>(
  vendor: TrackerVendor<Config>,
  deps: TrackerDeps,
  ctx: ConnectionContext & { readonly signal?: AbortSignal },
  tool: string,
  fn: (session: TrackerSession, config: Config) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const wording = { vendor: vendor.profile.name, connectionName: ctx.connectionName };
  let secretValues: readonly string[] = [];
  try {
    const config = vendor.parseConfig(ctx.config);
    const opened = await vendor.open(
      deps,
      sessionContext(ctx, config, ctx.signal ?? AbortSignal.timeout(60_000)),
    );
    secretValues = opened.secretValues;
    return await fn(opened.session, config);
  } catch (error) {
    const mapped = findTrackerError(error) ?? vendor.mapError(error);
    if (mapped === null) throw error;
    const safe = new TrackerError(
      mapped.kind,
      scrubSecrets(mapped.message, secretValues),
      mapped.retryAfterSeconds,
    );
    ctx.logger.info('tracker call failed', { tool, kind: safe.kind, message: safe.message });
    return trackerToolError(safe, wording);
  }
}
