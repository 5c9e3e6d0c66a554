/**
 * The typed admin API client: openapi-fetch over the generated `paths`, sending the session's CSRF
 * token on every change and turning every failure into an ApiError (see errors.ts).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './admin-api';
import { ApiError, apiErrorFrom } from './errors';

export type Schemas = components['schemas'];

let csrfToken: string | null = null;
let onSessionEnded: (() => void) | null = null;

/** The token of the current session (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API call answers 401: the session ended (idle, expired or signed out elsewhere). */
export function onUnauthenticated(handler: (() => void) | null): void {
  onSessionEnded = handler;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes that answer 401 for a wrong password or a missing sign-in, not because a session ended. */
const SIGN_IN_ROUTES = ['/api/v1/session', '/api/v1/invitations/'];

function sessionEnded(status: number, path: string): boolean {
  return status === 401 && !SIGN_IN_ROUTES.some((p) => path.startsWith(p));
}

export const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (CHANGES.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    if (sessionEnded(response.status, new URL(request.url).pathname)) onSessionEnded?.();
    return response;
  },
};

// same-origin referrer: with no-referrer the browser sends `Origin: null`, which the API refuses.
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  referrerPolicy: 'same-origin',
});
api.use(sessionMiddleware);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError for a refusal. Network failures become ApiError `network`. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : 'network error');
  }
  if (!answer.response.ok) throw apiErrorFrom(answer.response.status, answer.error, answer.response.headers);
  return answer.data as T;
}
