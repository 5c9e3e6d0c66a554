import { AuthorizationStrategyError, bounded, type AuthorizationStrategy } from './strategy.js';

/** Takes the authorization URL to the redirect by whatever means the caller has; returns the redirect URL. */
export type AuthorizationHook = (
  authorizationUrl: URL,
  redirectUri: string,
  signal: AbortSignal,
) => Promise<string | URL>;

export interface AuthorizationHookOptions {
  /** Registered and sent as redirect_uri; the hook must deliver the redirect to it. */
  readonly redirectUri: string;
  /** Default 5 minutes. */
  readonly waitMs?: number;
  /** Shown in the report. Default `hook`. */
  readonly name?: string;
}

/**
 * The caller's own mechanism: e.g. the server showing the link in the dashboard and receiving the
 * redirect on one of its routes.
 */
export function authorizationHook(
  hook: AuthorizationHook,
  options: AuthorizationHookOptions,
): AuthorizationStrategy {
  return {
    name: options.name ?? 'hook',
    async prepare() {
      return options.redirectUri;
    },
    async authorize(request, ctx) {
      const result = await bounded(
        hook(request.authorizationUrl, request.redirectUri, ctx.signal),
        options.waitMs ?? 300_000,
        ctx.signal,
        'the authorization',
      );
      const url = URL.parse(String(result));
      if (!url)
        throw new AuthorizationStrategyError('the authorization hook returned something that is not a URL');
      return url;
    },
  };
}
