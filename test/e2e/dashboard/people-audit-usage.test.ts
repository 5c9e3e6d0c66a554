/**
 * The dashboard in a real browser: members and roles (an invitation accepted on its own page, a role
 * changed, a member removed), the audit log (filters, live tail, export with progress, the chain badge),
 * and usage charts drawn from real calls made with the official MCP client.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { ADMIN_PACK, AdminClient, adminTenant, signIn, startAdminApp } from '../admin/support.js';
import { launchBrowser, type OAuthTestApp } from '../oauth/support.js';
import { ensureDashboardBuilt, expectNoProblems, openSection, openUi, signInUi } from './support.js';

let app: OAuthTestApp;
let browser: Browser;

beforeAll(async () => {
  ensureDashboardBuilt();
  app = await startAdminApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('members and roles', () => {
  it('invites someone with a link shown once, who joins on the invitation page; then changes their role', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    const email = `new-person@${t.slug}.example`;
    try {
      await signInUi(ui, t.people.owner);
      await openSection(ui, 'Members');
      await ui.page.getByLabel('Email').fill(email);
      await ui.page.getByLabel('Role', { exact: true }).selectOption('viewer');
      await ui.page.getByRole('button', { name: 'Create invitation' }).click();
      const link = ui.page.getByLabel('Invitation link', { exact: true });
      await link.waitFor();
      const acceptUrl = (await link.innerText()).trim();
      expect(acceptUrl).toMatch(new RegExp(`^${app.url}/admin/invite#token=`));
      await ui.page.getByRole('row', { name: new RegExp(email) }).waitFor();
      await ui.shot('members-invited');

      const guest = await openUi(browser, app);
      try {
        await guest.page.goto(acceptUrl);
        await guest.page.getByText(`as viewer`).waitFor();
        await guest.page.getByLabel('Choose a password').fill('correct horse battery staple');
        await guest.page.getByLabel('Type it again').fill('correct horse battery staple');
        await guest.shot('invitation-accept');
        await guest.page.getByRole('button', { name: /^Join / }).click();
        await guest.page.getByRole('button', { name: 'Sign out' }).waitFor();
        await guest.page.waitForURL(new RegExp(`/admin/t/${t.slug}$`));
        expect(guest.page.url()).not.toContain('token=');
        expectNoProblems(guest);
      } finally {
        await guest.close();
      }

      await ui.page.reload();
      const row = ui.page
        .getByRole('row', { name: new RegExp(email) })
        .filter({ has: ui.page.getByRole('combobox') });
      await row.getByLabel(`Role of ${email}`).selectOption('member');
      await ui.page.getByText(`${email} is now member`).waitFor();
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const members = await AdminClient.key(app, t.ownerKey).get<{ items: { email: string; role: string }[] }>(
      `/tenants/${t.slug}/members?limit=200`,
    );
    expect(members.body.items.find((m) => m.email === email)?.role).toBe('member');
  });

  it('changes a role and removes a member; admins cannot make owners', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Members');
      const select = ui.page.getByLabel(`Role of ${t.people.member.email}`);
      await select.waitFor();
      expect(await select.locator('option').allInnerTexts()).toEqual(['admin', 'member', 'viewer']);
      await select.selectOption('viewer');
      await ui.page.getByText(`${t.people.member.email} is now viewer`).waitFor();
      await ui.page.getByRole('button', { name: `Remove ${t.people.viewer.email}` }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
      await ui.page.getByText(`${t.people.viewer.email} removed`).waitFor();
      expect(await ui.page.getByRole('row', { name: new RegExp(t.people.viewer.email) }).count()).toBe(0);
      await ui.shot('members');
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});

describe('audit log', () => {
  it('filters, tails live, exports with progress and shows the chain verified', async () => {
    const t = await adminTenant(app);
    const key = AdminClient.key(app, t.ownerKey);
    expect((await key.post(`/tenants/${t.slug}/endpoints`, { slug: 'ops', name: 'Ops' })).status).toBe(201);
    expect((await key.patch(`/tenants/${t.slug}`, { name: 'Renamed Inc' })).status).toBe(200);
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Audit log');
      await ui.page.getByText(/Chain verified · \d+ events/).waitFor();

      await ui.page.getByLabel('Action').fill('endpoint.*');
      await ui.page.getByRole('button', { name: 'Apply filters' }).click();
      await ui.page.waitForURL(/action=endpoint\.\*/);
      // The filtered list replaces the whole one: wait for exactly its rows.
      const rowCount = (n: number) =>
        ui.page.waitForFunction((k) => document.querySelectorAll('main tbody tr').length === k, n);
      await rowCount(1);
      await ui.page.getByRole('cell', { name: /endpoint\.create/ }).waitFor();
      expect(await ui.page.getByRole('cell', { name: /tenant\.update/ }).count()).toBe(0);

      await ui.page.getByLabel('Live tail').check();
      expect((await key.patch(`/tenants/${t.slug}/endpoints/ops`, { name: 'Operations' })).status).toBe(200);
      await ui.page.getByRole('cell', { name: /endpoint\.update/ }).waitFor({ timeout: 20_000 });
      await rowCount(2);
      await ui.page.getByLabel('Live tail').uncheck();
      await ui.shot('audit');

      await ui.page.getByLabel('Format').selectOption('csv');
      const download = ui.page.waitForEvent('download');
      await ui.page.getByRole('button', { name: 'Export the filtered log' }).click();
      const file = await download;
      await ui.page.getByText(/Export ready/).waitFor();
      expect(await ui.page.getByText(/2 events/).count()).toBeGreaterThan(0);
      expect(file.suggestedFilename()).toMatch(new RegExp(`^audit-${t.slug}-.*\\.csv$`));
      const csv = await readFile((await file.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^seq,id,tenantId/);
      expect(csv).toContain('endpoint.create');
      expect(csv).toContain('endpoint.update');
      expect(csv).not.toContain('tenant.update');
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});

describe('usage', () => {
  it('charts calls, errors, rate-limited calls, latency, top tools and endpoints from real MCP calls', async () => {
    const t = await adminTenant(app);
    const key = AdminClient.key(app, t.ownerKey);
    const conn = await key.post<{ id: string }>(`/tenants/${t.slug}/connections`, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    await key.put(`/tenants/${t.slug}/connections/${conn.body.id}/secrets/token`, {
      value: 'any-token-value',
    });
    await key.put(`/tenants/${t.slug}/endpoints/default/connections/${conn.body.id}`, { mode: 'all' });
    await key.put(`/tenants/${t.slug}/rate-limit-policy`, {
      plan: 'team',
      overrides: { tools: { delete_contact: { points: 1, windowSeconds: 3600 } } },
    });
    const client = new Client({ name: 'dashboard-usage', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/t/${t.slug}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${t.ownerKey}` } },
      }),
    );
    try {
      for (const name of ['ada', 'bob', 'cy'])
        await client.callTool({ name: 'find_contact', arguments: { name } });
      await client.callTool({ name: 'find_contact', arguments: {} }).catch(() => undefined); // invalid: an error
      await client.callTool({ name: 'delete_contact', arguments: { id: '1' } });
      // Over the tool's limit of one an hour: refused, and counted as rate-limited.
      await client.callTool({ name: 'delete_contact', arguments: { id: '2' } }).catch(() => undefined);
    } finally {
      await client.close();
    }
    const viewer = await signIn(app, t.people.viewer);
    const usage = await viewer.get<{ totals: { calls: number; rateLimited: number } }>(
      `/tenants/${t.slug}/usage`,
    );
    expect(usage.body.totals.rateLimited).toBeGreaterThanOrEqual(1);

    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.viewer);
      await openSection(ui, 'Usage');
      await ui.page.getByLabel('Period', { exact: true }).selectOption('1h');
      const totals = ui.page.getByLabel('Totals');
      await totals.getByText(String(usage.body.totals.calls), { exact: true }).waitFor();
      await ui.page.getByRole('img', { name: /^Calls per 1m/ }).waitFor();
      await ui.page.getByRole('img', { name: /^95th percentile latency/ }).waitFor();
      expect(await ui.page.locator('.chart canvas').count()).toBe(2);
      const rateLimited = await totals
        .locator('.stat', { hasText: 'Rate-limited' })
        .locator('.value')
        .innerText();
      expect(Number(rateLimited)).toBeGreaterThanOrEqual(1);
      const top = ui.page.getByRole('region', { name: 'Top tools' });
      expect(await top.locator('tbody tr').first().locator('td').first().innerText()).toBe('find_contact');
      await ui.page
        .getByRole('region', { name: 'Per endpoint' })
        .getByRole('cell', { name: 'default' })
        .waitFor();
      await ui.shot('usage');

      await openSection(ui, 'Home');
      await ui.page.getByRole('cell', { name: 'delete_contact' }).first().waitFor();
      await ui.shot('home-with-calls');
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});
