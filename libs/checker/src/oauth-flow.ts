/**
 * Claude's OAuth flow after registration: authorize through the chosen strategy (PKCE S256, state,
 * resource), exchange the code, and read the token's audience.
 */
import { createHash, randomBytes } from 'node:crypto';

import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

import { oauthError } from './client-registration.js';
import { resourceOf, type CheckContext } from './context.js';
import { parseJsonObject, request } from './http.js';
import { verdict, type StepVerdict } from './recorder.js';
import { AuthorizationStrategyError } from './strategies/strategy.js';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const AUTHORIZATION_ERROR_HINTS: Record<string, string> = {
  access_denied: 'The user denied access, or is not allowed to use this endpoint: check membership and role.',
  invalid_target:
    "The authorization server does not know this endpoint as a resource: check the server's public URL and that the resource parameter matches it (RFC 8707).",
  invalid_scope: 'Ask for scopes the server supports; check scopes_supported and the challenge scope.',
  invalid_request:
    'The server refused the authorization request itself; the description above says which parameter.',
  unauthorized_client:
    'The client may not use the authorization code flow: allow it for dynamically registered clients.',
  server_error: 'The authorization server failed: check its logs.',
};

function scopeFor(ctx: CheckContext): string | undefined {
  const auth = ctx.options.auth?.kind === 'oauth' ? ctx.options.auth : undefined;
  return auth?.scope ?? ctx.state.challengeScope ?? (ctx.state.prm?.scopes_supported?.join(' ') || undefined);
}

export async function authorization(ctx: CheckContext): Promise<StepVerdict> {
  const meta = ctx.state.asMeta!;
  const client = ctx.state.client!;
  const strategy = ctx.strategy!;
  const { verifier, challenge } = pkce();
  ctx.redactor.add(verifier);
  const state = randomBytes(16).toString('base64url');
  const url = new URL(meta.authorization_endpoint);
  const scope = scopeFor(ctx);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: ctx.state.redirectUri!,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource: resourceOf(ctx),
    ...(scope ? { scope } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  let callback: URL;
  try {
    callback = await strategy.authorize(
      { authorizationUrl: url, redirectUri: ctx.state.redirectUri!, state },
      ctx.strategyContext,
    );
  } catch (error) {
    if (error instanceof AuthorizationStrategyError) {
      return verdict.fail(error.message, error.hint ?? 'See the message above.', {
        data: { strategy: strategy.name },
      });
    }
    throw error;
  }
  const q = callback.searchParams;
  ctx.redactor.add(q.get('code'));
  const data = { strategy: strategy.name, scope: scope ?? null };
  if (q.get('state') !== state) {
    return verdict.fail(
      'the redirect did not carry the state the checker sent',
      'Return the state parameter unchanged (RFC 6749 §4.1.2).',
      { data },
    );
  }
  const error = q.get('error');
  if (error) {
    const description = q.get('error_description');
    return verdict.fail(
      `the authorization server answered error=${error}${description ? `: ${description}` : ''}`,
      AUTHORIZATION_ERROR_HINTS[error] ?? 'See the error above.',
      { data },
    );
  }
  const code = q.get('code');
  if (!code)
    return verdict.fail(
      'the redirect carried neither a code nor an error',
      'Return the authorization code in the redirect.',
      { data },
    );
  const iss = q.get('iss');
  if (iss !== null && iss !== meta.issuer) {
    return verdict.fail(
      `the redirect names issuer ${iss}, not ${meta.issuer}`,
      'The iss parameter must equal the metadata issuer (RFC 9207): clients refuse the code otherwise.',
      { data },
    );
  }
  ctx.state.code = code;
  ctx.state.codeVerifier = verifier;
  if (iss === null && meta.authorization_response_iss_parameter_supported) {
    return verdict.warn(
      'the metadata promises iss in the redirect, but it is missing',
      'Send iss with every authorization response (RFC 9207), or stop advertising it.',
      { data },
    );
  }
  return verdict.pass(`authorized through ${strategy.name}; code received${iss ? ' with iss' : ''}`, {
    data,
  });
}

const TOKEN_HINTS: Record<string, string> = {
  invalid_grant:
    'The code, PKCE verifier or redirect_uri did not match: the server must verify S256 against the code_challenge and keep the redirect_uri of the authorization request.',
  invalid_client:
    'Client authentication failed: accept public clients ("none") for dynamically registered clients.',
  invalid_target:
    'The resource parameter was refused at the token endpoint: accept the endpoint URL as resource (RFC 8707).',
  unsupported_grant_type: 'Enable the authorization_code grant for this client.',
};

export async function tokenExchange(ctx: CheckContext): Promise<StepVerdict> {
  const meta = ctx.state.asMeta!;
  const client = ctx.state.client!;
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: ctx.state.code!,
    redirect_uri: ctx.state.redirectUri!,
    code_verifier: ctx.state.codeVerifier!,
    client_id: client.clientId,
    resource: resourceOf(ctx),
  });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (client.clientSecret && client.authMethod === 'client_secret_basic') {
    const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  } else if (client.clientSecret) {
    body.set('client_secret', client.clientSecret);
  }
  const ex = await request(ctx.http, meta.token_endpoint, { method: 'POST', headers, body: body.toString() });
  const doc = parseJsonObject(ex.body);
  for (const key of ['access_token', 'refresh_token', 'id_token']) {
    if (typeof doc?.[key] === 'string') ctx.redactor.add(doc[key] as string);
  }
  if (ex.status !== 200 || !doc) {
    const error = typeof doc?.error === 'string' ? doc.error : '';
    return verdict.fail(
      `the token endpoint answered HTTP ${ex.status} ${oauthError(ex)}`,
      TOKEN_HINTS[error] ?? 'See the error above and the authorization server logs.',
    );
  }
  const access = doc.access_token;
  const tokenType = typeof doc.token_type === 'string' ? doc.token_type : null;
  if (typeof access !== 'string' || access === '') {
    return verdict.fail(
      'the token response has no access_token',
      'Return access_token in the token response (RFC 6749 §5.1).',
    );
  }
  const data = {
    tokenType,
    expiresIn: typeof doc.expires_in === 'number' ? doc.expires_in : null,
    scope: typeof doc.scope === 'string' ? doc.scope : null,
    refreshToken: typeof doc.refresh_token === 'string',
  };
  if (tokenType?.toLowerCase() !== 'bearer') {
    return verdict.fail(
      `token_type is ${tokenType ?? 'missing'}, not Bearer`,
      'Issue Bearer tokens: MCP clients send them as Authorization: Bearer.',
      { data },
    );
  }
  ctx.state.credential = access;
  const warnings: string[] = [];
  if (!data.refreshToken)
    warnings.push('no refresh token: people will have to sign in again when the access token expires');
  if (!/no-store/i.test(ex.headers.get('cache-control') ?? ''))
    warnings.push('the token response lacks Cache-Control: no-store (RFC 6749 §5.1)');
  if (warnings.length > 0) {
    return verdict.warn(
      warnings[0]!,
      'Issue refresh tokens (rotated for public clients) and send Cache-Control: no-store.',
      {
        details: warnings,
        data,
      },
    );
  }
  return verdict.pass(
    `Bearer token issued${data.expiresIn !== null ? `, valid ${data.expiresIn} s` : ''}, with a refresh token`,
    { data },
  );
}

export async function tokenAudience(ctx: CheckContext): Promise<StepVerdict> {
  const token = ctx.state.credential!;
  const resource = resourceOf(ctx);
  let claims: JWTPayload;
  let typ: string | null;
  try {
    claims = decodeJwt(token);
    typ = decodeProtectedHeader(token).typ ?? null;
  } catch {
    return verdict.warn(
      'the access token is opaque: its audience cannot be read here',
      'Make sure the MCP server accepts only tokens issued for its own URL (RFC 8707 audience, checked by introspection or on a JWT aud claim).',
      { data: { format: 'opaque' } },
    );
  }
  const auds = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const data = {
    format: 'jwt',
    typ,
    aud: auds,
    iss: claims.iss ?? null,
    expiresIn: typeof claims.exp === 'number' ? claims.exp - Math.floor(ctx.now().getTime() / 1000) : null,
  };
  if (auds.length === 0) {
    return verdict.fail(
      'the token has no aud claim: any server trusting this issuer would accept it',
      'Have the authorization server set aud to the resource the client asked for (RFC 8707), and the MCP server refuse tokens for other audiences.',
      { data },
    );
  }
  if (!auds.includes(resource)) {
    return verdict.fail(
      `the token's audience is ${auds.join(', ')}, not this endpoint (${resource})`,
      'Have the authorization server set aud to the requested resource (RFC 8707) and the MCP server accept only tokens whose aud is its own URL; otherwise a token for one server works at another.',
      { data },
    );
  }
  const issuer = ctx.state.asMeta?.issuer;
  if (issuer && claims.iss !== issuer) {
    return verdict.warn(
      `the token's iss is ${claims.iss ?? 'missing'}, not ${issuer}`,
      'Sign tokens with iss equal to the metadata issuer.',
      { data },
    );
  }
  if (typeof claims.exp !== 'number') {
    return verdict.warn(
      'the token never expires (no exp)',
      'Give access tokens a short lifetime; refresh tokens keep people connected.',
      { data },
    );
  }
  return verdict.pass(
    `JWT for ${resource}${data.expiresIn !== null ? `, expires in ${data.expiresIn} s` : ''}`,
    { data },
  );
}
