/**
 * The values of the "add integration" form (fields: schema-fields.ts): `initialDraft` gives the starting
 * values (defaults, or an existing connection's config), `buildValue` turns what was typed back into the
 * config object, with a message per field for what is clearly wrong. The server validates again.
 */
import { isObject, type Draft, type FieldNode } from './schema-fields';

export { compileSchema, type Draft, type FieldNode, type Variant } from './schema-fields';

/** The form's starting values: `existing` (a connection's config) where given, else the defaults. */
export function initialDraft(node: FieldNode, existing?: unknown): Draft {
  switch (node.kind) {
    case 'text':
      return typeof existing === 'string' ? existing : '';
    case 'number':
      return typeof existing === 'number' ? String(existing) : '';
    case 'boolean':
      return typeof existing === 'boolean' ? existing : (node.default ?? false);
    case 'enum':
      return typeof existing === 'string'
        ? existing
        : (node.default ?? (node.required ? (node.options[0] ?? '') : ''));
    case 'list':
      return Array.isArray(existing) ? existing.filter((x) => typeof x === 'string').join('\n') : '';
    case 'const':
      return null;
    case 'json':
      return existing === undefined ? '' : JSON.stringify(existing, null, 2);
    case 'object': {
      const out: Record<string, Draft> = {};
      const values = isObject(existing) ? existing : {};
      for (const f of node.fields) out[f.key] = initialDraft(f, values[f.key]);
      return out;
    }
    case 'choice': {
      let variant = node.defaultVariant ?? 0;
      if (existing !== undefined) {
        const found = matchVariant(node, existing);
        if (found !== null) variant = found;
      } else if (!node.required && node.defaultVariant === null) {
        variant = -1;
      }
      const chosen = node.variants[variant];
      return { variant, value: chosen ? initialDraft(chosen.node, existing) : null };
    }
  }
}

function matchVariant(node: Extract<FieldNode, { kind: 'choice' }>, value: unknown): number | null {
  if (!isObject(value)) return null;
  if (node.discriminator) {
    const d = node.discriminator;
    const i = node.variants.findIndex(
      (v) =>
        v.node.kind === 'object' &&
        v.node.fields.some((f) => f.key === d && f.kind === 'const' && f.value === value[d]),
    );
    return i === -1 ? null : i;
  }
  const i = node.variants.findIndex(
    (v) => v.node.kind === 'object' && v.node.fields.filter((f) => f.required).every((f) => f.key in value),
  );
  return i === -1 ? null : i;
}

/** A draft for switching a choice to another variant. */
export function variantDraft(node: Extract<FieldNode, { kind: 'choice' }>, variant: number): Draft {
  const chosen = node.variants[variant];
  return { variant, value: chosen ? initialDraft(chosen.node) : null };
}

export interface BuildResult {
  /** The config object (undefined only for an empty optional root). */
  readonly value: unknown;
  /** Problems by field path; empty when the value can be sent. */
  readonly errors: Record<string, string>;
}

const MISSING = Symbol('missing');

/** What was typed, as the config object the API expects; empty optional fields are left out. */
export function buildValue(node: FieldNode, draft: Draft): BuildResult {
  const errors: Record<string, string> = {};
  const value = build(node, draft, errors);
  return { value: value === MISSING ? undefined : value, errors };
}

function build(node: FieldNode, draft: Draft, errors: Record<string, string>): unknown {
  const fail = (message: string) => {
    errors[node.path || '(config)'] = message;
    return MISSING;
  };
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'boolean':
      return draft === true;
    case 'text': {
      const text = typeof draft === 'string' ? (node.multiline ? draft : draft.trim()) : '';
      if (text === '') return node.required ? fail('Required.') : MISSING;
      if (node.minLength !== null && text.length < node.minLength)
        return fail(`At least ${node.minLength} characters.`);
      if (node.maxLength !== null && text.length > node.maxLength)
        return fail(`At most ${node.maxLength} characters.`);
      if (node.format === 'uri' && !isUrl(text)) return fail('Enter a full URL, e.g. https://example.com.');
      if (node.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))
        return fail('Enter an email address.');
      if (node.pattern !== null && !safeTest(node.pattern, text))
        return fail('This value is not in the expected form.');
      return text;
    }
    case 'number': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      if (text === '') return node.required ? fail('Required.') : MISSING;
      const n = Number(text);
      if (!Number.isFinite(n)) return fail('Enter a number.');
      if (node.integer && !Number.isInteger(n)) return fail('Enter a whole number.');
      if (node.minimum !== null && n < node.minimum) return fail(`At least ${node.minimum}.`);
      if (node.maximum !== null && n > node.maximum) return fail(`At most ${node.maximum}.`);
      return n;
    }
    case 'enum': {
      const text = typeof draft === 'string' ? draft : '';
      if (text === '') return node.required ? fail('Choose one.') : MISSING;
      if (!node.options.includes(text)) return fail('Choose one of the options.');
      return text;
    }
    case 'list': {
      const items = (typeof draft === 'string' ? draft : '')
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (items.length === 0) return node.required ? fail('Required.') : MISSING;
      if (node.minItems !== null && items.length < node.minItems) return fail(`At least ${node.minItems}.`);
      if (node.maxItems !== null && items.length > node.maxItems) return fail(`At most ${node.maxItems}.`);
      const bad = node.itemPattern === null ? undefined : items.find((i) => !safeTest(node.itemPattern!, i));
      if (bad !== undefined) return fail(`"${bad}" is not in the expected form.`);
      return items;
    }
    case 'json': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      if (text === '') return node.required ? fail('Required.') : MISSING;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return fail('This is not valid JSON.');
      }
    }
    case 'object': {
      const values = isObject(draft) ? (draft as Record<string, Draft>) : {};
      const out: Record<string, unknown> = {};
      for (const f of node.fields) {
        const v = build(f, values[f.key] ?? null, errors);
        if (v !== MISSING) out[f.key] = v;
      }
      const anySet = node.fields.some((f) => f.kind !== 'const' && out[f.key] !== undefined);
      if (!node.required && node.path !== '' && !anySet) return MISSING;
      return out;
    }
    case 'choice': {
      const d = isObject(draft) && 'variant' in draft ? (draft as { variant: number; value: Draft }) : null;
      const chosen = d ? node.variants[d.variant] : undefined;
      if (!d || !chosen) return node.required ? fail('Choose one.') : MISSING;
      return build(chosen.node, d.value, errors);
    }
  }
}

function isUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Patterns come from the server's schema; one that this browser cannot compile is left to the server. */
function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}
