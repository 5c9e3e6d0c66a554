/**
 * No invitation token, password, OAuth code, access token or client secret in any log line: invitations,
 * a check of another server through its sign-in callback, and the sign-in provider settings, at the most
 * verbose log level, with every byte the process writes captured and searched.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { startBrokenDeployment } from '../checker/broken-servers.js';
import { startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.js';
import type { OAuthTestApp } from '../oauth/support.js';
import { AdminClient, adminTenant, sessions, startAdminApp } from './support.js';

let app: OAuthTestApp;
let idp: CompanyIdp;
const captured: string[] = [];
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  const tee =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tee(originalStdout) as typeof process.stdout.write;
  process.stderr.write = tee(originalStderr) as typeof process.stderr.write;
  app = await startAdminApp(
    { LOG_LEVEL: 'trace', SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' },
    { idpLoopback: true },
  );
  const root = PinoLogger.root as unknown as Record<symbol, { write(chunk: unknown): boolean }>;
  const destination = root[pino.symbols.streamSym]!;
  root[pino.symbols.streamSym] = {
    write: (chunk: unknown) => {
      captured.push(String(chunk));
      return destination.write(chunk);
    },
  };
  idp = await startCompanyIdp(`${app.url}/oauth/upstream/callback`);
});

afterAll(async () => {
  await idp?.close();
  await app?.close();
  process.stdout.write = originalStdout as typeof process.stdout.write;
  process.stderr.write = originalStderr as typeof process.stderr.write;
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('logs no invitation token, password, code, token or client secret', async () => {
  const t = await adminTenant(app);
  const s = await sessions(app, t);
  const secrets: string[] = [idp.clientSecret];

  // An invitation accepted with a new password.
  const created = await s.admin.post<{ acceptUrl: string }>(`/tenants/${t.slug}/invitations`, {
    email: `canary@${t.slug}.example`,
    role: 'member',
  });
  const token = new URLSearchParams(new URL(created.body.acceptUrl).hash.slice(1)).get('token')!;
  const password = `canary-${randomBytes(12).toString('hex')}`;
  secrets.push(token, password);
  const post = (path: string, body: unknown) =>
    fetch(`${app.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app.url },
      body: JSON.stringify(body),
    });
  expect((await post('/invitations/lookup', { token })).status).toBe(200);
  expect((await post('/invitations/accept', { token, password: 'too-short' })).status).toBe(400);
  expect((await post('/invitations/accept', { token, password })).status).toBe(201);
  expect((await post('/invitations/accept', { token, password })).status).toBe(412);

  // The sign-in provider's secret.
  const put = await s.admin.put(`/tenants/${t.slug}/identity-provider`, {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: [],
    jitRole: null,
  });
  expect(put.status).toBe(200);

  // A check of another server, signed in through the callback.
  const broken = await startBrokenDeployment();
  try {
    const started = await s.admin.post<{ job: { id: string } }>(`/tenants/${t.slug}/checks`, {
      url: broken.mcpUrl,
      burst: 2,
    });
    const jobPath = `/tenants/${t.slug}/jobs/${started.body.job.id}`;
    type Job = { status: string; progress: { action?: { url: string } } | null; result: unknown };
    const waiting = await until(
      () => s.admin.get<Job>(jobPath),
      (r) => r.body.progress?.action !== undefined,
    );
    const consent = await fetch(waiting.body.progress!.action!.url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    secrets.push(back.searchParams.get('code')!);
    expect((await fetch(back)).status).toBe(200);
    const done = await until(
      () => AdminClient.key(app, t.ownerKey).get<Job>(jobPath),
      (r) => r.body.status !== 'running',
    );
    expect(done.body).toMatchObject({ status: 'succeeded', result: { outcome: 'pass' } });
    secrets.push(...broken.issuedTokens);
  } finally {
    await broken.close();
  }

  const logs = captured.join('');
  expect(logs.length).toBeGreaterThan(1000);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(encodeURIComponent(secret));
  }
});
