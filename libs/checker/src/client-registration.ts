/** How the checker identifies itself: dynamic registration with Claude's callbacks, or a given client. */
import type { CheckContext, RegisteredClient } from './context.js';
import { parseJsonObject, request, type HttpExchange } from './http.js';
import { verdict, type StepVerdict } from './recorder.js';

export const CLAUDE_CALLBACKS = [
  'https://claude.ai/api/mcp/auth_callback',
  'https://claude.com/api/mcp/auth_callback',
] as const;

/** Where the checker asks to be sent back when no strategy says otherwise (never contacted). */
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1/switchboard-check/callback';

export function oauthError(ex: HttpExchange): string {
  const doc = parseJsonObject(ex.body);
  const error = typeof doc?.error === 'string' ? doc.error : null;
  const description = typeof doc?.error_description === 'string' ? doc.error_description : null;
  if (error) return `${error}${description ? `: ${description}` : ''}`;
  return ex.body.slice(0, 200).replace(/\s+/g, ' ').trim() || '(empty body)';
}

function chooseAuthMethod(methods: readonly string[] | undefined): RegisteredClient['authMethod'] {
  if (!methods || methods.includes('none')) return 'none';
  return methods.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic';
}

async function register(ctx: CheckContext, redirectUris: readonly string[]): Promise<HttpExchange> {
  const meta = ctx.state.asMeta!;
  return request(ctx.http, meta.registration_endpoint!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_name: ctx.clientInfo.name,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: chooseAuthMethod(meta.token_endpoint_auth_methods_supported),
    }),
  });
}

export async function registration(ctx: CheckContext): Promise<StepVerdict> {
  const auth = ctx.options.auth?.kind === 'oauth' ? ctx.options.auth : undefined;
  const meta = ctx.state.asMeta!;
  if (auth?.clientId) {
    ctx.state.client = { clientId: auth.clientId, authMethod: 'none', source: 'given' };
    return verdict.skipped(
      'not-applicable',
      `using the given client id ${auth.clientId}; registration not needed`,
    );
  }
  if (auth?.clientMetadataUrl && meta.client_id_metadata_document_supported) {
    ctx.state.client = { clientId: auth.clientMetadataUrl, authMethod: 'none', source: 'cimd' };
    return verdict.skipped(
      'not-applicable',
      `identifying with the client metadata document ${auth.clientMetadataUrl}`,
    );
  }
  if (!meta.registration_endpoint) {
    return verdict.skipped(
      'unverified',
      'the server identifies clients by metadata documents only (which Claude supports); the checker has no document to present',
      {
        hint: 'Pass a client metadata document URL you host (clientMetadataUrl) or a pre-registered public client id to check the rest of the flow.',
      },
    );
  }
  const redirectUri = ctx.state.redirectUri!;
  const uris = [...CLAUDE_CALLBACKS, redirectUri];
  const ex = await register(ctx, uris);
  const doc = parseJsonObject(ex.body);
  if ((ex.status === 201 || ex.status === 200) && typeof doc?.client_id === 'string') {
    const secret = typeof doc.client_secret === 'string' ? doc.client_secret : undefined;
    ctx.redactor.add(secret);
    ctx.redactor.add(
      typeof doc.registration_access_token === 'string' ? doc.registration_access_token : undefined,
    );
    const granted = Array.isArray(doc.redirect_uris) ? (doc.redirect_uris as unknown[]) : uris;
    const dropped = uris.filter((u) => !granted.includes(u));
    const method =
      typeof doc.token_endpoint_auth_method === 'string' ? doc.token_endpoint_auth_method : 'none';
    ctx.state.client = {
      clientId: doc.client_id,
      ...(secret ? { clientSecret: secret } : {}),
      authMethod: method === 'client_secret_post' || method === 'client_secret_basic' ? method : 'none',
      source: 'dcr',
    };
    const data = { clientId: doc.client_id, status: ex.status, redirectUris: uris, authMethod: method };
    if (dropped.length > 0) {
      return verdict.fail(
        `registered, but without ${dropped.join(', ')}`,
        "Keep every requested redirect URI; Claude's callbacks must be registered as sent.",
        { data },
      );
    }
    if (ex.status === 200) {
      return verdict.warn(
        `registered ${doc.client_id}, but with HTTP 200 instead of 201`,
        'RFC 7591 §3.2.1 answers 201 Created.',
        { data },
      );
    }
    return verdict.pass(`registered ${doc.client_id} with Claude's two callbacks and a loopback redirect`, {
      data,
    });
  }
  // Find out which redirect URI the server objects to, so the hint can name it.
  const claudeOnly = await register(ctx, [...CLAUDE_CALLBACKS]);
  const claudeAccepted = claudeOnly.status === 201 || claudeOnly.status === 200;
  const details = [
    `with all three: HTTP ${ex.status} ${oauthError(ex)}`,
    `Claude's callbacks only: HTTP ${claudeOnly.status}`,
  ];
  if (!claudeAccepted) {
    return verdict.fail(
      `registration refuses Claude's callbacks: HTTP ${claudeOnly.status} ${oauthError(claudeOnly)}`,
      `Allow ${CLAUDE_CALLBACKS.join(' and ')} as redirect URIs of dynamically registered clients.`,
      { details },
    );
  }
  return verdict.skipped(
    'unverified',
    `Claude's callbacks are accepted, but the checker's own redirect ${redirectUri} was refused (HTTP ${ex.status} ${oauthError(ex)})`,
    {
      details,
      hint: 'Allow loopback redirect URIs (RFC 8252 §7.3) to let the checker finish the flow, or pass a pre-registered client id.',
    },
  );
}
