import type { ActionRequired, CheckFetch } from '../check.types.js';

/** What the checker gives a strategy while it runs. */
export interface StrategyContext {
  readonly fetch: CheckFetch;
  /** Per request. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Asks the person running the check to do something now (open the authorization link). */
  requireAction(action: ActionRequired): void;
  /** Registers a value (password, cookie) that must never appear in the report. */
  secret(value: string): void;
}

export interface AuthorizationRequest {
  /** The authorization endpoint with every parameter (client_id, redirect_uri, PKCE, state, resource, scope). */
  readonly authorizationUrl: URL;
  readonly redirectUri: string;
  readonly state: string;
}

/**
 * How the checker gets from an authorization URL to the redirect carrying the code. The caller picks one:
 * `interactiveAuthorization` (a person in a browser, loopback listener), `switchboardTestPrincipal` (our
 * own sign-in and consent pages over HTTP) or `authorizationHook` (the caller's own mechanism).
 */
export interface AuthorizationStrategy {
  /** Shown in the report. */
  readonly name: string;
  /** The redirect URI to register and send (may start a listener). Called once, before registration. */
  prepare(ctx: StrategyContext): Promise<string>;
  /** Resolves with the full redirect URL the authorization server sent the browser to. */
  authorize(request: AuthorizationRequest, ctx: StrategyContext): Promise<URL>;
  /** Releases what `prepare` took. Always called, also after failures. */
  close?(): Promise<void>;
}

/** A strategy could not complete the authorization; the message says why in the administrator's words. */
export class AuthorizationStrategyError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'AuthorizationStrategyError';
  }
}

/** Waits for `promise`, but no longer than `ms` or until `signal` aborts. */
export function bounded<T>(promise: Promise<T>, ms: number, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      done();
      reject(new AuthorizationStrategyError(`${what} did not happen within ${Math.round(ms / 1000)} s`));
    }, ms);
    const onAbort = () => {
      done();
      reject(new AuthorizationStrategyError('the check was cancelled'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
