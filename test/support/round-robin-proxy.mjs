// A round-robin HTTP load balancer on loopback for the cluster tests and `npm run bench:cluster`, behaving
// like a production proxy with no session affinity (nginx `proxy_next_upstream error`, Envoy's retry on
// connect-failure): requests go to the next upstream in turn, responses (SSE included) stream through
// unbuffered, and a request that could not reach an upstream — connection refused, or a reused
// keep-alive connection closed under it before any response — is retried on the next one. An upstream
// that refused a connection is skipped for a moment. Nothing is retried once a response has started.
import http from 'node:http';

const MAX_BODY = 8 * 1024 * 1024;
const DOWN_FOR_MS = 1000;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function forwardHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
  return out;
}

/**
 * @param {{ upstreams?: string[], port?: number }} [options]
 */
export async function startRoundRobinProxy(options = {}) {
  let upstreams = (options.upstreams ?? []).map((u) => new URL(u));
  const downUntil = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const stats = { requests: 0, retries: 0, failures: 0, perUpstream: new Map() };

  function pick(tried) {
    const now = Date.now();
    for (let i = 0; i < upstreams.length; i++) {
      const u = upstreams[next++ % upstreams.length];
      if (tried.has(u.host)) continue;
      if ((downUntil.get(u.host) ?? 0) > now && tried.size + 1 < upstreams.length) continue;
      return u;
    }
    return upstreams.find((u) => !tried.has(u.host));
  }

  function attempt(req, res, body, tried) {
    const target = pick(tried);
    if (!target) {
      stats.failures++;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
        res.end('no upstream could take the request\n');
      } else res.destroy();
      return;
    }
    tried.add(target.host);
    stats.perUpstream.set(target.host, (stats.perUpstream.get(target.host) ?? 0) + 1);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...forwardHeaders(req.headers), 'content-length': String(body.length) },
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers));
        res.flushHeaders();
        up.pipe(res);
        up.on('error', () => res.destroy());
      },
    );
    let clientGone = false;
    upstream.on('error', (err) => {
      // We aborted it ourselves because the client left: not a failure of the upstream.
      if (clientGone) return;
      const unreached = err.code === 'ECONNREFUSED' || (upstream.reusedSocket && err.code === 'ECONNRESET');
      if (err.code === 'ECONNREFUSED') downUntil.set(target.host, Date.now() + DOWN_FOR_MS);
      if (unreached && !res.headersSent) {
        stats.retries++;
        attempt(req, res, body, tried);
        return;
      }
      stats.failures++;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
        res.end('upstream failed\n');
      } else res.destroy();
    });
    // The client went away before its answer was complete: stop the upstream request too.
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    upstream.end(body);
  }

  const server = http.createServer((req, res) => {
    stats.requests++;
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => attempt(req, res, Buffer.concat(chunks), new Set()));
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    setUpstreams(list) {
      upstreams = list.map((u) => new URL(u));
      downUntil.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
