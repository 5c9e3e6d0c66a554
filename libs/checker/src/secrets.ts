import type { JsonValue } from './check.types.js';

const MASK = '[redacted]';
/** Shorter values would mask ordinary words; no credential the checker handles is this short. */
const MIN_LENGTH = 8;

/**
 * Every credential the check touches (API key, password, client secret, code, verifier, tokens) is
 * registered here the moment it exists, and every string that leaves the checker (step summaries, hints,
 * details, data, error messages from servers or the SDK) passes through `scrub`. A server that echoes a
 * token back in an error message therefore cannot make the report carry it.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(value: string | null | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
    this.secrets.add(value);
    // Servers may echo a value URL-encoded (a code in a redirect) or base64url-decoded pieces of it.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a value containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  scrubJson(value: JsonValue): JsonValue {
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.scrubJson(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.scrubJson(v);
      return out;
    }
    return value;
  }
}
