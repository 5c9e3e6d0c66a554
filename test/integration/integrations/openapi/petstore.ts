import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A realistic multi-operation document: shared components, path-level parameters, refs in refs. */
export const petstoreDocument = (baseUrl: string) => ({
  openapi: '3.0.3',
  info: { title: 'Petstore', version: '1.2.0' },
  servers: [{ url: `${baseUrl}/{version}`, variables: { version: { default: 'v1' } } }],
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        summary: 'List pets',
        description: 'Pets in the store, newest first.',
        parameters: [
          { $ref: '#/components/parameters/Limit' },
          { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } }, explode: true },
          { name: 'X-Request-Id', in: 'header', schema: { type: 'string', format: 'uuid' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        operationId: 'createPet',
        summary: 'Create a pet',
        requestBody: { $ref: '#/components/requestBodies/NewPet' },
        responses: { '201': { description: 'created' } },
      },
    },
    '/pets/{petId}': {
      parameters: [{ $ref: '#/components/parameters/PetId' }],
      get: { operationId: 'getPetById', summary: 'Get one pet', responses: { '200': { description: 'ok' } } },
      put: {
        operationId: 'updatePet',
        summary: 'Replace a pet',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } },
        },
        responses: { '200': { description: 'ok' } },
      },
      delete: {
        operationId: 'deletePet',
        summary: 'Delete a pet',
        responses: { '204': { description: 'gone' } },
      },
    },
    '/whoami': { get: { operationId: 'whoAmI', summary: 'Echo the credentials the API saw', responses: {} } },
    '/reports/big': { get: { operationId: 'bigReport', summary: 'A very large report', responses: {} } },
    '/reports/broken': { get: { operationId: 'brokenReport', summary: 'Always fails', responses: {} } },
    '/go': { get: { operationId: 'followMe', summary: 'Redirects somewhere', responses: {} } },
  },
  components: {
    parameters: {
      Limit: {
        name: 'limit',
        in: 'query',
        description: 'How many pets to return.',
        schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
      },
      PetId: { name: 'petId', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } },
    },
    requestBodies: {
      NewPet: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } },
      },
    },
    schemas: {
      Id: { type: 'integer', format: 'int64', minimum: 1 },
      NewPet: {
        type: 'object',
        required: ['name', 'kind'],
        properties: {
          id: { allOf: [{ $ref: '#/components/schemas/Id' }], readOnly: true },
          name: { type: 'string', minLength: 1, example: 'Rex' },
          kind: { type: 'string', enum: ['dog', 'cat', 'bird'] },
          tag: { type: 'string', nullable: true },
          owner: { $ref: '#/components/schemas/Owner' },
        },
      },
      Owner: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email' },
          pets: { type: 'array', items: { $ref: '#/components/schemas/NewPet' } },
        },
      },
    },
  },
});

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface Petstore {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Tokens the token endpoint issued; only the latest is accepted while `revokeOld` is set. */
  readonly issued: string[];
  tokenRequests: SeenRequest[];
  revokeOld: boolean;
  close(): Promise<void>;
}

/** The API (under /v1), its document at /openapi.json, and an OAuth token endpoint at /oauth/token. */
export async function startPetstore(): Promise<Petstore> {
  const pets = new Map<number, Record<string, unknown>>([
    [1, { id: 1, name: 'Rex', kind: 'dog', tag: null }],
  ]);
  let nextId = 2;
  const state: Omit<Petstore, 'url' | 'close'> = {
    seen: [],
    issued: [],
    tokenRequests: [],
    revokeOld: false,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      const url = new URL(req.url ?? '/', 'http://test');
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      };
      if (url.pathname === '/oauth/token') {
        state.tokenRequests.push(seen);
        const form = new URLSearchParams(body);
        const basic = Buffer.from(
          (req.headers.authorization ?? '').replace(/^Basic /, ''),
          'base64',
        ).toString();
        if (form.get('grant_type') !== 'client_credentials' || basic !== 'svc-client:svc-secret') {
          return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        }
        const token = `tok-${state.issued.length + 1}`;
        state.issued.push(token);
        return json(200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: 3600,
          scope: form.get('scope'),
        });
      }
      if (url.pathname === '/openapi.json') {
        return json(200, petstoreDocument(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      }
      if (url.pathname === '/openapi-redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      state.seen.push(seen);
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer tok-') && state.revokeOld && auth !== `Bearer ${state.issued.at(-1)}`) {
        return json(401, { error: 'token revoked' });
      }
      const petMatch = /^\/v1\/pets\/(\d+)$/.exec(url.pathname);
      if (url.pathname === '/v1/pets' && req.method === 'GET') {
        const limit = Number(url.searchParams.get('limit') ?? 10);
        const items = [...pets.values()].slice(0, limit);
        return json(200, {
          items,
          tags: url.searchParams.getAll('tag'),
          requestId: req.headers['x-request-id'] ?? null,
        });
      }
      if (url.pathname === '/v1/pets' && req.method === 'POST') {
        const pet = { ...(JSON.parse(body) as Record<string, unknown>), id: nextId++ };
        pets.set(pet.id, pet);
        return json(201, pet);
      }
      if (petMatch) {
        const id = Number(petMatch[1]);
        if (!pets.has(id)) return json(404, { error: 'not_found', message: `No pet ${id}` });
        if (req.method === 'GET') return json(200, pets.get(id));
        if (req.method === 'PUT') {
          const pet = { ...(JSON.parse(body) as Record<string, unknown>), id };
          pets.set(id, pet);
          return json(200, pet);
        }
        if (req.method === 'DELETE') {
          pets.delete(id);
          res.writeHead(204).end();
          return;
        }
      }
      if (url.pathname === '/v1/whoami') {
        return json(200, { authorization: auth ?? null, apiKey: req.headers['x-api-key'] ?? null });
      }
      if (url.pathname === '/v1/reports/big') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('line of report text\n'.repeat(2000));
        return;
      }
      if (url.pathname === '/v1/reports/broken') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`Service unavailable: ${'x'.repeat(5000)}`);
        return;
      }
      if (url.pathname === '/v1/go') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/' }).end();
        return;
      }
      json(404, { error: 'no route' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
