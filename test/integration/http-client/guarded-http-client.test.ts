import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EgressRefusedError,
  GuardedHttpClient,
  HttpClientError,
  type Resolver,
} from '@switchboard/http-client';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  readonly url: string;
  readonly hits: string[];
  close(): Promise<void>;
}

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const hits: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      hits.push(`${req.method} ${path}`);
      open.add(res);
      res.on('close', () => open.delete(res));
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
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function redirect(location: string, status = 302): Handler {
  return (_req, res) => res.writeHead(status, { location }).end();
}

async function refusal(promise: Promise<unknown>): Promise<HttpClientError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpClientError))
    throw new Error(`expected an HttpClientError, got ${String(error)}`);
  return error;
}

describe('GuardedHttpClient against real sockets', () => {
  let main: TestServer;
  let other: TestServer;
  /** The operator allow-listed the test servers' loopback address, and nothing else. */
  let client: GuardedHttpClient;
  /** Nothing allow-listed: the production default. */
  let strict: GuardedHttpClient;

  beforeAll(async () => {
    other = await startServer({
      '/headers': (req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers)),
    });
    main = await startServer({
      '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
      '/headers': (req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers)),
      '/echo': (req, res, body) => res.writeHead(200).end(JSON.stringify({ method: req.method, body })),
      '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
      '/to-private': redirect('http://10.0.0.1/admin'),
      '/to-ok': redirect('/ok', 301),
      '/to-other-headers': redirect(`${other.url}/headers`, 307),
      '/to-same-headers': redirect('/headers', 307),
      '/see-other': redirect('/echo', 303),
      '/temporary': redirect('/echo', 307),
      '/loop': redirect('/loop'),
      '/to-file': redirect('file:///etc/passwd'),
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        for (let i = 0; i < 32; i++) res.write(chunk);
        res.end();
      },
      '/never': () => {
        // Accepts the request and never answers: the client's deadline must end it.
      },
      '/stall-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
      },
    });
    client = new GuardedHttpClient({ policy: { allowCidrs: ['127.0.0.1'] } });
    strict = new GuardedHttpClient();
  });

  afterAll(async () => {
    await Promise.all([client.close(), strict.close()]);
    await Promise.all([main.close(), other.close()]);
  });

  it('fetches from an allow-listed address', async () => {
    const response = await client.request(`${main.url}/ok`);
    expect(response.status).toBe(200);
    expect(response.text()).toBe('hello');
    expect(response.truncated).toBe(false);
    expect(response.redirects).toEqual([]);
  });

  it('refuses loopback without an allow-list entry, before any connection is made', async () => {
    const before = main.hits.length;
    const error = await refusal(strict.request(`${main.url}/ok`));
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error.message).toBe('Refused to connect to 127.0.0.1: it is a loopback address.');
    expect(main.hits.length).toBe(before);
  });

  it.each([
    ['http://10.0.0.1/', 'a private address'],
    ['http://192.168.0.10:8080/x', 'a private address'],
    ['http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'a cloud metadata address'],
    ['http://[::1]:9/', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]:9/', 'a loopback address'],
    ['http://[fe80::1]/', 'a link-local address'],
    ['http://100.64.1.1/', 'a carrier-grade NAT (shared) address'],
    ['http://0x7f000001/', 'a loopback address'],
    ['http://2130706433/', 'a loopback address'],
    ['http://0.0.0.0:9/', 'an unspecified address'],
  ])('refuses %s (%s)', async (url, reason) => {
    const error = await refusal(strict.request(url));
    expect(error.code).toBe('egress_refused');
    expect(error.message).toContain(reason);
  });

  it('refuses a host name that resolves to loopback (system resolver: localhost)', async () => {
    const port = new URL(main.url).port;
    const error = await refusal(strict.request(`http://localhost:${port}/ok`));
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error.message).toMatch(/Refused to connect to localhost: it resolves to (::1|127\.0\.0\.1)/);
  });

  it('refuses a public-looking host name whose DNS answer is loopback', async () => {
    const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const dnsClient = new GuardedHttpClient({ policy: { resolver } });
    try {
      const port = new URL(main.url).port;
      const error = await refusal(dnsClient.request(`http://api.example.com:${port}/ok`));
      expect(error.message).toBe(
        'Refused to connect to api.example.com: it resolves to 127.0.0.1, a loopback address.',
      );
    } finally {
      await dnsClient.close();
    }
  });

  it('resolves once per connection and connects to the address it checked (DNS rebinding)', async () => {
    // A rebinding DNS server answers an allowed address first, then a forbidden one. The client must use
    // the first (checked) answer for the socket and never ask again for the same connection.
    const answers = ['127.0.0.1', '169.254.169.254'];
    const asked: string[] = [];
    const resolver: Resolver = async (hostname) => {
      asked.push(hostname);
      const address = answers[Math.min(asked.length - 1, answers.length - 1)] as string;
      return [{ address, family: 4 }];
    };
    const dnsClient = new GuardedHttpClient({ policy: { resolver, allowCidrs: ['127.0.0.1'] } });
    try {
      const port = new URL(main.url).port;
      const response = await dnsClient.request(`http://rebind.example.com:${port}/headers`);
      expect(response.status).toBe(200);
      expect((response.json() as { host: string }).host).toBe(`rebind.example.com:${port}`);
      expect(asked).toEqual(['rebind.example.com']);
    } finally {
      await dnsClient.close();
    }
  });

  it('re-checks every redirect hop: an allowed server redirecting to the metadata address is refused', async () => {
    const error = await refusal(client.request(`${main.url}/to-metadata`));
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error.message).toBe('Refused to connect to 169.254.169.254: it is a cloud metadata address.');
    const error2 = await refusal(client.request(`${main.url}/to-private`));
    expect(error2.message).toContain('a private address');
  });

  it('follows allowed redirects and reports them', async () => {
    const response = await client.request(`${main.url}/to-ok`);
    expect(response.status).toBe(200);
    expect(response.text()).toBe('hello');
    expect(response.redirects).toEqual([`${main.url}/ok`]);
    expect(response.url).toBe(`${main.url}/ok`);
  });

  it('returns a redirect as it is when redirects are turned off', async () => {
    const response = await client.request(`${main.url}/to-metadata`, { maxRedirects: 0 });
    expect(response.status).toBe(302);
    expect(response.headers.location).toContain('169.254.169.254');
  });

  it('stops a redirect loop at the limit', async () => {
    const error = await refusal(client.request(`${main.url}/loop`, { maxRedirects: 3 }));
    expect(error.code).toBe('too_many_redirects');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const error = await refusal(client.request(`${main.url}/to-file`));
    expect(error.code).toBe('invalid_url');
  });

  it('drops credentials on a cross-origin redirect and keeps them on the same origin', async () => {
    const headers = { authorization: 'Bearer secret-token', 'x-api-key': 'k', 'x-trace': 't' };
    const cross = await client.request(`${main.url}/to-other-headers`, {
      headers,
      sensitiveHeaders: ['X-Api-Key'],
    });
    const crossSeen = cross.json() as Record<string, string>;
    expect(cross.url).toBe(`${other.url}/headers`);
    expect(crossSeen.authorization).toBeUndefined();
    expect(crossSeen['x-api-key']).toBeUndefined();
    expect(crossSeen['x-trace']).toBe('t');
    const same = await client.request(`${main.url}/to-same-headers`, { headers });
    expect((same.json() as Record<string, string>).authorization).toBe('Bearer secret-token');
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const seeOther = await client.request(`${main.url}/see-other`, { method: 'POST', body: 'payload' });
    expect(seeOther.json()).toEqual({ method: 'GET', body: '' });
    const temporary = await client.request(`${main.url}/temporary`, { method: 'POST', body: 'payload' });
    expect(temporary.json()).toEqual({ method: 'POST', body: 'payload' });
  });

  it('caps an oversize body and says it truncated it', async () => {
    const response = await client.request(`${main.url}/big`, { maxResponseBytes: 100_000 });
    expect(response.status).toBe(200);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(100_000);
    const whole = await client.request(`${main.url}/big`, { maxResponseBytes: 4 * 1024 * 1024 });
    expect(whole.truncated).toBe(false);
    expect(whole.body.length).toBe(2 * 1024 * 1024);
  });

  it('fails an oversize body when asked to', async () => {
    const error = await refusal(
      client.request(`${main.url}/big`, { maxResponseBytes: 1000, onOversize: 'error' }),
    );
    expect(error.code).toBe('response_too_large');
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    const error = await refusal(client.request(`${main.url}/never`, { timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    const stalled = await refusal(client.request(`${main.url}/stall-body`, { timeoutMs: 300 }));
    expect(stalled.code).toBe('timeout');
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const pending = client.request(`${main.url}/never`, { signal: controller.signal, timeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 50);
    const error = await refusal(pending);
    expect(error.code).toBe('aborted');
  });

  it('accepts only http and https URLs without embedded credentials', async () => {
    expect((await refusal(client.request('file:///etc/passwd'))).code).toBe('invalid_url');
    expect((await refusal(client.request('gopher://127.0.0.1:70/'))).code).toBe('invalid_url');
    expect((await refusal(client.request(`http://user:pw@127.0.0.1:1/`))).code).toBe('invalid_url');
    expect((await refusal(client.request('not a url'))).code).toBe('invalid_url');
  });

  it('reports a refused connection as connect_failed', async () => {
    const closed = await startServer({});
    const url = closed.url;
    await closed.close();
    const error = await refusal(client.request(`${url}/ok`));
    expect(error.code).toBe('connect_failed');
  });
});
