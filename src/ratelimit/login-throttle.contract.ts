/**
 * Brute-force protection for sign-in and token endpoints: consecutive failures per account and per IP.
 * The rate-limit module provides the implementation (class token `LoginThrottle`, global), in memory on
 * the embedded default and in Redis when configured, so all nodes share the counters.
 */
export type ThrottleDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export abstract class LoginThrottle {
  /** Ask before checking a credential; refuse when the account or the IP failed too often. */
  abstract check(account: string, ip: string): Promise<ThrottleDecision>;
  abstract recordFailure(account: string, ip: string): Promise<void>;
  /** A success clears the account's consecutive-failure count (not the IP's). */
  abstract recordSuccess(account: string, ip: string): Promise<void>;
}
