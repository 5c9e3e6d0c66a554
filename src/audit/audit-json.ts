/**
 * Turns arbitrary values into the JSON an audit event stores and hashes. PostgreSQL's jsonb refuses
 * `\u0000`, RFC 8785 refuses lone surrogates, NaN and Infinity, and a value read back from jsonb must hash
 * exactly as it did when written: so every value is normalised here, once, before it is chained.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const REDACTED = '[REDACTED]';

export interface ToJsonOptions {
  /** Replace values under secret-looking keys, and secret-looking strings anywhere, with `[REDACTED]`. */
  readonly redact: boolean;
  /** Strings longer than this are cut (the cut is marked). */
  readonly maxStringLength?: number;
  readonly maxDepth?: number;
}

/**
 * Keys whose values are credentials, compared on the key lowercased with everything but letters and digits
 * removed, by suffix: `clientSecret`, `refresh_token`, `X-Api-Key` match; `tokenType`, `secretName` do not.
 */
const SECRET_KEY_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'signature',
  'otp',
  'sessionid',
  'masterkey',
  'encryptionkey',
  'signingkey',
];

/** Values that are credentials whatever key they sit under. */
const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /^\s*(bearer|basic)\s+\S{8,}/i,
  /\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]*/, // JWT
  /\bsb_[A-Za-z0-9]{6,}_[A-Za-z0-9_-]{16,}/, // Switchboard API key
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack
  /\bsk-[A-Za-z0-9_-]{20,}/,
  /:\/\/[^/\s:@]+:[^/\s@]+@/, // credentials in a URL
];

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY_SUFFIXES.some((s) => k.endsWith(s));
}

export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((p) => p.test(value));
}

/** Half of a UTF-16 surrogate pair without its other half (String#toWellFormed, ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(s: string, max: number): string {
  // Cut first, then clean: a cut can split a surrogate pair.
  const cut = s.length > max ? `${s.slice(0, max)}…[${s.length - max} more characters]` : s;
  return cut.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}

/** Normalises `value` to plain JSON (see the file comment); never throws. */
export function toAuditJson(value: unknown, opts: ToJsonOptions): JsonValue {
  const maxString = opts.maxStringLength ?? 4096;
  const maxDepth = opts.maxDepth ?? 16;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): JsonValue | undefined => {
    if (v === null) return null;
    switch (typeof v) {
      case 'string': {
        const s = cleanString(v, maxString);
        return opts.redact && looksLikeSecret(v) ? REDACTED : s;
      }
      case 'number':
        return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
      case 'boolean':
        return v;
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Uint8Array) return `[${v.byteLength} bytes]`;
    const obj = v as object;
    if (depth >= maxDepth) return '[too deep]';
    if (seen.has(obj)) return '[circular]';
    seen.add(obj);
    try {
      if (Array.isArray(obj)) return obj.map((item) => walk(item, depth + 1) ?? null);
      if (obj instanceof Map) return walk(Object.fromEntries(obj), depth);
      if (obj instanceof Set) return walk([...obj], depth);
      const out: JsonObject = {};
      for (const [k, item] of Object.entries(obj)) {
        const key = cleanString(k, 256);
        if (
          opts.redact &&
          isSecretKey(key) &&
          item !== null &&
          item !== undefined &&
          typeof item !== 'boolean'
        ) {
          out[key] = REDACTED;
          continue;
        }
        const j = walk(item, depth + 1);
        if (j !== undefined) out[key] = j;
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  return walk(value, 0) ?? null;
}

export function toAuditObject(value: unknown, opts: ToJsonOptions): JsonObject {
  const j = toAuditJson(value ?? {}, opts);
  return j !== null && typeof j === 'object' && !Array.isArray(j) ? j : { value: j };
}
