/**
 * What the dashboard's browser tests share: the built app (built here when missing or older than its
 * sources), a server with the admin test pack, a real Chromium at a 1366×768 laptop size, sign-in through
 * the dashboard's own page, screenshots under test-results/dashboard, and a watch on the browser console
 * (a CSP violation or an uncaught error fails the test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { OAuthTestApp } from '../oauth/support.js';

const root = process.cwd();
const appDir = join(root, 'apps', 'dashboard');
const built = join(appDir, 'dist', 'index.html');
export const SCREENSHOTS = join(root, 'test-results', 'dashboard');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard the way `npm run build` does, unless the build is already newer than its sources. */
export function ensureDashboardBuilt(): void {
  const sources = Math.max(newestSource(join(appDir, 'src')), statSync(join(appDir, 'index.html')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'apps/dashboard/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('building the dashboard failed');
}

export interface Ui {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  readonly problems: string[];
  /** A screenshot of what a 1366×768 screen shows: the top of the page, or `at` scrolled into view. */
  shot(name: string, at?: Locator): Promise<void>;
  close(): Promise<void>;
}

export async function openUi(browser: Browser, app: OAuthTestApp): Promise<Ui> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    baseURL: app.url,
    acceptDownloads: true,
    colorScheme: 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A 4xx the app handles (a refused sign-in, a missing page) is logged by the browser as a failed load.
    if (
      m.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())
    )
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    context,
    page,
    problems,
    async shot(name, at) {
      if (at) await at.scrollIntoViewIfNeeded();
      else await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    async close() {
      await context.close();
    },
  };
}

/** Signs in on the dashboard's own sign-in page, starting from `path`, and waits for the app. */
export async function signInUi(
  ui: Ui,
  person: { email: string; password: string },
  path = '/admin/',
): Promise<void> {
  const { page } = ui;
  await page.goto(path);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens a page of the tenant from the sidebar, as a person would. */
export async function openSection(ui: Ui, label: string): Promise<void> {
  await ui.page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
  await ui.page.getByRole('heading', { level: 1 }).first().waitFor();
}

export function expectNoProblems(ui: Ui): void {
  expect(ui.problems).toEqual([]);
}
