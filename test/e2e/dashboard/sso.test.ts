/**
 * Signing in to the dashboard through the tenant's own OpenID Connect provider, in a real browser:
 * "Continue with <provider>" on the sign-in page, the provider's page, back to where the person was going;
 * and a refusal shown in plain words.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { IdentityProviderService } from '../../../src/oauth/upstream/identity-provider.service.js';
import { adminTenant, startAdminApp, type AdminTenant } from '../admin/support.js';
import { startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.js';
import { launchBrowser, type OAuthTestApp } from '../oauth/support.js';
import { ensureDashboardBuilt, expectNoProblems, openUi } from './support.js';

let app: OAuthTestApp;
let idp: CompanyIdp;
let browser: Browser;

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

async function withIdp(t: AdminTenant): Promise<void> {
  await app.running.app.get(IdentityProviderService).set(t.slug, {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    displayName: 'Company Login',
    allowedDomains: [`${t.slug}.example`],
  });
}

describe('single sign-on in the dashboard', () => {
  it('continues with the company provider and lands where the person was going', async () => {
    const t = await adminTenant(app);
    await withIdp(t);
    idp.addAccount('ada', { email: t.people.member.email, email_verified: true });
    const ui = await openUi(browser, app);
    try {
      await ui.page.goto(`/admin/t/${t.slug}/usage`);
      await ui.page.waitForURL(/\/admin\/sign-in\?/);
      await ui.page.getByLabel('Company sign-in').fill(t.slug);
      await ui.page.getByRole('button', { name: 'Find' }).click();
      const go = ui.page.getByRole('button', { name: 'Continue with Company Login' });
      await go.waitFor();
      await ui.shot('sign-in-sso');
      await go.click();
      await ui.page.getByLabel('Company username').fill('ada');
      await ui.page.getByRole('button', { name: 'Sign in to Company' }).click();
      await ui.page.waitForURL(new RegExp(`/admin/t/${t.slug}/usage$`));
      await ui.page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
      expect(await ui.page.getByText(`Signed in as ${t.people.member.email}`).count()).toBe(1);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });

  it('says in plain words why the provider’s answer was refused', async () => {
    const t = await adminTenant(app);
    await withIdp(t);
    idp.addAccount('stranger', { email: `stranger@${t.slug}.example`, email_verified: true });
    const ui = await openUi(browser, app);
    try {
      await ui.page.goto(`/admin/sign-in?tenant=${t.slug}`);
      await ui.page.getByRole('button', { name: 'Continue with Company Login' }).click();
      await ui.page.getByLabel('Company username').fill('stranger');
      await ui.page.getByRole('button', { name: 'Sign in to Company' }).click();
      await ui.page.waitForURL(/signin_error=not_member/);
      await ui.page
        .getByText('Your company account is not a member of this tenant.', { exact: false })
        .waitFor();
      expect(await ui.page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      expectNoProblems(ui);
    } finally {
      await ui.close();
    }
  });
});
