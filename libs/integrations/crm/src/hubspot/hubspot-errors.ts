import { CrmError, trimMessage } from '../core/crm.errors.js';

/** HubSpot's error body (`status`, `message`, `category`, `errors[].context`…), read defensively. */
interface HubSpotErrorBody {
  readonly message: string | null;
  readonly category: string | null;
  readonly status: string | null;
  readonly correlationId: string | null;
  readonly policyName: string | null;
  readonly details: readonly string[];
  readonly scopes: readonly string[];
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseErrorBody(text: string): HubSpotErrorBody {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      data = parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone speaks.
  }
  const details: string[] = [];
  const scopes: string[] = [];
  for (const entry of Array.isArray(data.errors) ? data.errors : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const message = str(e.message);
    if (message) details.push(message);
    const context = (typeof e.context === 'object' && e.context !== null ? e.context : {}) as Record<
      string,
      unknown
    >;
    scopes.push(...strings(context.requiredGranularScopes), ...strings(context.requiredScopes));
  }
  return {
    message: str(data.message),
    category: str(data.category) ?? str(data.errorType),
    status: str(data.status),
    correlationId: str(data.correlationId),
    policyName: str(data.policyName),
    details,
    scopes: [...new Set(scopes)],
  };
}

/**
 * HubSpot packs property validation failures as JSON inside the message ("Property values were not valid:
 * [{…,"message":"Property \"x\" does not exist",…}]"); the inner messages are what a model can act on.
 */
function readableMessage(body: HubSpotErrorBody): string | null {
  const message = body.message;
  if (!message) return body.details[0] ?? null;
  const at = message.indexOf('[{');
  if (at !== -1) {
    try {
      const inner: unknown = JSON.parse(message.slice(at));
      const texts = Array.isArray(inner)
        ? inner
            .map((i) =>
              typeof i === 'object' && i !== null ? str((i as Record<string, unknown>).message) : null,
            )
            .filter((m): m is string => m !== null)
        : [];
      if (texts.length > 0) return `${message.slice(0, at).trim()} ${[...new Set(texts)].join('; ')}`;
    } catch {
      // Keep the message as it is.
    }
  }
  const extra = body.details.filter((d) => d !== message && !message.includes(d));
  return extra.length > 0 ? `${message} (${extra.slice(0, 3).join('; ')})` : message;
}

export interface ErrorContext {
  /** The connection's name, so the user knows which one an admin must fix. */
  readonly connectionName: string;
  /** The OAuth token endpoint answered: a refusal there means the stored refresh token or app is wrong. */
  readonly tokenEndpoint?: boolean;
}

/** Turns a non-2xx HubSpot response into an error a model can relay. */
export function errorFromResponse(status: number, text: string, ctx: ErrorContext): CrmError {
  const body = parseErrorBody(text);
  const vendor = readableMessage(body);
  const said = vendor ? `: ${trimMessage(vendor)}` : '';
  const details = { status, ...(body.correlationId && { correlationId: body.correlationId }) };
  const reconnect = `A Switchboard admin must reconnect the HubSpot connection "${ctx.connectionName}"`;

  if (ctx.tokenEndpoint && (status === 400 || status === 401 || status === 403)) {
    return new CrmError(
      'auth',
      `HubSpot refused to issue an access token (HTTP ${status}${body.status ? `, ${body.status}` : ''}${said}). ${reconnect}: the stored refresh token, client id or client secret is no longer valid.`,
      details,
    );
  }
  if (status === 401) {
    return new CrmError(
      'auth',
      `HubSpot rejected the connection's credentials (HTTP 401${body.category ? `, ${body.category}` : ''}${said}). ${reconnect} with a valid token.`,
      details,
    );
  }
  if (status === 403) {
    if (body.category === 'MISSING_SCOPES' || body.scopes.length > 0) {
      const scopes = body.scopes.length > 0 ? body.scopes.join(', ') : 'a scope this call needs';
      return new CrmError(
        'forbidden',
        `HubSpot refused this call: the connection's app is missing the scope ${scopes}. An admin must grant it in HubSpot (private app scopes, or reinstall the OAuth app) and reconnect "${ctx.connectionName}".`,
        details,
      );
    }
    return new CrmError('forbidden', `HubSpot refused this call (HTTP 403${said}).`, details);
  }
  if (status === 404) {
    return new CrmError('not_found', `HubSpot found no such record (HTTP 404${said}).`, details);
  }
  if (status === 429) {
    if (body.policyName === 'DAILY') {
      return new CrmError(
        'rate_limited',
        "HubSpot's daily API limit for this account is used up; it resets at midnight in the account's time zone. Try again then.",
        details,
      );
    }
    return new CrmError(
      'rate_limited',
      `HubSpot is rate limiting this account (${body.policyName ?? 'too many requests'}); try again in a few seconds.`,
      details,
    );
  }
  if (status === 400 || status === 409 || status === 422) {
    return new CrmError('validation', `HubSpot rejected the request${said || ` (HTTP ${status})`}.`, details);
  }
  if (status >= 500) {
    return new CrmError(
      'upstream',
      `HubSpot had a problem answering (HTTP ${status}${said}); try again later.`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    return new CrmError(
      'upstream',
      `HubSpot answered with an unexpected redirect (HTTP ${status}); check the connection's base URL.`,
      details,
    );
  }
  return new CrmError('upstream', `HubSpot answered HTTP ${status}${said}.`, details);
}
