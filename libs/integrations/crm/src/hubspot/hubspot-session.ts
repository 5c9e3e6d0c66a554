import type { GuardedHttpClient } from '@switchboard/http-client';
import type { ConnectionContext } from '@switchboard/integration-kit';
import * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';
import {
  HubSpotTokenCache,
  oauthTokenSource,
  staticTokenSource,
  type OAuthCredentials,
} from './hubspot-auth.js';
import { hubspotApis, hubspotTokensApi, type HubSpotApis } from './hubspot-sdk.js';
import { HubSpotTransport, type TokenSource, type TransportOptions } from './hubspot-transport.js';
import {
  CLIENT_ID_SECRET,
  CLIENT_SECRET_SECRET,
  parseHubSpotConfig,
  PRIVATE_APP_TOKEN_SECRET,
  REFRESH_TOKEN_SECRET,
  type HubSpotConfig,
} from './hubspot.config.js';
import type { RateLimitGate, Sleep } from './rate-limit-gate.js';

/** Largest HubSpot answer read; CRM pages and batch reads stay far below it. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** What the HubSpot pack shares across connections and calls. */
export interface HubSpotDeps {
  readonly http: GuardedHttpClient;
  readonly gate: RateLimitGate;
  readonly tokens: HubSpotTokenCache;
  /** Tests replace the clock and the sleeps of back-off. */
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export type HubSpotCallContext = ConnectionContext & { readonly signal?: AbortSignal };

async function secret(ctx: ConnectionContext, name: string, auth: string): Promise<string> {
  if (!(await ctx.secrets.has(name))) {
    throw new CrmError(
      'configuration',
      `The HubSpot connection "${ctx.connectionName}" uses ${auth} authentication but has no "${name}" secret; an admin must add it.`,
    );
  }
  const value = (await ctx.secrets.get(name)).trim();
  if (value === '') {
    throw new CrmError('configuration', `The "${name}" secret of "${ctx.connectionName}" is empty.`);
  }
  return value;
}

/**
 * One connection's HubSpot for the duration of one call: the SDK's API clients on the guarded transport,
 * the connection's token source (secrets read now, for this call only), and a wrapper that turns anything
 * the SDK throws while reading a response into a `malformed` error instead of a crash.
 */
export class HubSpotSession {
  private constructor(
    readonly config: HubSpotConfig,
    readonly apis: HubSpotApis,
    readonly ctx: HubSpotCallContext,
  ) {}

  static async open(deps: HubSpotDeps, ctx: HubSpotCallContext): Promise<HubSpotSession> {
    const config = parseHubSpotConfig(ctx.config);
    const gateKey = `${ctx.tenant.id}/${ctx.connectionId}`;
    const base: TransportOptions = {
      http: deps.http,
      gate: deps.gate,
      gateKey,
      connectionName: ctx.connectionName,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      logger: ctx.logger,
      tokens: null,
      ...(deps.sleep && { sleep: deps.sleep }),
      ...(deps.random && { random: deps.random }),
    };

    let tokens: TokenSource;
    if (config.auth === 'private_app') {
      tokens = staticTokenSource(await secret(ctx, PRIVATE_APP_TOKEN_SECRET, 'private app'));
    } else {
      const creds: OAuthCredentials = {
        clientId: await secret(ctx, CLIENT_ID_SECRET, 'OAuth'),
        clientSecret: await secret(ctx, CLIENT_SECRET_SECRET, 'OAuth'),
        refreshToken: await secret(ctx, REFRESH_TOKEN_SECRET, 'OAuth'),
      };
      const key = HubSpotTokenCache.key(gateKey, config.baseUrl, creds);
      // The exchange is shared by concurrent calls: it runs on its own deadline, not one caller's signal.
      const tokenTransport = new HubSpotTransport({
        ...base,
        tokenEndpoint: true,
        bodySecrets: [creds.clientSecret, creds.refreshToken],
      });
      const exchange = async () => {
        const issued = await HubSpotSession.guard(() =>
          hubspotTokensApi(config.baseUrl, tokenTransport).create(
            'refresh_token',
            undefined,
            undefined,
            creds.clientId,
            creds.clientSecret,
            creds.refreshToken,
          ),
        );
        const parsed = z
          .object({ accessToken: z.string().min(1).max(4096), expiresIn: z.number().nullish() })
          .safeParse(issued);
        if (!parsed.success) {
          throw new CrmError('malformed', "HubSpot's token endpoint answered without a usable access token.");
        }
        return { accessToken: parsed.data.accessToken, expiresInSeconds: parsed.data.expiresIn ?? null };
      };
      tokens = oauthTokenSource(deps.tokens, key, creds, exchange);
    }
    const api = new HubSpotTransport({ ...base, tokens, ...(ctx.signal && { signal: ctx.signal }) });
    return new HubSpotSession(config, hubspotApis(config.baseUrl, api), ctx);
  }

  /** Runs one SDK call; a failure to read its answer becomes a `malformed` error. */
  call<T>(what: string, run: (apis: HubSpotApis) => Promise<T>): Promise<T> {
    return HubSpotSession.guard(() => run(this.apis), what, this.ctx);
  }

  /** Checks an SDK result against the shape the pack relies on. */
  check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.ctx.logger.warn('hubspot answer did not match its documented shape', {
        what,
        path: issue?.path.join('.') ?? '',
      });
      throw malformed(what);
    }
    return parsed.data;
  }

  private static async guard<T>(
    run: () => Promise<T>,
    what = 'the answer',
    ctx?: HubSpotCallContext,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CrmError) throw error;
      // The SDK's serializer throws on bodies that are not the documented JSON; only the kind is logged.
      ctx?.logger.warn('hubspot answer could not be read', {
        what,
        error: error instanceof Error ? error.name : typeof error,
      });
      throw malformed(what);
    }
  }
}

function malformed(what: string): CrmError {
  return new CrmError(
    'malformed',
    `HubSpot answered ${what} with a response that does not follow its documented format; try again, and if it persists check the connection's base URL.`,
  );
}
