/**
 * The checker's TLS inspection against a real TLS server on loopback with a freshly made self-signed
 * certificate (Debian's openssl makes it): the certificate is described, judged, and the check names it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTlsInspector, inspectTlsCertificate, runCheck } from '@switchboard/checker';

let server: Server;
let port: number;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-check-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '5',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  server = createServer(
    { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
    (_req, res) => void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('TLS inspection', () => {
  it('describes the certificate a server presents, without trusting it', async () => {
    const info = await inspectTlsCertificate('localhost', port, {
      timeoutMs: 10_000,
      signal: new AbortController().signal,
    });
    expect(info).toMatchObject({
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: 'localhost',
      issuer: 'localhost',
      subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
    });
    expect(info.protocol).toMatch(/^TLSv1\.[23]$/);
    const days = (Date.parse(info.validTo!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(3);
    expect(days).toBeLessThan(6);
  });

  it('names both the unreachable endpoint and the certificate in a check', async () => {
    const report = await runCheck({ url: `https://localhost:${port}/mcp` });
    const reach = report.steps.find((s) => s.id === 'reachability')!;
    const tls = report.steps.find((s) => s.id === 'tls')!;
    expect(reach.outcome).toBe('fail');
    expect(reach.summary).toMatch(/TLS handshake with localhost:\d+ failed: .*DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(reach.hint).toMatch(/Fix the certificate/);
    expect(tls.outcome).toBe('fail');
    expect(tls.summary).toBe('the certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(tls.data).toMatchObject({ host: 'localhost', subject: 'localhost' });
    expect(report.summary.failedSteps).toEqual(['reachability', 'tls']);
  });

  it('rejects when nothing listens there', async () => {
    const plain = await inspectTlsCertificate('127.0.0.1', 1, {
      timeoutMs: 5_000,
      signal: new AbortController().signal,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(plain).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('connects where the given resolver says, and fails the step when the resolver refuses', async () => {
    const asked: string[] = [];
    const viaPolicy = createTlsInspector({
      resolve: async (host) => {
        asked.push(host);
        return '127.0.0.1';
      },
    });
    const info = await viaPolicy('localhost', port, {
      timeoutMs: 10_000,
      signal: new AbortController().signal,
    });
    expect(asked).toEqual(['localhost']);
    expect(info.subject).toBe('localhost');

    const refusing = createTlsInspector({
      resolve: async (host) => {
        throw new Error(`${host} resolves to a loopback address, which may not be reached`);
      },
    });
    const report = await runCheck({ url: `https://localhost:${port}/mcp`, inspectTls: refusing, burst: 0 });
    expect(report.steps.find((s) => s.id === 'tls')).toMatchObject({
      outcome: 'fail',
      summary:
        'could not complete a TLS handshake: localhost resolves to a loopback address, which may not be reached',
    });
  });
});
