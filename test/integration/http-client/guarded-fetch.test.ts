/**
 * GuardedHttpClient.fetch over real sockets: the WHATWG contract (streaming bodies, redirect modes,
 * abort) with every hop checked by the egress policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EgressRefusedError, GuardedHttpClient } from '@switchboard/http-client';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  readonly url: string;
  readonly hits: string[];
  close(): Promise<void>;
}

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      hits.push(`${req.method} ${path}`);
      const route = routes[path];
      if (route) route(req, res, body);
      else res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The rejection of a fetch (an AbortError is a DOMException of Node's own realm, not jest's Error). */
async function failure(promise: Promise<unknown>): Promise<{ error: Error; cause: unknown }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (typeof error !== 'object' || error === null || !('name' in error)) {
    throw new Error('expected the fetch to fail');
  }
  return { error: error as Error, cause: (error as { cause?: unknown }).cause };
}

describe('GuardedHttpClient.fetch', () => {
  let main: TestServer;
  let other: TestServer;
  let client: GuardedHttpClient;
  let strict: GuardedHttpClient;
  let releaseStream: (() => void) | null = null;

  beforeAll(async () => {
    other = await startServer({
      '/headers': (req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers)),
    });
    main = await startServer({
      '/echo': (req, res, body) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null })),
      '/to-echo-307': (_req, res) => res.writeHead(307, { location: '/echo' }).end(),
      '/to-echo-303': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
      '/to-metadata': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/' }).end(),
      '/to-other': (_req, res) => res.writeHead(302, { location: `${other.url}/headers` }).end(),
      '/sse': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write('event: message\ndata: {"first":true}\n\n');
        // The rest only comes when the test says so: the client must hand over the first event before.
        releaseStream = () => res.end('event: message\ndata: {"last":true}\n\n');
      },
      '/never': () => {
        // Accepts the request and never answers.
      },
    });
    client = new GuardedHttpClient({ policy: { allowCidrs: ['127.0.0.1'] }, timeoutMs: 2_000 });
    strict = new GuardedHttpClient();
  });

  afterAll(async () => {
    await Promise.all([client.close(), strict.close()]);
    await Promise.all([main.close(), other.close()]);
  });

  it('streams a body: the first server-sent event arrives before the response ends', async () => {
    const res = await client.fetch(`${main.url}/sse`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toContain('"first":true');
    releaseStream?.();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += Buffer.from(value).toString();
    }
    expect(rest).toContain('"last":true');
  });

  it('posts a body and follows a 307 with it, a 303 as a GET', async () => {
    const kept = await client.fetch(`${main.url}/to-echo-307`, { method: 'POST', body: '{"a":1}' });
    expect(await kept.json()).toMatchObject({ method: 'POST', body: '{"a":1}' });
    const seeOther = await client.fetch(`${main.url}/to-echo-303`, { method: 'POST', body: 'x' });
    expect(await seeOther.json()).toMatchObject({ method: 'GET', body: '' });
  });

  it("returns the redirect itself with redirect: 'manual' and fails on one with 'error'", async () => {
    const manual = await client.fetch(`${main.url}/to-echo-307`, { redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe('/echo');
    const { error } = await failure(client.fetch(`${main.url}/to-echo-307`, { redirect: 'error' }));
    expect(error).toBeInstanceOf(TypeError);
  });

  it('refuses a non-public address, and a redirect to the metadata address, naming the reason', async () => {
    const before = main.hits.length;
    const direct = await failure(strict.fetch(`${main.url}/echo`));
    expect(direct.error).toBeInstanceOf(TypeError);
    expect(direct.error.message).toBe('fetch failed');
    expect(direct.cause).toBeInstanceOf(EgressRefusedError);
    expect((direct.cause as Error).message).toContain('a loopback address');
    expect(main.hits.length).toBe(before);
    const hop = await failure(client.fetch(`${main.url}/to-metadata`));
    expect((hop.cause as Error).message).toContain('a cloud metadata address');
    const byName = await failure(strict.fetch(`http://localhost:${new URL(main.url).port}/echo`));
    expect(byName.cause).toBeInstanceOf(EgressRefusedError);
    expect((byName.cause as Error).message).toMatch(/localhost: it resolves to .*, a loopback address/);
  });

  it('drops the Authorization header when a redirect leaves the origin', async () => {
    const res = await client.fetch(`${main.url}/to-other`, { headers: { Authorization: 'Bearer s3cret' } });
    const seen = (await res.json()) as Record<string, string>;
    expect(seen.authorization).toBeUndefined();
    const same = await client.fetch(`${main.url}/echo`, { headers: { Authorization: 'Bearer s3cret' } });
    expect(((await same.json()) as { auth: string }).auth).toBe('Bearer s3cret');
  });

  it("bounds the wait for headers by the client's timeout and honours the caller's signal", async () => {
    const slow = await failure(client.fetch(`${main.url}/never`));
    expect(slow.error.name).toBe('TimeoutError');
    const controller = new AbortController();
    const pending = client.fetch(`${main.url}/never`, { signal: controller.signal });
    controller.abort();
    const aborted = await failure(pending);
    expect(aborted.error.name).toBe('AbortError');
  });
});
