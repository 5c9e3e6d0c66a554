import { CrmError } from '../core/crm.errors.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Longest pause taken before a request because HubSpot said the window is used up. */
const MAX_PAUSE_MS = 10_000;
const MAX_PORTALS = 1_000;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function int(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new CrmError('unavailable', 'The call was cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CrmError('unavailable', 'The call was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

interface PortalState {
  blockedUntil: number;
  dailyRemaining: number | null;
}

/**
 * Follows HubSpot's rate-limit headers per connection: when a response says the current window has no
 * requests left (`X-HubSpot-RateLimit-Remaining: 0` for `-Interval-Milliseconds`, or
 * `X-HubSpot-RateLimit-Secondly-Remaining: 0`), the next request on that connection waits for the window
 * instead of earning a 429. HubSpot's limits are per account and shared by every app in it, so a 429 can
 * still come; the transport backs off from those.
 */
export class RateLimitGate {
  private readonly portals = new Map<string, PortalState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = abortableSleep,
  ) {}

  /** Waits until the connection's current window has room again (at most 10 s). */
  async beforeRequest(key: string, signal?: AbortSignal): Promise<void> {
    const state = this.portals.get(key);
    if (!state) return;
    const wait = state.blockedUntil - this.now();
    if (wait > 0) await this.sleep(Math.min(wait, MAX_PAUSE_MS), signal);
  }

  observe(key: string, headers: Headers): void {
    const remaining = int(header(headers, 'x-hubspot-ratelimit-remaining'));
    const interval = int(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
    const secondly = int(header(headers, 'x-hubspot-ratelimit-secondly-remaining'));
    const daily = int(header(headers, 'x-hubspot-ratelimit-daily-remaining'));
    if (remaining === null && secondly === null && daily === null) return;
    const state = this.state(key);
    const now = this.now();
    if (remaining === 0 && interval !== null) {
      state.blockedUntil = Math.max(state.blockedUntil, now + Math.min(interval, MAX_PAUSE_MS));
    }
    if (secondly === 0) state.blockedUntil = Math.max(state.blockedUntil, now + 1_000);
    if (daily !== null) state.dailyRemaining = daily;
  }

  /** The daily allowance left, as HubSpot last reported it (null when it never said). */
  dailyRemaining(key: string): number | null {
    return this.portals.get(key)?.dailyRemaining ?? null;
  }

  private state(key: string): PortalState {
    let state = this.portals.get(key);
    if (!state) {
      if (this.portals.size >= MAX_PORTALS) {
        const oldest = this.portals.keys().next();
        if (!oldest.done) this.portals.delete(oldest.value);
      }
      state = { blockedUntil: 0, dailyRemaining: null };
      this.portals.set(key, state);
    }
    return state;
  }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), in milliseconds; null when absent or bad. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const raw = header(headers, 'retry-after')?.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** HubSpot's own hint on a 429: the interval of the policy that was exceeded. */
export function intervalMs(headers: Headers): number | null {
  return int(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
}
