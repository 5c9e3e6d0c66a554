import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { CSRF_HEADER } from '../http/admin.guard.js';
import { errorSchema } from '../http/schemas.js';
import { ADMIN_API_PREFIX, successStatus, type AdminRouteSpec } from '../http/route-spec.js';

/** Bumped with any change a client could notice; the path prefix changes only for breaking ones. */
export const ADMIN_API_VERSION = '1.0.0';

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: `error.details.issues` lists every problem ("path: message")',
  401: 'No valid session or API key',
  403: 'Not allowed: the role is too low, the API key lacks the admin scope, or a CSRF token or origin check failed',
  404: 'Not found; a tenant the caller does not belong to is not found either',
  409: 'Conflicts with an existing record',
  412: 'Not possible in the current state (e.g. the last owner, the default endpoint, a suspended tenant)',
  429: 'Too many attempts; `Retry-After` says when to try again',
};

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function security(spec: AdminRouteSpec): Record<string, string[]>[] {
  if (spec.auth === 'none') return [];
  const session: Record<string, string[]> = MUTATING.has(spec.method)
    ? { sessionCookie: [], csrfToken: [] }
    : { sessionCookie: [] };
  return spec.auth === 'tenant' ? [{ apiKey: [] }, session] : [session];
}

function errorStatuses(spec: AdminRouteSpec): number[] {
  const s = new Set<number>(spec.errors ?? []);
  if (spec.params || spec.query || spec.body) s.add(400);
  if (spec.auth !== 'none') s.add(401);
  if (spec.auth !== 'none' && (spec.auth !== 'session' || MUTATING.has(spec.method))) s.add(403);
  if (spec.auth === 'tenant' || spec.auth === 'platform') s.add(404);
  if (spec.auth === 'tenant' && MUTATING.has(spec.method)) s.add(412);
  return [...s].sort((a, b) => a - b);
}

function operation(spec: AdminRouteSpec): ZodOpenApiOperationObject {
  const status = successStatus(spec);
  const success = spec.response
    ? { description: 'Success', content: { 'application/json': { schema: spec.response } } }
    : spec.produces
      ? {
          description: 'Success (streamed)',
          content: Object.fromEntries(
            spec.produces.map((type) => [type, { schema: { type: 'string' as const } }]),
          ),
        }
      : { description: 'Done' };
  const responses: ZodOpenApiOperationObject['responses'] = { [`${status}`]: success };
  for (const code of errorStatuses(spec)) {
    responses[`${code as 400}`] = {
      description: ERROR_TEXT[code] ?? 'Error',
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  responses[`500`] = {
    description: 'Unexpected error; quote `correlationId`',
    content: { 'application/json': { schema: errorSchema } },
  };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: [spec.tag],
    security: security(spec),
    ...((spec.params || spec.query) && {
      requestParams: { ...(spec.params && { path: spec.params }), ...(spec.query && { query: spec.query }) },
    }),
    ...(spec.body && {
      requestBody: { required: true, content: { 'application/json': { schema: spec.body } } },
    }),
    responses,
    ...(spec.permission && { 'x-switchboard-permission': spec.permission }),
  };
}

/** The admin API's OpenAPI 3.1 document, built from the routes the controllers declare. */
export function buildAdminOpenApiDocument(routes: readonly AdminRouteSpec[]): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const spec of sorted) {
    const path = `${ADMIN_API_PREFIX}${spec.path}`.replace(/:([A-Za-z]+)/g, '{$1}');
    const item = (paths[path] ??= {});
    item[spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'] = operation(spec);
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard admin API',
      version: ADMIN_API_VERSION,
      description: [
        'Manage tenants, endpoints, connections, members, keys, audit and usage. Generated from the code (`npm run openapi`).',
        '',
        '**Authentication**: a dashboard session (cookie `sb_session`, `__Host-sb_session` over https, from `POST /api/v1/session`) or an API key of the tenant with the `admin` scope (`Authorization: Bearer sb_…`). What a caller may do is decided by their role in the tenant (viewer < member < admin < owner; each operation names its permission in `x-switchboard-permission`).',
        '',
        `**CSRF**: requests authenticated by the session cookie that change anything (POST, PUT, PATCH, DELETE) must send the session's \`csrfToken\` (from \`GET /api/v1/session\`) in the \`${CSRF_HEADER}\` header and come from the server's own origin. API-key requests need neither.`,
        '',
        '**Errors**: every error is `{ "error": { "code", "message", "details"? } }`. Lists take `limit` and `cursor` and answer `{ items, nextCursor }`.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (sb_…) of the tenant in the path, with the admin scope',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sb_session',
          description: 'The dashboard session (named __Host-sb_session when PUBLIC_URL is https)',
        },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: "The session's csrfToken; required with the cookie on state-changing requests",
        },
      },
    },
  });
  return document as unknown as Record<string, unknown>;
}
