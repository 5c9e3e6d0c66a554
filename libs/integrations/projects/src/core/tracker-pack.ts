import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type {
  ConnectionTestResult,
  PackSurface,
  SecretSpec,
  ToolDefinition,
  ToolPack,
} from '@switchboard/integration-kit';

import { commonTools } from '../tools/common.tools.js';
import { trackerPrompts } from '../tools/prompts.js';
import { findTrackerError, sessionContext, type TrackerDeps, type TrackerVendor } from './runtime.js';
import { describeTrackerError, scrubSecrets } from './tracker.errors.js';

export interface TrackerPackSpec<Config> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly configSchema: StandardSchemaWithJSON;
  readonly secrets: readonly SecretSpec[];
  readonly vendor: TrackerVendor<Config>;
  /** Vendor-specific tools beyond the common shape (Linear cycles, Jira JQL, GitHub milestones). */
  readonly extraTools?: (vendor: TrackerVendor<Config>, deps: TrackerDeps) => ToolDefinition<Config>[];
}

/** A tracker's tool pack: the common tools, its extras and the three prompts, plus a cheap `test()`. */
export function createTrackerPack<Config>(
  spec: TrackerPackSpec<Config>,
  deps: TrackerDeps,
): ToolPack<Config> {
  const { vendor } = spec;
  const tools = [...commonTools(vendor, deps), ...(spec.extraTools?.(vendor, deps) ?? [])];
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    version: '1.0.0',
    configSchema: spec.configSchema as ToolPack<Config>['configSchema'],
    secrets: spec.secrets,
    exposeByDefault: false,
    async surface(ctx): Promise<PackSurface<Config>> {
      // Fails early (and visibly in the endpoint's log) on a bad config; no upstream call here.
      vendor.parseConfig(ctx.config);
      return { tools, prompts: trackerPrompts(vendor, deps, ctx) };
    },
    async test(ctx): Promise<ConnectionTestResult> {
      const started = Date.now();
      let secrets: readonly string[] = [];
      try {
        const config = vendor.parseConfig(ctx.config);
        const opened = await vendor.open(deps, sessionContext(ctx, config, AbortSignal.timeout(20_000)));
        secrets = opened.secretValues;
        const me = await opened.session.identity();
        return {
          ok: true,
          message: `Signed in to ${vendor.profile.name}${me.workspace ? ` (${me.workspace})` : ''} as ${me.name}${me.email ? ` <${me.email}>` : ''}.`,
          details: {
            account: me.name,
            ...(me.workspace !== null && { workspace: me.workspace }),
            latencyMs: Date.now() - started,
          },
        };
      } catch (error) {
        const mapped = findTrackerError(error) ?? vendor.mapError(error);
        if (mapped === null) throw error;
        const message = describeTrackerError(mapped, {
          vendor: vendor.profile.name,
          connectionName: ctx.connectionName,
        });
        return { ok: false, message: scrubSecrets(message, secrets), details: { reason: mapped.kind } };
      }
    },
  };
}
