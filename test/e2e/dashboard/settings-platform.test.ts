/**
 * The dashboard in a real browser: connected apps (a real OAuth grant revoked), settings (rate limits,
 * audit retention), the platform operator's tenant list (create, suspend, reactivate), and what a viewer
 * is not offered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { uniqueSlug } from '../../support/app.js';
import { AdminClient, adminTenant, startAdminApp } from '../admin/support.js';
import { launchBrowser, obtainTokens, TEST_PACK, type OAuthTestApp } from '../oauth/support.js';
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

describe('connected apps', () => {
  it('lists the app a member authorized and revokes it', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
    await obtainTokens(
      app,
      `${app.config.publicUrl}/t/${t.slug}/mcp`,
      t.people.member,
      `${app.fixture.url}/callback`,
    );
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Connected apps');
      const row = ui.page.getByRole('row', { name: new RegExp(t.people.member.email) });
      await row.waitFor();
      await ui.shot('connected-apps');
      await row.getByRole('button', { name: /^Revoke / }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await ui.page.getByText(/No app is connected yet/).waitFor();
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const grants = await AdminClient.key(app, t.ownerKey).get<{ items: unknown[] }>(
      `/tenants/${t.slug}/grants`,
    );
    expect(grants.body.items).toEqual([]);
  });
});

describe('settings', () => {
  it('changes the rate-limit policy and audit retention; a viewer only reads them', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Settings');
      const limits = ui.page.getByRole('region', { name: 'Rate limits' });
      await limits.getByRole('cell', { name: '600 per minute' }).first().waitFor();
      await limits.getByLabel('Plan').selectOption('free');
      await limits.getByLabel('Each tool, per caller').selectOption('custom');
      await limits.getByLabel('Calls').fill('0');
      await limits.getByRole('button', { name: 'Save rate limits' }).click();
      await limits.getByText('Enter a whole number of at least 1.').waitFor();
      await limits.getByLabel('Calls').fill('5');
      await limits.getByRole('button', { name: 'Add a tool limit' }).click();
      await limits.getByLabel('Tool name').fill('search');
      await limits.getByRole('button', { name: 'Save rate limits' }).click();
      await ui.page.getByText('Rate limits saved: they apply at once').waitFor();
      await limits.getByRole('cell', { name: '5 per minute' }).waitFor();

      const audit = ui.page.getByRole('region', { name: 'Audit log' });
      await audit.getByLabel('Keep events for (days)').fill('90');
      await audit.getByRole('button', { name: 'Save audit settings' }).click();
      await ui.page.getByText('Audit settings saved').waitFor();
      await ui.shot('settings');
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const key = AdminClient.key(app, t.ownerKey);
    expect((await key.get(`/tenants/${t.slug}/rate-limit-policy`)).body).toMatchObject({
      plan: 'free',
      limits: {
        tool: { points: 5, windowSeconds: 60 },
        tools: { search: { points: 10, windowSeconds: 60 } },
      },
    });
    expect((await key.get(`/tenants/${t.slug}/audit/settings`)).body).toMatchObject({ retentionDays: 90 });

    const viewer = await openUi(browser, app);
    try {
      await signInUi(viewer, t.people.viewer);
      await openSection(viewer, 'Settings');
      await viewer.page
        .getByRole('region', { name: 'Rate limits' })
        .getByRole('cell', { name: '5 per minute' })
        .waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Save rate limits' }).count()).toBe(0);
      await openSection(viewer, 'Connections');
      expect(await viewer.page.getByRole('button', { name: 'Add integration' }).count()).toBe(0);
      expectNoProblems(viewer);
    } finally {
      await viewer.close();
    }
  });
});

describe('platform operators', () => {
  it('create, suspend and reactivate tenants from the tenant list', async () => {
    const t = await adminTenant(app);
    await app.accounts.setOperator(t.people.viewer.email, true);
    const slug = uniqueSlug('op');
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.viewer);
      await ui.page.getByRole('link', { name: 'All tenants' }).click();
      await ui.page.getByRole('heading', { name: 'All tenants', level: 1 }).waitFor();
      await ui.page.getByLabel('Slug').fill(slug);
      await ui.page.getByLabel('Name', { exact: true }).fill('Operated Co');
      await ui.page.getByLabel('Owner email').fill(`boss@${slug}.example`);
      await ui.page.getByRole('button', { name: 'Create tenant' }).click();
      await ui.page.getByText(`Tenant Operated Co created; its owner is boss@${slug}.example`).waitFor();

      await ui.page.getByLabel('Search').fill(slug);
      const row = ui.page.getByRole('row', { name: new RegExp(slug) });
      await row.getByText('active', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'Suspend Operated Co' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
      await row.getByText('suspended', { exact: true }).waitFor();
      await ui.shot('platform-tenants');
      const mcp = await fetch(`${app.url}/t/${slug}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(mcp.status).toBe(403);

      await row.getByRole('button', { name: 'Reactivate Operated Co' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
      await row.getByText('active', { exact: true }).waitFor();
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});
