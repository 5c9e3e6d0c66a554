/**
 * The connection checker run from the server as a job: our own endpoint checked signed in as the
 * requesting member (no browser, nothing left behind), other servers through the SSRF guard with a
 * browser sign-in that comes back to the state-bound callback, and the job routes around it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { startBrokenDeployment } from '../checker/broken-servers.js';
import { TEST_PACK, type OAuthTestApp } from '../oauth/support.js';
import {
  AdminClient,
  adminTenant,
  auditEvents,
  expectError,
  sessions,
  startAdminApp,
  type AdminTenant,
} from './support.js';

interface Step {
  readonly id: string;
  readonly outcome: string;
  readonly summary: string;
  readonly data?: Record<string, unknown>;
}
interface Job {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly error: string | null;
  readonly progress: {
    steps: { id: string }[];
    results: Step[];
    current?: string;
    action?: { kind: string; url: string };
  } | null;
  readonly result: {
    outcome: string;
    strategy: string | null;
    steps: Step[];
    summary: { failedSteps: string[] };
  } | null;
}

let app: OAuthTestApp;

beforeAll(async () => {
  // The operator's egress allow-list opens loopback, where the "other" MCP servers of these tests live.
  app = await startAdminApp({ SWITCHBOARD_EGRESS_ALLOW: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
});

async function tenantWithTools(): Promise<AdminTenant> {
  const t = await adminTenant(app);
  await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
  return t;
}

/** Polls a job (any node answers) until `done` says so; generous deadline for a loaded machine. */
async function waitForJob(
  client: AdminClient,
  slug: string,
  id: string,
  done: (job: Job) => boolean = (j) => !['queued', 'running'].includes(j.status),
): Promise<Job> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await client.get<Job>(`/tenants/${slug}/jobs/${id}`);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stepsOf(job: Job): Record<string, Step> {
  return Object.fromEntries((job.result?.steps ?? []).map((s) => [s.id, s]));
}

describe('connection check of our own endpoint', () => {
  it('passes in both eras signed in as the requesting admin, and leaves no client or grant behind', async () => {
    const t = await tenantWithTools();
    const s = await sessions(app, t);
    const started = await s.admin.post<{ job: Job }>(`/tenants/${t.slug}/checks`, { burst: 5 });
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ kind: 'check', status: 'running' });
    const job = await waitForJob(s.admin, t.slug, started.body.job.id);

    expect(job.status).toBe('succeeded');
    expect(job.result?.outcome).toBe('pass');
    expect(job.result?.strategy).toBe('switchboard-member');
    const steps = stepsOf(job);
    for (const id of ['authorization', 'token-exchange', 'token-audience', 'latency'])
      expect(`${id}: ${steps[id]?.outcome}`).toBe(`${id}: pass`);
    for (const era of ['legacy', 'modern'])
      for (const part of ['tools', 'resources', 'prompts', 'tool-call'])
        expect(steps[`${era}.${part}`]?.outcome).toMatch(/pass|skipped/);
    expect(steps['legacy.initialize']?.outcome).toBe('pass');
    expect(steps['modern.discover']?.outcome).toBe('pass');
    expect(steps['legacy.tool-call']?.outcome).toBe('pass');
    expect(job.progress?.results).toHaveLength(job.progress!.steps.length);
    expect(job.progress?.current).toBeUndefined();

    // The check's own client, its grant, refresh tokens and provider session are gone.
    const clientId = steps['client-registration']?.data?.clientId as string;
    expect(clientId).toMatch(/^dcr_/);
    const prisma = app.running.app.get(PrismaService);
    const left = await prisma.oAuthPayload.findMany({
      where: { OR: [{ model: 'Client', id: clientId }, { clientId }] },
    });
    expect(left).toEqual([]);
    const grants = await s.admin.get<{ items: { clientId: string }[] }>(`/tenants/${t.slug}/grants`);
    expect(grants.body.items.filter((g) => g.clientId === clientId)).toEqual([]);
    const [consent] = await auditEvents(app, t, 'consent.granted');
    const grantId = consent?.data.grantId as string;
    expect(consent).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { clientId, scopes: ['mcp'] },
    });
    expect(await prisma.oAuthPayload.count({ where: { OR: [{ id: grantId }, { grantId }] } })).toBe(0);
    const sessionsLeft = (await prisma.oAuthPayload.findMany({ where: { model: 'Session' } })).filter(
      (row) => (row.payload as { accountId?: string }).accountId === t.people.admin.userId,
    );
    expect(sessionsLeft).toEqual([]);

    // Audited: who started it, the sign-in on their behalf, its consent and its removal, the outcome.
    const actions = (await auditEvents(app, t)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'check.start',
        'check.finish',
        'signin.success',
        'consent.granted',
        'token.revoked',
      ]),
    );
    const [signin] = await auditEvents(app, t, 'signin.success');
    expect(signin).toMatchObject({
      actor: { id: t.people.admin.userId },
      data: { method: 'connection-check', clientId },
    });
    const [finish] = await auditEvents(app, t, 'check.finish');
    expect(finish).toMatchObject({ outcome: 'success', data: { outcome: 'pass', jobId: job.id } });
  });

  it("an API key's check signs in as the key's member; a member may check, a viewer may only read", async () => {
    const t = await tenantWithTools();
    const s = await sessions(app, t);
    const byKey = await AdminClient.key(app, t.ownerKey).post<{ job: Job }>(`/tenants/${t.slug}/checks`, {
      endpoint: 'default',
      burst: 0,
    });
    expect(byKey.status).toBe(202);
    const job = await waitForJob(s.viewer, t.slug, byKey.body.job.id);
    expect(job.result?.outcome).toBe('pass');
    const [signin] = await auditEvents(app, t, 'signin.success');
    expect(signin).toMatchObject({ actor: { id: t.people.owner.userId } });

    expectError(await s.viewer.post(`/tenants/${t.slug}/checks`, {}), 403, 'forbidden');
    expectError(await s.viewer.post(`/tenants/${t.slug}/jobs/${job.id}/cancel`), 403, 'forbidden');
    const member = await s.member.post<{ job: Job }>(`/tenants/${t.slug}/checks`, { burst: 0 });
    expect(member.status).toBe(202);
    await waitForJob(s.member, t.slug, member.body.job.id);
    const list = await s.viewer.get<{ items: Job[] }>(`/tenants/${t.slug}/jobs?kind=check`);
    expect(list.body.items.map((j) => j.id)).toEqual([member.body.job.id, job.id]);
  });

  it('refuses bad input and hides one tenant’s jobs from another', async () => {
    const t = await tenantWithTools();
    const other = await tenantWithTools();
    const s = await sessions(app, t);
    const base = `/tenants/${t.slug}/checks`;
    expectError(await s.admin.post(base, { endpoint: 'nope' }), 404, 'not_found');
    expectError(await s.admin.post(base, { endpoint: 'Not A Slug' }), 400, 'invalid_argument');
    expectError(await s.admin.post(base, { url: 'ftp://example.com/mcp' }), 400, 'invalid_argument');
    expectError(await s.admin.post(base, { url: 'https://u:p@example.com/mcp' }), 400, 'invalid_argument');
    expectError(await s.admin.post(base, { burst: 100000 }), 400, 'invalid_argument');
    expectError(await s.admin.post(base, { surprise: true }), 400, 'invalid_argument');
    const started = await s.admin.post<{ job: Job }>(base, { burst: 0 });
    const id = started.body.job.id;
    const outsider = (await sessions(app, other)).owner;
    expectError(await outsider.get(`/tenants/${t.slug}/jobs/${id}`), 404, 'not_found');
    expectError(await outsider.get(`/tenants/${other.slug}/jobs/${id}`), 404, 'not_found');
    expectError(await s.admin.get(`/tenants/${t.slug}/jobs/not-a-uuid`), 400, 'invalid_argument');
    await waitForJob(s.admin, t.slug, id);
    expectError(await s.admin.post(`/tenants/${t.slug}/jobs/${id}/cancel`), 409, 'conflict');
  });
});

describe('connection check of another server', () => {
  it('names the failing step of a broken server reached through the egress guard', async () => {
    const broken = await startBrokenDeployment({ noProtectedResourceMetadata: true });
    try {
      const t = await tenantWithTools();
      const s = await sessions(app, t);
      const started = await s.member.post<{ job: Job }>(`/tenants/${t.slug}/checks`, {
        url: broken.mcpUrl,
        endpoint: 'ignored-when-url-is-set',
      });
      expect(started.status).toBe(202);
      const job = await waitForJob(s.member, t.slug, started.body.job.id);
      expect(job.status).toBe('succeeded');
      expect(job.result?.outcome).toBe('fail');
      expect(job.result?.summary.failedSteps[0]).toBe('protected-resource-metadata');
      const [finish] = await auditEvents(app, t, 'check.finish');
      expect(finish).toMatchObject({ outcome: 'failure', target: broken.mcpUrl });
    } finally {
      await broken.close();
    }
  });

  it('refuses a cloud metadata address whatever the allow-list says', async () => {
    const t = await tenantWithTools();
    const s = await sessions(app, t);
    const started = await s.admin.post<{ job: Job }>(`/tenants/${t.slug}/checks`, {
      url: 'http://169.254.169.254/mcp',
    });
    const job = await waitForJob(s.admin, t.slug, started.body.job.id);
    expect(job.result?.summary.failedSteps[0]).toBe('reachability');
    expect(stepsOf(job).reachability?.summary).toMatch(/cloud metadata address/);
  });

  it('shows the sign-in link, takes the browser back through the callback, and refuses a wrong state', async () => {
    const broken = await startBrokenDeployment({ tokenAudience: 'https://elsewhere.example/mcp' });
    try {
      const t = await tenantWithTools();
      const s = await sessions(app, t);
      const started = await s.admin.post<{ job: Job }>(`/tenants/${t.slug}/checks`, {
        url: broken.mcpUrl,
        burst: 0,
      });
      const id = started.body.job.id;
      const waiting = await waitForJob(s.admin, t.slug, id, (j) => j.progress?.action !== undefined);
      expect(waiting.status).toBe('running');
      expect(waiting.progress?.current).toBe('authorization');
      const action = waiting.progress!.action!;
      expect(action.kind).toBe('open-authorization-url');
      const authorizationUrl = new URL(action.url);
      expect(authorizationUrl.origin).toBe(broken.origin);
      expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(`${app.url}/api/v1/checks/callback`);

      // Someone else's (or a stale) redirect: refused with a page, and the check keeps waiting.
      const forged = await fetch(`${app.url}/api/v1/checks/callback?code=x&state=not-the-state`);
      expect(forged.status).toBe(400);
      expect(forged.headers.get('content-type')).toMatch(/text\/html/);
      expect(await forged.text()).toContain('Not a running check');
      const missing = await fetch(`${app.url}/api/v1/checks/callback`);
      expect(missing.status).toBe(400);

      // The person opens the link; the server redirects the browser back to us.
      const consent = await fetch(authorizationUrl, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe(`${app.url}/api/v1/checks/callback`);
      const landed = await fetch(back);
      expect(landed.status).toBe(200);
      expect(await landed.text()).toContain('You can close this tab');
      // The same redirect again (a reload, a replay): the state works once.
      const replay = await fetch(back);
      expect(replay.status).toBe(400);

      const job = await waitForJob(s.admin, t.slug, id);
      expect(job.result?.outcome).toBe('fail');
      expect(job.result?.summary.failedSteps[0]).toBe('token-audience');
      expect(stepsOf(job).authorization?.outcome).toBe('pass');
      expect(job.progress?.action).toBeUndefined();
      // No token or code in the job, the audit log or the answers.
      const code = back.searchParams.get('code')!;
      const everything = JSON.stringify([job, await auditEvents(app, t)]);
      expect(everything).not.toContain(code);
      for (const token of broken.issuedTokens) expect(everything).not.toContain(token);
    } finally {
      await broken.close();
    }
  });

  it('cancels a check that waits for a sign-in', async () => {
    const broken = await startBrokenDeployment();
    try {
      const t = await tenantWithTools();
      const s = await sessions(app, t);
      const started = await s.member.post<{ job: Job }>(`/tenants/${t.slug}/checks`, { url: broken.mcpUrl });
      const id = started.body.job.id;
      await waitForJob(s.member, t.slug, id, (j) => j.progress?.action !== undefined);
      const cancelled = await s.member.post<Job>(`/tenants/${t.slug}/jobs/${id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      // The partial report arrives on the cancelled job; the status stays cancelled.
      const job = await waitForJob(s.member, t.slug, id, (j) => j.result !== null);
      expect(job).toMatchObject({ status: 'cancelled', error: 'cancelled' });
      expect(job.result?.outcome).not.toBe('pass');
      const [event] = await auditEvents(app, t, 'job.cancel');
      expect(event).toMatchObject({
        actor: { id: t.people.member.userId },
        data: { kind: 'check', after: { status: 'cancelled' } },
      });
    } finally {
      await broken.close();
    }
  });
});
