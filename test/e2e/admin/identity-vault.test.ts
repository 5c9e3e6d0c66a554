/**
 * A tenant's sign-in provider settings (checked against a real OpenID Connect provider's discovery on
 * loopback; the client secret write-only) and its vault: key status and an online data-key rotation run
 * as a job to completion.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { IdentityProviderService } from '../../../src/oauth/upstream/identity-provider.service.js';
import { VaultService } from '../../../src/vault/vault.service.js';
import { startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.js';
import type { OAuthTestApp } from '../oauth/support.js';
import {
  ADMIN_PACK,
  AdminClient,
  GOOD_TOKEN,
  adminTenant,
  auditEvents,
  expectError,
  sessions,
  startAdminApp,
} from './support.js';

let app: OAuthTestApp;
let idp: CompanyIdp;
/** Answers 404 to everything: an issuer without a discovery document. */
let blank: Server;
let blankUrl: string;

beforeAll(async () => {
  app = await startAdminApp({}, { idpLoopback: true });
  idp = await startCompanyIdp(`${app.url}/oauth/upstream/callback`);
  blank = createServer((_req, res) => res.writeHead(404).end('nothing here'));
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
  blankUrl = `http://127.0.0.1:${(blank.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => blank?.close(r));
  await idp?.close();
  await app?.close();
});

interface Provider {
  issuer: string;
  clientId: string;
  domains: string[];
  jitRole: string | null;
  clientSecretSet: boolean;
  updatedAt: string;
  redirectUri: string;
}

describe('sign-in provider settings', () => {
  it('sets, reads, changes and removes the provider; the secret is write-only', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/identity-provider`;
    expect((await s.admin.get(base)).body).toEqual({ provider: null });

    const body = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: [`${t.slug}.example`],
      jitRole: 'viewer',
    };
    // Without the secret the first time; an unreachable or document-less issuer: 400 in words.
    const { clientSecret: _omitted, ...noSecret } = body;
    expectError(await s.admin.put(base, noSecret), 400, 'invalid_argument');
    const noDiscovery = await s.admin.put<{ error: { message: string } }>(base, {
      ...body,
      issuer: blankUrl,
    });
    expectError(noDiscovery, 400, 'invalid_argument');
    expect(noDiscovery.body.error.message).toMatch(/OpenID configuration/);
    const privateAddress = await s.admin.put<{ error: { message: string } }>(base, {
      ...body,
      issuer: 'http://10.1.2.3/',
    });
    expectError(privateAddress, 400, 'invalid_argument');
    expect(privateAddress.body.error.message).toMatch(/private address|refused/i);
    expectError(
      await s.admin.put(base, { ...body, domains: [], jitRole: 'member' }),
      400,
      'invalid_argument',
    );
    expectError(await s.admin.put(base, { ...body, jitRole: 'admin' }), 400, 'invalid_argument');
    expectError(await s.admin.put(base, { ...body, issuer: 'not a url' }), 400, 'invalid_argument');

    const set = await s.admin.put<{ provider: Provider }>(base, body);
    expect(set.status).toBe(200);
    expect(set.body.provider).toMatchObject({
      issuer: idp.issuer,
      clientId: idp.clientId,
      domains: [`${t.slug}.example`],
      jitRole: 'viewer',
      clientSecretSet: true,
      redirectUri: `${app.url}/oauth/upstream/callback`,
    });
    expect(JSON.stringify(set.body)).not.toContain(idp.clientSecret);

    // Change the domains without sending the secret again: the stored one is kept (and still opens).
    const changed = await s.owner.put<{ provider: Provider }>(base, {
      ...noSecret,
      domains: [`${t.slug}.example`, 'partner.example'],
      jitRole: null,
    });
    expect(changed.body.provider).toMatchObject({ jitRole: null, clientSecretSet: true });
    const tenantId = (await app.tenancy.getTenant(t.slug)).id;
    const active = await app.running.app.get(IdentityProviderService).active(tenantId);
    expect(active?.clientSecret).toBe(idp.clientSecret);
    // Another issuer or client id needs the secret again: it must not travel to a provider it is not for.
    expectError(await s.admin.put(base, { ...noSecret, clientId: 'someone-else' }), 400, 'invalid_argument');

    const read = await s.admin.get<{ provider: Provider }>(base);
    expect(read.body.provider.domains).toEqual([`${t.slug}.example`, 'partner.example']);
    expect(JSON.stringify(read.body)).not.toContain(idp.clientSecret);

    // Members and viewers neither read nor change it; another tenant's admin does not see it.
    expectError(await s.member.get(base), 403, 'forbidden');
    expectError(await s.viewer.put(base, body), 403, 'forbidden');
    expectError(await s.member.delete(base), 403, 'forbidden');
    const other = await adminTenant(app);
    expectError(await (await sessions(app, other)).admin.get(base), 404, 'not_found');

    expect((await s.admin.delete(base)).status).toBe(204);
    expect((await s.admin.get(base)).body).toEqual({ provider: null });
    expectError(await s.admin.delete(base), 404, 'not_found');

    const events = await auditEvents(app, t, 'idp.*');
    expect(events.map((e) => e.action).sort()).toEqual(['idp.create', 'idp.delete', 'idp.update']);
    expect(events.find((e) => e.action === 'idp.create')).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { after: { hasClientSecret: true, jitRole: 'viewer' } },
    });
    expect(JSON.stringify(events)).not.toContain(idp.clientSecret);
  });
});

interface Job {
  id: string;
  kind: string;
  status: string;
  progress: { done: number; total: number } | null;
  result: Record<string, unknown> | null;
}

async function waitForJob(
  client: AdminClient,
  slug: string,
  id: string,
): Promise<{ job: Job; seen: string[] }> {
  const deadline = Date.now() + 90_000;
  const seen: string[] = [];
  for (;;) {
    const res = await client.get<Job>(`/tenants/${slug}/jobs/${id}`);
    expect(res.status).toBe(200);
    if (res.body.progress) seen.push(`${res.body.progress.done}/${res.body.progress.total}`);
    if (!['queued', 'running'].includes(res.body.status)) return { job: res.body, seen };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('vault status and data-key rotation', () => {
  it('rotates the data key online as a job, with progress, and the secrets keep working', async () => {
    const t = await adminTenant(app);
    const s = await sessions(app, t);
    const prefix = `/tenants/${t.slug}`;
    expectError(await s.admin.post(`${prefix}/vault/rotations`), 412, 'failed_precondition');
    expect((await s.admin.get(`${prefix}/vault`)).body).toEqual({
      keyVersion: null,
      secrets: 0,
      secretsOnOldKeys: 0,
      kekId: null,
      rotationInProgress: false,
    });

    const connection = await s.admin.post<{ id: string }>(`${prefix}/connections`, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    await s.admin.put(`${prefix}/connections/${connection.body.id}/secrets/token`, { value: GOOD_TOKEN });
    const tenantId = (await app.tenancy.getTenant(t.slug)).id;
    const vault = app.running.app.get(VaultService);
    const values: string[] = [];
    for (let i = 0; i < 119; i++) {
      const value = `v-${randomBytes(8).toString('hex')}`;
      values.push(value);
      await vault.setSecret({ tenantId }, connection.body.id, `extra_${i}`, value);
    }
    const before = await s.admin.get<{ keyVersion: number; kekId: string; secrets: number }>(
      `${prefix}/vault`,
    );
    expect(before.body).toMatchObject({ keyVersion: 1, secrets: 120, secretsOnOldKeys: 0 });
    expect(before.body.kekId).toEqual(expect.any(String));

    // Not for members; another rotation running is a conflict naming it.
    expectError(await s.member.get(`${prefix}/vault`), 403, 'forbidden');
    expectError(await s.member.post(`${prefix}/vault/rotations`), 403, 'forbidden');
    const prisma = app.running.app.get(PrismaService);
    const busy = await prisma.job.create({
      data: {
        tenantId,
        kind: 'vault-rotation',
        status: 'running',
        createdByType: 'user',
        createdBy: 'x',
        leaseUntil: new Date(Date.now() + 60_000),
      },
    });
    const conflict = await s.admin.post<{ error: { details: { jobId: string } } }>(
      `${prefix}/vault/rotations`,
    );
    expectError(conflict, 409, 'conflict');
    expect(conflict.body.error.details.jobId).toBe(busy.id);
    await prisma.job.delete({ where: { id: busy.id } });

    const started = await s.admin.post<{ job: Job }>(`${prefix}/vault/rotations`);
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ kind: 'vault-rotation', status: 'running' });
    const { job, seen } = await waitForJob(s.owner, t.slug, started.body.job.id);
    expect(job.status).toBe('succeeded');
    expect(job.progress).toEqual({ done: 120, total: 120 });
    expect(seen.every((p) => /^\d+\/120$/.test(p))).toBe(true);
    expect(job.result).toMatchObject({
      status: 'completed',
      toVersion: 2,
      reencrypted: 120,
      done: 120,
      total: 120,
      remaining: 0,
      retiredVersions: [1],
    });
    // A member cannot see a rotation job at all.
    expectError(await s.member.get(`${prefix}/jobs/${job.id}`), 404, 'not_found');
    expect((await s.member.get<{ items: Job[] }>(`${prefix}/jobs`)).body.items).toEqual([]);

    const after = await s.admin.get<{ keyVersion: number; rotatedAt: string; kekId: string }>(
      `${prefix}/vault`,
    );
    expect(after.body).toMatchObject({
      keyVersion: 2,
      secrets: 120,
      secretsOnOldKeys: 0,
      rotationInProgress: false,
    });
    expect(Date.parse(after.body.rotatedAt)).not.toBeNaN();
    // The secrets open under the new key: the pack's connection test signs in with the token.
    const test = await s.member.post(`${prefix}/connections/${connection.body.id}/test`);
    expect(test.body).toMatchObject({ ok: true });

    const actions = (await auditEvents(app, t, 'vault.*')).map((e) => e.action).sort();
    expect(actions).toEqual(['vault.rotate', 'vault.rotate.start']);
    const everything = JSON.stringify([job, after.body, await auditEvents(app, t)]);
    for (const v of [GOOD_TOKEN, ...values]) expect(everything).not.toContain(v);
    const other = await adminTenant(app);
    expectError(await (await sessions(app, other)).owner.get(`${prefix}/vault`), 404, 'not_found');
    expectError(
      await AdminClient.key(app, other.ownerKey).post(`${prefix}/vault/rotations`),
      404,
      'not_found',
    );
  });
});
