import { CookieJar } from 'tough-cookie';

import { readCapped, requestSignal, toNetworkError } from '../http.js';
import { readPage, type HtmlForm } from './html-forms.js';
import { AuthorizationStrategyError, type AuthorizationStrategy, type StrategyContext } from './strategy.js';

export interface TestPrincipalCredentials {
  readonly email: string;
  readonly password: string;
}

export interface TestPrincipalOptions {
  /**
   * Redirect URI to register and send. Never contacted: the strategy stops at the redirect. Default a
   * loopback URI, which Switchboard accepts for any client.
   */
  readonly redirectUri?: string;
}

const MAX_HOPS = 30;
const CONSENT_BUTTON = /^(allow|approve|authori[sz]e|accept|grant)\b/i;
const SIGN_IN_HINT =
  'Check the email and password (`switchboard user set-password`), that the user is a member of the tenant this endpoint belongs to, and that the account is not locked.';

interface Navigation {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: string;
  /** Origin of the page whose form is submitted (sent as Origin, as browsers do). */
  readonly origin?: string;
}

function isRedirectTarget(url: string, redirectUri: string): boolean {
  const u = URL.parse(url);
  const r = URL.parse(redirectUri);
  return u !== null && r !== null && u.origin === r.origin && u.pathname === r.pathname;
}

function submit(
  form: HtmlForm,
  values: (field: { name: string; type: string; value: string }) => string,
  pageUrl: string,
): Navigation {
  const body = new URLSearchParams();
  for (const f of form.fields) body.append(f.name, values(f));
  const button = form.buttons.find((b) => CONSENT_BUTTON.test(b.text)) ?? form.buttons[0];
  if (button?.name) body.append(button.name, button.value ?? '');
  const origin = new URL(pageUrl).origin;
  if (form.method === 'GET') {
    const target = new URL(form.action);
    target.search = body.toString();
    return { url: target.href, method: 'GET' };
  }
  return { url: form.action, method: 'POST', body: body.toString(), origin };
}

/**
 * For Switchboard's own endpoints: a known user signs in on the server-rendered sign-in page and approves
 * on the consent page, over plain HTTP as a browser would (cookies, CSRF fields, Origin on posts). The
 * password is only ever posted to a form of the authorization server's own origin.
 */
export function switchboardTestPrincipal(
  credentials: TestPrincipalCredentials,
  options: TestPrincipalOptions = {},
): AuthorizationStrategy {
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/switchboard-check/callback';
  return {
    name: 'switchboard-test-principal',
    async prepare(ctx) {
      ctx.secret(credentials.password);
      return redirectUri;
    },
    async authorize(request, ctx) {
      return walk(request.authorizationUrl, request.redirectUri, credentials, ctx);
    },
  };
}

async function walk(
  authorizationUrl: URL,
  redirectUri: string,
  credentials: TestPrincipalCredentials,
  ctx: StrategyContext,
): Promise<URL> {
  const jar = new CookieJar();
  const serverOrigin = authorizationUrl.origin;
  let next: Navigation = { url: authorizationUrl.href, method: 'GET' };
  let postedPassword = false;
  let consented = false;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (isRedirectTarget(next.url, redirectUri)) return new URL(next.url);
    if (new URL(next.url).origin !== serverOrigin) {
      throw new AuthorizationStrategyError(
        `sign-in continued at another site (${new URL(next.url).origin}), not on ${serverOrigin}`,
        'The test principal signs in with a Switchboard password only; users who sign in through their company identity provider need the interactive check.',
      );
    }
    const headers: Record<string, string> = { Accept: 'text/html,application/xhtml+xml' };
    const cookie = await jar.getCookieString(next.url);
    if (cookie) headers.Cookie = cookie;
    if (next.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      if (next.origin) headers.Origin = next.origin;
    }
    let res: Response;
    let html: string;
    try {
      res = await ctx.fetch(next.url, {
        method: next.method,
        headers,
        body: next.body,
        redirect: 'manual',
        signal: requestSignal(ctx),
      });
      for (const line of res.headers.getSetCookie())
        await jar.setCookie(line, next.url, { ignoreError: true });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        next = { url: new URL(location, next.url).href, method: 'GET' };
        continue;
      }
      html = (await readCapped(res, 512 * 1024)).text;
    } catch (error) {
      throw toNetworkError(error, next.url, ctx);
    }
    const page = readPage(html, next.url);
    const said = page.alerts[0] ?? (page.heading || page.title || `HTTP ${res.status}`);
    const login = page.forms.find((f) => f.fields.some((field) => field.type === 'password'));
    if (login) {
      if (postedPassword) throw new AuthorizationStrategyError(`sign-in refused: ${said}`, SIGN_IN_HINT);
      if (new URL(login.action).origin !== serverOrigin) {
        throw new AuthorizationStrategyError(
          `the sign-in form posts to another site (${new URL(login.action).origin}); the password was not sent`,
          'The sign-in form must post to the authorization server itself.',
        );
      }
      postedPassword = true;
      next = submit(
        login,
        (f) =>
          f.type === 'password'
            ? credentials.password
            : f.type === 'email' || /^(email|username|login)$/i.test(f.name)
              ? credentials.email
              : f.value,
        next.url,
      );
      continue;
    }
    const consent = page.forms.find(
      (f) => f.method === 'POST' && f.buttons.some((b) => CONSENT_BUTTON.test(b.text)),
    );
    if (consent) {
      if (consented) throw new AuthorizationStrategyError(`consent was not accepted: ${said}`);
      consented = true;
      next = submit(consent, (f) => f.value, next.url);
      continue;
    }
    throw new AuthorizationStrategyError(
      `authorization stopped at a page that is neither sign-in nor consent (HTTP ${res.status}): ${said}`,
      postedPassword
        ? SIGN_IN_HINT
        : 'The authorization request itself was refused; the page above says why.',
    );
  }
  throw new AuthorizationStrategyError(
    `authorization did not reach the redirect after ${MAX_HOPS} pages or redirects`,
  );
}
