/**
 * `WWW-Authenticate` parsing per RFC 9110 §11.6.1: a comma-separated list of challenges, each a scheme
 * followed by either a token68 or auth-params (`name=token` / `name="quoted string"`). Several challenges
 * may share one header (`Bearer …, DPoP …`) or come in several headers (which `Headers.get` joins with
 * ", "). The SDK's own helper only extracts a few Bearer/DPoP parameters; the checker needs every
 * challenge and every parameter to say precisely what is missing or malformed.
 */

export interface Challenge {
  /** As sent; compare case-insensitively. */
  readonly scheme: string;
  /** Parameter names lower-cased (they are case-insensitive); values unquoted. */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && TCHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  quoted(): string {
    // Caller has seen the opening quote.
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '\\' && this.pos + 1 < this.text.length) {
        out += this.peek(1);
        this.pos += 2;
      } else if (c === '"') {
        this.pos++;
        return out;
      } else {
        out += c;
        this.pos++;
      }
    }
    throw new WwwAuthenticateSyntaxError('unterminated quoted string');
  }
  /** True when `token BWS "="` (and not a token68's "==" padding) starts here. */
  atParam(): boolean {
    const save = this.pos;
    const name = this.token();
    this.skipSpaces();
    const isParam = name !== '' && this.peek() === '=' && this.peek(1) !== '=';
    this.pos = save;
    return isParam;
  }
}

export class WwwAuthenticateSyntaxError extends Error {
  constructor(message: string) {
    super(`WWW-Authenticate is malformed: ${message}`);
    this.name = 'WwwAuthenticateSyntaxError';
  }
}

export function parseWwwAuthenticate(header: string): Challenge[] {
  const c = new Cursor(header);
  const challenges: Challenge[] = [];
  c.skipSeparators();
  while (!c.done) {
    const scheme = c.token();
    if (scheme === '') throw new WwwAuthenticateSyntaxError(`unexpected "${c.peek()}" at ${c.pos}`);
    // No prototype: a parameter named `__proto__` or `constructor` is just a parameter.
    const params = Object.create(null) as Record<string, string>;
    let token68: string | undefined;
    c.skipSpaces();
    if (!c.done && c.peek() !== ',') {
      if (c.atParam()) {
        parseParams(c, params);
      } else {
        const start = c.pos;
        while (!c.done && TOKEN68_CHAR.test(c.peek())) c.pos++;
        while (c.peek() === '=') c.pos++;
        token68 = c.text.slice(start, c.pos);
        if (token68 === '') throw new WwwAuthenticateSyntaxError(`unexpected "${c.peek()}" at ${c.pos}`);
      }
    }
    challenges.push(token68 === undefined ? { scheme, params } : { scheme, params, token68 });
    c.skipSeparators();
  }
  return challenges;
}

function parseParams(c: Cursor, params: Record<string, string>): void {
  for (;;) {
    const name = c.token().toLowerCase();
    c.skipSpaces();
    c.pos++; // "="
    c.skipSpaces();
    const value = c.peek() === '"' ? c.quoted() : c.token();
    // RFC 9110: each parameter name appears once per challenge; the first one counts.
    if (!Object.hasOwn(params, name)) params[name] = value;
    c.skipSpaces();
    if (c.peek() !== ',') return;
    // Commas separate both parameters and challenges: look past them for another parameter.
    const save = c.pos;
    c.skipSeparators();
    if (c.done || !c.atParam()) {
      c.pos = save;
      return;
    }
  }
}

/** The first challenge of `scheme` (case-insensitive), if any. */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((ch) => ch.scheme.toLowerCase() === wanted);
}
