/**
 * Reads sign-in and consent pages the way a browser does: parse5 builds the same tree a browser would
 * (HTML spec parsing), from which forms, their fields and buttons, and any alert text are taken.
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

export interface FormField {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

export interface FormButton {
  readonly name: string | null;
  readonly value: string | null;
  readonly text: string;
}

export interface HtmlForm {
  /** Absolute URL the form submits to. */
  readonly action: string;
  readonly method: 'GET' | 'POST';
  readonly fields: readonly FormField[];
  readonly buttons: readonly FormButton[];
}

export interface HtmlPage {
  readonly title: string;
  readonly forms: readonly HtmlForm[];
  /** Text of `role="alert"` elements (error messages shown to the person signing in). */
  readonly alerts: readonly string[];
  /** The first heading, to describe a page that is neither a form step nor expected. */
  readonly heading: string;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function attr(el: Element, name: string): string | null {
  return el.attrs.find((a) => a.name === name)?.value ?? null;
}

function children(node: Node): readonly Node[] {
  return 'childNodes' in node ? node.childNodes : [];
}

function* walk(node: Node): Generator<Node> {
  yield node;
  // <template> content is not rendered; a browser would not submit forms inside it.
  if (isElement(node) && node.tagName === 'template') return;
  for (const child of children(node)) yield* walk(child);
}

function text(node: Node): string {
  let out = '';
  for (const n of walk(node))
    if (n.nodeName === '#text') out += (n as DefaultTreeAdapterTypes.TextNode).value;
  return out.replace(/\s+/g, ' ').trim();
}

function readForm(form: Element, baseUrl: string): HtmlForm {
  const fields: FormField[] = [];
  const buttons: FormButton[] = [];
  for (const node of walk(form)) {
    if (!isElement(node) || node === form) continue;
    const name = attr(node, 'name');
    if (node.tagName === 'input') {
      const type = (attr(node, 'type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'image') {
        buttons.push({ name, value: attr(node, 'value'), text: attr(node, 'value') ?? '' });
      } else if (name !== null && attr(node, 'disabled') === null) {
        if ((type === 'checkbox' || type === 'radio') && attr(node, 'checked') === null) continue;
        fields.push({ name, type, value: attr(node, 'value') ?? (type === 'checkbox' ? 'on' : '') });
      }
    } else if (node.tagName === 'button') {
      const type = (attr(node, 'type') ?? 'submit').toLowerCase();
      if (type === 'submit') buttons.push({ name, value: attr(node, 'value'), text: text(node) });
    } else if ((node.tagName === 'textarea' || node.tagName === 'select') && name !== null) {
      fields.push({ name, type: node.tagName, value: node.tagName === 'textarea' ? text(node) : '' });
    }
  }
  const method = (attr(form, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
  const action = new URL(attr(form, 'action') || baseUrl, baseUrl).href;
  return { action, method, fields, buttons };
}

export function readPage(html: string, baseUrl: string): HtmlPage {
  const document = parse(html);
  const forms: HtmlForm[] = [];
  const alerts: string[] = [];
  let title = '';
  let heading = '';
  for (const node of walk(document)) {
    if (!isElement(node)) continue;
    if (node.tagName === 'form') forms.push(readForm(node, baseUrl));
    else if (node.tagName === 'title' && !title) title = text(node);
    else if (/^h[1-3]$/.test(node.tagName) && !heading) heading = text(node);
    if (attr(node, 'role') === 'alert') {
      const t = text(node);
      if (t) alerts.push(t);
    }
  }
  return { title, forms, alerts, heading };
}
