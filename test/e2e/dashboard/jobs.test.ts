/**
 * What the admin API's second part brings, in a real browser: the long operations with live progress
 * (the connection checker run from the UI, with its step list and the sign-in it may ask for; the rotation
 * of a tenant's data key), the sign-in provider settings with a write-only client secret, and access rules
 * on an endpoint, checked with the official MCP client.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import type { Browser } from 'playwright-core';
import { ADMIN_PACK, AdminClient, adminTenant, startAdminApp } from '../admin/support.js';
import { startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.js';
import { launchBrowser, TEST_PACK, type OAuthTestApp } from '../oauth/support.js';
import { ensureDashboardBuilt, expectNoProblems, openSection, openUi, signInUi } from './support.js';

let app: OAuthTestApp;
let browser: Browser;
let idp: CompanyIdp;

beforeAll(async () => {
  ensureDashboardBuilt();
  app = await startAdminApp({}, { idpLoopback: true });
  idp = await startCompanyIdp(`${app.url}/oauth/upstream/callback`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await app?.close();
});

describe('connection checker', () => {
  it('runs from the UI with a live step list and reports every step of a healthy endpoint', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.owner);
      await openSection(ui, 'Connection checker');
      await ui.page.getByLabel('Latency burst (requests)').fill('5');
      await ui.page.getByRole('button', { name: 'Run check' }).click();
      const steps = ui.page.locator('.check-steps li');
      await steps.first().waitFor();
      expect(await steps.count()).toBeGreaterThan(15);
      await ui.shot('checker-running', ui.page.locator('#check-progress'));

      // Our own endpoint: the check may ask the person to sign in and approve, as Claude would.
      const signIn = ui.page.getByRole('link', { name: 'Open the sign-in page' });
      const report = ui.page.getByText(/^(Passed|Failed|Incomplete): \d+ passed/);
      await Promise.race([signIn.waitFor({ timeout: 60_000 }), report.waitFor({ timeout: 60_000 })]);
      if (await signIn.isVisible()) {
        const popup = ui.context.waitForEvent('page');
        await signIn.click();
        const tab = await popup;
        await tab.getByLabel('Email').fill(t.people.owner.email);
        await tab.getByLabel('Password').fill(t.people.owner.password);
        await tab.getByRole('button', { name: 'Sign in' }).click();
        await tab.getByRole('button', { name: 'Allow' }).click();
        await tab.waitForLoadState();
        await tab.close();
      }
      await report.waitFor({ timeout: 90_000 });
      expect(await report.innerText()).toMatch(/^Passed: /);
      const reachability = ui.page.locator('.check-steps li', { hasText: 'Reachability' });
      await reachability.getByText('pass', { exact: true }).waitFor();
      expect(await ui.page.locator('.check-steps .badge.bad').count()).toBe(0);
      await ui.shot('checker-report', ui.page.locator('#check-progress'));
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});

describe('settings with background jobs', () => {
  it('rotates the tenant data key with progress; the secrets keep working', async () => {
    const t = await adminTenant(app);
    const key = AdminClient.key(app, t.ownerKey);
    const conn = await key.post<{ id: string }>(`/tenants/${t.slug}/connections`, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example' },
    });
    await key.put(`/tenants/${t.slug}/connections/${conn.body.id}/secrets/token`, {
      value: 'tok-good-0123456789',
    });
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.owner);
      await openSection(ui, 'Settings');
      const vault = ui.page.getByRole('region', { name: 'Encryption keys' });
      const version = vault.getByRole('row', { name: /Data key version/ });
      await version.waitFor();
      const before = Number((await version.locator('td').innerText()).trim());
      await vault.getByRole('button', { name: 'Rotate data key' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
      await vault.getByText('succeeded', { exact: true }).waitFor({ timeout: 60_000 });
      await vault.getByText(/\d+ of \d+ secrets re-encrypted/).waitFor();
      await vault.getByRole('row', { name: `Data key version ${before + 1}` }).waitFor();
      await ui.shot('settings-vault', vault);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const test = await key.post<{ ok: boolean }>(`/tenants/${t.slug}/connections/${conn.body.id}/test`);
    expect(test.body.ok).toBe(true);
  });

  it('saves the sign-in provider with a write-only client secret, and removes it', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.owner);
      await openSection(ui, 'Settings');
      const panel = ui.page.getByRole('region', { name: 'Sign-in provider' });
      await panel.getByText('not configured').waitFor();
      expect(await panel.getByLabel('Redirect URI', { exact: true }).innerText()).toBe(
        `${app.url}/oauth/upstream/callback`,
      );
      await panel.getByLabel('Issuer URL').fill(idp.issuer);
      await panel.getByLabel('Button label').fill('Company Login');
      await panel.getByLabel('Client ID').fill(idp.clientId);
      await panel.getByLabel('Client secret').fill(idp.clientSecret);
      await panel.getByLabel('Email domains').fill(`${t.slug}.example`);
      await panel.getByRole('button', { name: 'Save sign-in provider' }).click();
      await ui.page.getByText('Sign-in provider saved').waitFor();
      await panel.getByText('configured', { exact: true }).waitFor();
      expect(await panel.getByLabel('Client secret').inputValue()).toBe('');
      await panel.getByText('A secret is set.', { exact: false }).waitFor();
      expect(await ui.page.content()).not.toContain(idp.clientSecret);
      await ui.shot('settings-idp', panel);

      const providers = await fetch(`${app.url}/api/v1/session/providers?tenant=${t.slug}`);
      expect(((await providers.json()) as { providers: unknown[] }).providers).toEqual([
        { tenant: t.slug, name: 'Company Login' },
      ]);

      await panel.getByRole('button', { name: 'Remove provider' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Remove provider' }).click();
      await panel.getByText('not configured').waitFor();
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});

describe('access rules', () => {
  it('denies one tool to every member of the tenant on an endpoint, which their MCP client then lacks', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, TEST_PACK, { endpointSlug: 'default' });
    const { key } = await app.running.app
      .get(ApiKeyService)
      .create(t.slug, { userEmail: t.people.member.email });
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Endpoints');
      await ui.page.getByRole('link', { name: 'Default' }).click();
      const rules = ui.page.getByRole('region', { name: 'Access rules' });
      await rules.getByText('No rules: roles alone decide.').waitFor();
      await rules.getByLabel('Effect').selectOption('deny');
      await rules.getByLabel('Who').selectOption('role:member');
      await rules.getByLabel('Tool').selectOption('write_note');
      await rules.getByRole('button', { name: 'Add rule' }).click();
      await ui.page.getByText('Rule added: it applies at once').waitFor();
      await rules.getByRole('cell', { name: 'members', exact: true }).waitFor();
      await ui.shot('endpoint-access-rules', rules);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const client = new Client({ name: 'dashboard-rules', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/t/${t.slug}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((x) => x.name);
      expect(names).toContain('read_notes');
      expect(names).not.toContain('write_note');
    } finally {
      await client.close();
    }
  });
});
