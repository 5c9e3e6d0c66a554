import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  renderAssociations,
  renderObject,
  renderOwner,
  renderPipelines,
  renderProperties,
} from './render.js';
import { ASSOCIATION_TYPES, OWNERS, PROPERTIES, requiredScope } from './schema.js';
import { parseSearch, runSearch } from './search.js';
import { HubSpotStore, HubSpotValidationError, validationError } from './store.js';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** A string is sent as it is (malformed answers); anything else as JSON. */
  readonly body?: unknown;
}

export interface Fault {
  readonly method?: string;
  readonly path: RegExp;
  /** How many matching requests get this reply (then it is gone). */
  times: number;
  readonly reply: Reply | ((req: SeenRequest) => Reply);
}

interface TokenGrant {
  readonly scopes: ReadonlySet<string> | 'all';
  readonly expiresAt: number | null;
}

const OBJECT_TYPES = new Set(Object.keys(PROPERTIES));

class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

function error(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpError {
  return new HttpError({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  });
}

/**
 * A local server implementing the HubSpot API subset the CRM pack uses, as HubSpot documents it: CRM v3
 * objects (get, list, create, update, archive, batch read, search), v3 pipelines, properties and owners,
 * and the OAuth token endpoint. Requests are checked as HubSpot checks them (bearer token, scopes, JSON
 * content type, property names and values, search limits); rate-limit headers are sent on every non-search
 * answer. Faults (429s, 5xx, malformed bodies) can be queued per path.
 */
export class FakeHubSpot {
  readonly store = new HubSpotStore();
  readonly seen: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  readonly tokens = new Map<string, TokenGrant>();
  readonly oauth = {
    clientId: `client-${randomBytes(6).toString('hex')}`,
    clientSecret: `secret-${randomBytes(12).toString('hex')}`,
    refreshToken: `refresh-${randomBytes(12).toString('hex')}`,
    expiresIn: 1800,
    issued: [] as string[],
  };
  /** What `X-HubSpot-RateLimit-Remaining` says (the ten-second window). */
  rateLimitRemaining = 99;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A private app token (or an issued OAuth token) the server accepts, with its scopes (all by default). */
  addToken(token: string, scopes?: readonly string[], expiresAt: number | null = null): void {
    this.tokens.set(token, { scopes: scopes ? new Set(scopes) : 'all', expiresAt });
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  requests(method: string, path: RegExp): SeenRequest[] {
    return this.seen.filter((r) => r.method === method && path.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.seen.push(seen);
    let reply: Reply;
    const fault = this.faults.find(
      (f) => f.times > 0 && f.path.test(seen.path) && (!f.method || f.method === seen.method),
    );
    if (fault) {
      fault.times--;
      reply = typeof fault.reply === 'function' ? fault.reply(seen) : fault.reply;
    } else {
      try {
        reply = this.route(seen);
      } catch (e) {
        if (e instanceof HttpError) reply = e.reply;
        else if (e instanceof HubSpotValidationError) reply = { status: e.status, body: e.body };
        else
          reply = {
            status: 500,
            body: { status: 'error', message: 'internal error', correlationId: randomUUID() },
          };
      }
    }
    const headers: Record<string, string> = { ...this.rateLimitHeaders(seen), ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else if (typeof reply.body === 'string') {
      res.writeHead(reply.status, { 'content-type': 'text/html', ...headers }).end(reply.body);
    } else {
      res
        .writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...headers })
        .end(JSON.stringify(reply.body));
    }
  }

  /** HubSpot sends its rate-limit headers on every answer except search and OAuth ones. */
  private rateLimitHeaders(req: SeenRequest): Record<string, string> {
    if (req.path.endsWith('/search') || req.path.startsWith('/oauth/')) return {};
    return {
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249000',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '100',
      'x-hubspot-ratelimit-remaining': String(this.rateLimitRemaining),
      'x-hubspot-ratelimit-secondly': '10',
      'x-hubspot-ratelimit-secondly-remaining': '9',
    };
  }

  private route(req: SeenRequest): Reply {
    if (req.path === '/oauth/v1/token' && req.method === 'POST') return this.token(req);
    const m = req.path.match(
      /^\/crm\/v3\/(objects|pipelines|properties|owners)(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?\/?$/,
    );
    if (!m) throw error(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`);
    const [, api, a, b, c] = m;
    if (api === 'owners') {
      this.authorize(req, 'crm.objects.owners.read');
      return this.owners(req, a);
    }
    if (api === 'pipelines' && req.method === 'GET' && a === 'deals' && !b) {
      this.authorize(req, 'crm.objects.deals.read');
      return { status: 200, body: renderPipelines() };
    }
    if (api === 'properties' && req.method === 'GET' && a && OBJECT_TYPES.has(a) && !b) {
      this.authorize(
        req,
        ['contacts', 'companies', 'deals'].includes(a)
          ? `crm.schemas.${a}.read`
          : 'crm.objects.contacts.read',
      );
      return { status: 200, body: renderProperties(a) };
    }
    if (api === 'objects' && a && OBJECT_TYPES.has(a)) return this.objects(req, a, b, c);
    throw error(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`);
  }

  private authorize(req: SeenRequest, scope: string): void {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const grant = this.tokens.get(token);
    if (!grant) {
      throw error(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    if (grant.expiresAt !== null && grant.expiresAt <= Date.now()) {
      throw error(
        401,
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired 0 minute(s) ago.',
      );
    }
    if (grant.scopes !== 'all' && !grant.scopes.has(scope)) {
      throw error(
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        {
          errors: [
            {
              message: 'One or more of the following scopes are required.',
              context: { requiredGranularScopes: [scope] },
            },
          ],
          links: { scopes: 'https://developers.hubspot.com/scopes' },
        },
      );
    }
  }

  private json(req: SeenRequest): Record<string, unknown> {
    if (!/^application\/json/i.test(String(req.headers['content-type'] ?? ''))) {
      throw error(
        415,
        'VALIDATION_ERROR',
        `Content type '${req.headers['content-type'] ?? ''}' not supported`,
      );
    }
    try {
      const parsed: unknown = JSON.parse(req.body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch (e) {
      throw validationError(`Invalid input JSON on line 1, column 1: ${(e as Error).message}`);
    }
  }

  private objects(req: SeenRequest, type: string, id?: string, sub?: string): Reply {
    const write =
      req.method !== 'GET' &&
      !(req.method === 'POST' && (id === 'search' || (id === 'batch' && sub === 'read')));
    this.authorize(req, requiredScope(type, write));
    if (req.method === 'POST' && id === 'search' && !sub) {
      const search = parseSearch(type, this.json(req));
      const hits = runSearch(type, [...this.store.objects.get(type)!.values()], search);
      const page = hits.slice(search.after, search.after + search.limit);
      const next = search.after + page.length;
      return {
        status: 200,
        body: {
          total: hits.length,
          results: page.map((o) => renderObject(o, search.properties)),
          ...(next < hits.length && { paging: { next: { after: String(next), link: `?after=${next}` } } }),
        },
      };
    }
    if (req.method === 'POST' && id === 'batch' && sub === 'read') return this.batchRead(req, type);
    if (!id && req.method === 'GET') {
      const limit = Number(req.query.get('limit') ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw validationError('limit must be between 1 and 100');
      const all = [...this.store.objects.get(type)!.values()];
      const start = Number(req.query.get('after') ?? 0) || 0;
      const page = all.slice(start, start + limit);
      return {
        status: 200,
        body: {
          results: page.map((o) => renderObject(o, req.query.get('properties')?.split(',') ?? null)),
          ...(start + limit < all.length && { paging: { next: { after: String(start + limit) } } }),
        },
      };
    }
    if (!id && req.method === 'POST') return this.create(req, type);
    if (!id || sub) throw error(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`);
    const object = this.store.get(type, id);
    if (!object) {
      throw error(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
        context: { id: [id] },
      });
    }
    if (req.method === 'GET') {
      const asked = req.query
        .getAll('properties')
        .flatMap((p) => p.split(','))
        .filter(Boolean);
      const assoc = req.query
        .getAll('associations')
        .flatMap((p) => p.split(','))
        .filter(Boolean);
      const body = renderObject(object, asked.length > 0 ? asked : null);
      const associations = renderAssociations(this.store, object, assoc);
      return { status: 200, body: Object.keys(associations).length > 0 ? { ...body, associations } : body };
    }
    if (req.method === 'PATCH') {
      const input = this.json(req);
      const extra = Object.keys(input).filter((k) => k !== 'properties' && k !== 'objectWriteTraceId');
      if (extra.length > 0) throw validationError(`Invalid input JSON: Unrecognized field "${extra[0]}"`);
      const props = this.store.validate(type, input.properties, object);
      this.store.update(object, props);
      return { status: 200, body: renderObject(object, Object.keys(object.properties)) };
    }
    if (req.method === 'DELETE') {
      this.store.archive(type, id);
      return { status: 204 };
    }
    throw error(405, 'VALIDATION_ERROR', `Method ${req.method} not allowed`);
  }

  private create(req: SeenRequest, type: string): Reply {
    const input = this.json(req);
    const extra = Object.keys(input).filter(
      (k) => !['properties', 'associations', 'objectWriteTraceId'].includes(k),
    );
    if (extra.length > 0) throw validationError(`Invalid input JSON: Unrecognized field "${extra[0]}"`);
    const props = this.store.validate(type, input.properties ?? {});
    const associations = input.associations ?? [];
    if (!Array.isArray(associations))
      throw validationError('Invalid input JSON: associations must be an array');
    const links = associations.map((a: unknown) => {
      const entry = a as {
        to?: { id?: unknown };
        types?: { associationCategory?: unknown; associationTypeId?: unknown }[];
      };
      const toId = String(entry.to?.id ?? '');
      const spec = entry.types?.[0];
      if (
        !toId ||
        !spec ||
        spec.associationCategory !== 'HUBSPOT_DEFINED' ||
        typeof spec.associationTypeId !== 'number'
      ) {
        throw validationError(
          'Invalid input JSON: each association needs to.id and types[{associationCategory, associationTypeId}]',
        );
      }
      const typeId = spec.associationTypeId;
      const toType = [...OBJECT_TYPES].find((t) => ASSOCIATION_TYPES[`${type}>${t}`] === typeId);
      if (!toType) throw validationError(`association type id ${typeId} doesn't exist for ${type}`);
      if (!this.store.get(toType, toId)) throw validationError(`No ${toType} with ID ${toId} exists`);
      return { toType, toId, typeId };
    });
    const object = this.store.create(type, props);
    for (const l of links) this.store.associate(type, object.id, l.toType, l.toId, l.typeId);
    return { status: 201, body: renderObject(object, Object.keys(object.properties)) };
  }

  private batchRead(req: SeenRequest, type: string): Reply {
    const input = this.json(req);
    if (!Array.isArray(input.inputs) || input.inputs.length > 100)
      throw validationError('inputs must be an array of at most 100 ids');
    if (!Array.isArray(input.propertiesWithHistory))
      throw validationError('propertiesWithHistory is required');
    const properties = Array.isArray(input.properties) ? (input.properties as string[]) : [];
    const ids = input.inputs.map((i: unknown) => String((i as { id?: unknown }).id ?? ''));
    const found = ids.map((id) => this.store.get(type, id)).filter((o) => o !== undefined);
    const missing = ids.filter((id) => !this.store.get(type, id));
    const now = new Date().toISOString();
    return {
      status: missing.length > 0 ? 207 : 200,
      body: {
        status: 'COMPLETE',
        results: found.map((o) => renderObject(o, properties)),
        ...(missing.length > 0 && {
          numErrors: 1,
          errors: [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${type} objects, they may be deleted or not exist.`,
              context: { ids: missing },
            },
          ],
        }),
        startedAt: now,
        completedAt: now,
      },
    };
  }

  private owners(req: SeenRequest, id?: string): Reply {
    if (id) {
      const owner = OWNERS.find((o) => o.id === id);
      if (!owner) throw error(404, 'OBJECT_NOT_FOUND', `Owner ${id} not found`);
      return { status: 200, body: renderOwner(owner) };
    }
    const email = req.query.get('email');
    const list = OWNERS.filter((o) => !email || o.email.toLowerCase() === email.toLowerCase());
    return { status: 200, body: { results: list.map(renderOwner) } };
  }

  private token(req: SeenRequest): Reply {
    if (!/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) {
      return { status: 415, body: { status: 'error', message: 'Unsupported Media Type' } };
    }
    const form = new URLSearchParams(req.body);
    const bad = (status: string, message: string): Reply => ({
      status: 400,
      body: { status, message, correlationId: randomUUID() },
    });
    if (form.get('grant_type') !== 'refresh_token')
      return bad('BAD_GRANT_TYPE', 'grant_type must be refresh_token or authorization_code');
    if (form.get('client_id') !== this.oauth.clientId)
      return bad('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.get('client_secret') !== this.oauth.clientSecret)
      return bad('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (form.get('refresh_token') !== this.oauth.refreshToken)
      return bad('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
    const accessToken = `oauth-access-${randomBytes(16).toString('hex')}`;
    this.oauth.issued.push(accessToken);
    this.addToken(accessToken, undefined, Date.now() + this.oauth.expiresIn * 1000);
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        refresh_token: this.oauth.refreshToken,
        access_token: accessToken,
        expires_in: this.oauth.expiresIn,
      },
    };
  }
}
