/** Escapes text for HTML element content and double-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A string of trusted markup (built only from `html` templates and escaped values). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const parts = Array.isArray(v) ? v : [v];
    out += parts.map((p) => (p instanceof Html ? p.value : p === false || p == null ? '' : esc(p))).join('');
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}

export const STYLESHEET_PATH = '/interaction/assets/style.css';

/** Plain, high-contrast, no scripts: the pages must work under `script-src 'none'`. */
export const STYLESHEET = `
:root { color-scheme: light; --fg: #111827; --muted: #374151; --line: #9ca3af; --accent: #1d4ed8; --bad: #991b1b; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f9fafb; }
main { max-width: 30rem; margin: 3rem auto; padding: 2rem; background: #fff; border: 1px solid var(--line); border-radius: .5rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p, li, dd { color: var(--muted); }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
input[type=email], input[type=password] { width: 100%; padding: .6rem; font: inherit; border: 1px solid var(--muted); border-radius: .375rem; }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; flex-wrap: wrap; }
button, .button { font: inherit; padding: .6rem 1.2rem; border-radius: .375rem; border: 1px solid var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary { background: var(--accent); color: #fff; }
button.secondary, .button { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.alert { border: 1px solid var(--bad); color: var(--bad); background: #fef2f2; padding: .75rem; border-radius: .375rem; }
.note { font-size: .9rem; }
ul.grants { padding-left: 1.2rem; }
form.inline { display: inline; margin: 0; }
hr { border: 0; border-top: 1px solid var(--line); margin: 1.5rem 0; }
`;

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${esc(title)} · Switchboard</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main id="main">
${body.value}
</main>
</body>
</html>`;
}
