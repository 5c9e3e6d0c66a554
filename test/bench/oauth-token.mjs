// Obtains an OAuth access token for a tenant endpoint the way a desktop MCP client does, over plain HTTP:
// dynamic client registration, authorization code with PKCE (signing in and approving on the real forms),
// and the code exchange. Used by `npm run bench` to measure the token path against the API-key path.
import { createHash, randomBytes } from 'node:crypto';

const CALLBACK = 'http://127.0.0.1:9/callback';

class CookieJar {
  #cookies = new Map();
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function obtainAccessToken(baseUrl, resource, email, password) {
  const reg = await fetch(`${baseUrl}/oauth/reg`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: 'bench',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${await reg.text()}`);
  const { client_id: clientId } = await reg.json();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource,
    scope: 'mcp',
    state: 'bench',
  });
  const origin = new URL(baseUrl).origin;
  const jar = new CookieJar();
  let next = { url: `${baseUrl}/oauth/auth?${query}` };
  let code = null;
  for (let step = 0; step < 20 && next && !code; step++) {
    const res = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...next.init?.headers, cookie: jar.header() },
    });
    jar.store(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) code = target.searchParams.get('code');
      else next = { url: target.href };
      continue;
    }
    const body = await res.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
    const uid = /action="\/interaction\/([^/]+)\//.exec(body)?.[1];
    if (!csrf || !uid) throw new Error(`unexpected page during authorization (${res.status})`);
    const fields = body.includes('name="password"') ? { csrf, email, password } : { csrf };
    next = {
      url: `${baseUrl}/interaction/${uid}/${body.includes('name="password"') ? 'login' : 'confirm'}`,
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
        body: new URLSearchParams(fields).toString(),
      },
    };
  }
  if (!code) throw new Error('authorization did not return a code');
  const token = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
      resource,
    }),
  });
  const json = await token.json();
  if (token.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(json)}`);
  return json.access_token;
}
