/**
 * The dashboard in a real browser against a running server: serving and its policy, signing in, the
 * tenant home, adding a connection whose secret is never shown again, an endpoint whose tools are picked
 * in the tool picker (checked with the official MCP client), and an API key shown once then revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Response } from 'playwright-core';
import { ADMIN_PACK, AdminClient, adminTenant, GOOD_TOKEN, startAdminApp } from '../admin/support.js';
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

async function mcpClient(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'dashboard-e2e', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

describe('serving the dashboard', () => {
  it('answers every app route with the uncached app under a strict policy, and hashed assets cached for a year', async () => {
    const page = await fetch(`${app.url}/admin/t/acme/connections`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const asset = /\/admin\/assets\/[\w.-]+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    const js = await fetch(`${app.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${app.url}/admin/assets/missing-abc.js`)).status).toBe(404);
    // The API is untouched by the fallback.
    expect((await fetch(`${app.url}/api/v1/session`)).status).toBe(401);
  });
});

describe('a tenant admin in the dashboard', () => {
  it('signs in, sees the MCP URL and how to add it to Claude', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    try {
      await ui.page.goto('/admin/');
      await ui.page.waitForURL(/\/admin\/sign-in\?next=/);
      await ui.page.getByLabel('Email').fill(t.people.owner.email);
      await ui.page.getByLabel('Password').fill('not the password');
      await ui.page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(ui.page.getByRole('alert').innerText()).resolves.toMatch(/do not match/);
      await ui.shot('sign-in-refused');
      await signInUi(ui, t.people.owner, '/admin/');
      await ui.page.waitForURL(new RegExp(`/admin/t/${t.slug}$`));
      const mcpUrl = `${app.url}/t/${t.slug}/mcp`;
      await ui.page.getByLabel('MCP URL', { exact: true }).waitFor();
      expect(await ui.page.getByLabel('MCP URL', { exact: true }).innerText()).toBe(mcpUrl);
      const steps = await ui.page.locator('ol.steps').innerText();
      expect(steps).toMatch(/Settings → Connectors/);
      expect(steps).toMatch(/Add custom connector/);
      expect(steps).toMatch(/Connect/);
      // Keyboard first: on a fresh load the skip link comes first and lands on the page's content.
      await ui.page.reload();
      await ui.page.getByLabel('MCP URL', { exact: true }).waitFor();
      const before = await ui.page.evaluate(
        () => `${document.activeElement?.tagName}#${document.activeElement?.id}`,
      );
      await ui.page.keyboard.press('Tab');
      expect([before, await ui.page.evaluate(() => document.activeElement?.textContent)]).toEqual([
        'BODY#',
        'Skip to content',
      ]);
      await ui.page.keyboard.press('Enter');
      expect(await ui.page.evaluate(() => document.activeElement?.id)).toBe('main');
      await ui.page.getByRole('button', { name: 'Copy MCP URL' }).focus();
      await ui.page.keyboard.press('Enter');
      await ui.page.getByText('Copied to the clipboard').waitFor();
      expect(await ui.page.evaluate(() => navigator.clipboard.readText())).toBe(mcpUrl);
      await ui.shot('home');

      // The session ends elsewhere (signed out in another tab): the next page load asks to sign in again.
      const csrf = await ui.page.evaluate(async () => {
        const res = await fetch('/api/v1/session');
        return ((await res.json()) as { csrfToken: string }).csrfToken;
      });
      const ended = await ui.page.request.delete('/api/v1/session', {
        headers: { 'X-CSRF-Token': csrf, Origin: app.url },
      });
      expect(ended.status()).toBe(204);
      await openSection(ui, 'Endpoints').catch(() => undefined);
      await ui.page.waitForURL(/\/admin\/sign-in\?next=.*ended=1/);
      await ui.page.getByText('Your session ended. Sign in again to carry on where you were.').waitFor();
      await signInUi(ui, t.people.owner, ui.page.url());
      await ui.page.waitForURL(new RegExp(`/admin/t/${t.slug}/endpoints$`));
      await ui.page.getByRole('button', { name: 'Sign out' }).click();
      await ui.page.waitForURL(/\/admin\/sign-in/);
      expect((await ui.page.request.get('/api/v1/session')).status()).toBe(401);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });

  it('adds a connection with a secret that is never displayed again, tests and rotates it', async () => {
    const t = await adminTenant(app);
    const ui = await openUi(browser, app);
    const seen: string[] = [];
    ui.page.on('response', (r: Response) => {
      if (r.url().includes('/api/v1/'))
        void r.text().then(
          (b) => seen.push(b),
          () => undefined,
        );
    });
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'Connections');
      await ui.page.getByRole('button', { name: 'Add integration' }).click();
      await ui.page.getByRole('button', { name: /Admin e2e CRM/ }).click();
      await ui.page.getByLabel('Connection name').fill('Customer CRM');
      // Rendered from the pack's config schema: a URL field and an enum with its default.
      await ui.page.getByLabel('Base URL').fill('not a url');
      await ui.page.getByLabel('Token').fill(GOOD_TOKEN);
      await ui.page.getByRole('button', { name: 'Add Admin e2e CRM' }).click();
      await ui.page.getByText('Enter a full URL, e.g. https://example.com.').waitFor();
      await ui.shot('connections-add');
      await ui.page.getByLabel('Base URL').fill('https://crm.example.com');
      expect(await ui.page.getByLabel('Region').inputValue()).toBe('eu');
      await ui.page.getByLabel('Region').selectOption('us');
      // The form cleared nothing while it was invalid.
      expect(await ui.page.getByLabel('Token').inputValue()).toBe(GOOD_TOKEN);
      await ui.page.getByRole('button', { name: 'Add Admin e2e CRM' }).click();
      await ui.page.getByRole('heading', { name: 'Customer CRM', level: 1 }).waitFor();
      await ui.page.getByText('set · version 1').waitFor();

      await ui.page.getByRole('button', { name: 'Test connection' }).click();
      await ui.page.getByText('The connection works').waitFor();
      expect(await ui.page.getByText('Signed in to the CRM.').isVisible()).toBe(true);
      await ui.shot('connection');

      await ui.page.getByRole('button', { name: 'Rotate Token' }).click();
      await ui.page.getByLabel('New value for Token').fill('tok-wrong-value-123');
      await ui.page.getByRole('button', { name: 'Save', exact: true }).click();
      await ui.page.getByText('set · version 2').waitFor();
      await ui.page.getByRole('button', { name: 'Test connection' }).click();
      await ui.page.getByText('The connection does not work').waitFor();

      // Never displayed again: not in the page, not after a reload, not in any API answer the page read.
      await ui.page.reload();
      await ui.page.getByText('set · version 2').waitFor();
      const html = await ui.page.content();
      expect(html).not.toContain(GOOD_TOKEN);
      expect(html).not.toContain('tok-wrong-value-123');
      expect(seen.length).toBeGreaterThan(3);
      for (const body of seen) {
        expect(body).not.toContain(GOOD_TOKEN);
        expect(body).not.toContain('tok-wrong-value-123');
      }
      const inputs = await ui.page.locator('input[type=password]').count();
      expect(inputs).toBe(0);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });

  it('creates an endpoint and picks its tools, which is what an MCP client then sees', async () => {
    const t = await adminTenant(app);
    const created = await AdminClient.key(app, t.ownerKey).post(`/tenants/${t.slug}/connections`, {
      packId: ADMIN_PACK,
      name: 'CRM',
      config: { baseUrl: 'https://crm.example.com' },
    });
    expect(created.status).toBe(201);
    const ui = await openUi(browser, app);
    try {
      await signInUi(ui, t.people.owner);
      await openSection(ui, 'Endpoints');
      await ui.page.getByLabel('Slug').fill('support');
      await ui.page.getByLabel('Name', { exact: true }).fill('Support desk');
      await ui.page.getByRole('button', { name: 'Create endpoint' }).click();
      await ui.page.getByRole('heading', { name: 'Support desk', level: 1 }).waitFor();

      const group = ui.page.getByRole('region', { name: 'Tools of CRM' });
      await group.getByRole('button', { name: 'Expose on this endpoint' }).click();
      await group.getByText('exposed', { exact: true }).waitFor();
      // Annotations shown: one read-only tool, one destructive.
      await group.getByText('read-only', { exact: true }).waitFor();
      await group.getByText('destructive', { exact: true }).waitFor();
      await group.getByLabel(/Find contact/).check();
      await ui.page.getByText('Find contact turned on').waitFor();

      await ui.page.getByLabel('Search tools').fill('delete');
      await ui.page.getByText('1 shown · 1 turned on').waitFor();
      expect(await group.getByLabel(/Find contact/).count()).toBe(0);
      await ui.page.getByLabel('Search tools').fill('');

      await group.getByRole('button', { name: 'Edit how find_contact is shown' }).click();
      await group.getByLabel('Title Claude sees').fill('Look up a customer');
      await group.getByRole('button', { name: 'Save', exact: true }).click();
      await group.getByText('customised').waitFor();
      await ui.shot('endpoint-tools', group);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const client = await mcpClient(`${app.url}/t/${t.slug}/e/support/mcp`, t.ownerKey);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => [x.name, x.title])).toEqual([['find_contact', 'Look up a customer']]);
    } finally {
      await client.close();
    }
  });

  it('creates an API key shown once, then only its prefix, and revokes it', async () => {
    const t = await adminTenant(app);
    await app.tenancy.enablePack(t.slug, 'oauth-e2e', { endpointSlug: 'default' });
    const ui = await openUi(browser, app);
    let key: string | undefined;
    try {
      await signInUi(ui, t.people.admin);
      await openSection(ui, 'API keys');
      await ui.page.getByLabel('Name').fill('nightly report');
      await ui.page.getByRole('button', { name: 'Create key' }).click();
      const shown = ui.page.getByLabel('The new API key', { exact: true });
      await shown.waitFor();
      key = (await shown.innerText()).trim();
      expect(key).toMatch(/^sb_/);
      await ui.shot('api-key-created');

      const client = await mcpClient(`${app.url}/t/${t.slug}/mcp`, key);

      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();

      await ui.page.getByRole('button', { name: 'I have stored it' }).click();
      await ui.page.reload();
      const row = ui.page.getByRole('row', { name: /nightly report/ });
      await row.waitFor();
      const prefix = (await row.locator('code').innerText()).replace('…', '');
      expect(key.startsWith(prefix)).toBe(true);
      expect(await ui.page.content()).not.toContain(key);

      await row.getByRole('button', { name: 'Revoke nightly report' }).click();
      await ui.page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await ui.page.getByText('nightly report revoked').waitFor();
      await ui.page.getByLabel('Show revoked keys').check();
      await ui.page
        .getByRole('row', { name: /nightly report/ })
        .getByText(/revoked/)
        .waitFor();
      await ui.shot('api-keys');
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
    const refused = await fetch(`${app.url}/t/${t.slug}/mcp`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${key ?? ''}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: '{}',
    });
    expect(refused.status).toBe(401);
  });
});
