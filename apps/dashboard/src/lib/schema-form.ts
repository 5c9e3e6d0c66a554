/**
 * The "add integration" form, driven by a pack's config JSON Schema (draft 2020-12, as zod emits it):
 * `compileSchema` turns the schema into a tree of fields, `initialDraft` gives the form's starting
 * values (defaults, or an existing connection's config), and `buildValue` turns what was typed back into
 * the config object, with a message per field for what is clearly wrong. The server validates again.
 */
import { humanize } from '../api/errors';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

interface Base {
  /** Dotted path inside the config ("tls.mode"), as the API names fields in its issues. */
  readonly path: string;
  readonly key: string;
  readonly label: string;
  readonly description: string | null;
  readonly required: boolean;
}

export type FieldNode =
  | (Base & {
      readonly kind: 'text';
      readonly format: 'uri' | 'email' | null;
      readonly pattern: string | null;
      readonly minLength: number | null;
      readonly maxLength: number | null;
      readonly multiline: boolean;
      readonly default: string | null;
    })
  | (Base & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly minimum: number | null;
      readonly maximum: number | null;
      readonly default: number | null;
    })
  | (Base & { readonly kind: 'boolean'; readonly default: boolean | null })
  | (Base & { readonly kind: 'enum'; readonly options: readonly string[]; readonly default: string | null })
  | (Base & {
      readonly kind: 'list';
      readonly itemPattern: string | null;
      readonly minItems: number | null;
      readonly maxItems: number | null;
      readonly default: readonly string[] | null;
    })
  | (Base & { readonly kind: 'object'; readonly fields: readonly FieldNode[] })
  | (Base & {
      readonly kind: 'choice';
      /** The property whose constant names the variant (`kind`, `dialect`), when there is one. */
      readonly discriminator: string | null;
      readonly variants: readonly Variant[];
      readonly defaultVariant: number | null;
    })
  | (Base & { readonly kind: 'const'; readonly value: Json })
  | (Base & { readonly kind: 'json'; readonly default: Json | undefined });

export interface Variant {
  readonly label: string;
  readonly description: string | null;
  readonly node: FieldNode;
}

/** What the form holds while someone types: strings for inputs, so nothing is lost mid-edit. */
export type Draft =
  string | boolean | { [key: string]: Draft } | { readonly variant: number; value: Draft } | null;

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `anyOf: [X, {type: null}]` is an optional X. */
function withoutNull(schema: Schema): Schema {
  const alts = (schema.anyOf ?? schema.oneOf) as unknown;
  if (!Array.isArray(alts)) return schema;
  const rest = alts.filter((a) => !(isObject(a) && a.type === 'null'));
  if (rest.length === 1 && rest.length !== alts.length && isObject(rest[0])) {
    const { anyOf: _a, oneOf: _o, ...outer } = schema;
    return { ...outer, ...rest[0] };
  }
  return schema;
}

function constOf(schema: unknown): Json | undefined {
  if (!isObject(schema)) return undefined;
  if ('const' in schema) return schema.const as Json;
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return schema.enum[0] as Json;
  return undefined;
}

/** The property every variant fixes to a different constant, if any. */
function discriminatorOf(variants: Schema[]): string | null {
  const first = variants[0];
  if (!first || !isObject(first.properties)) return null;
  for (const key of Object.keys(first.properties)) {
    const values = variants.map((v) => (isObject(v.properties) ? constOf(v.properties[key]) : undefined));
    if (values.every((x) => typeof x === 'string') && new Set(values).size === values.length) return key;
  }
  return null;
}

function variantLabel(v: Schema, discriminator: string | null, index: number): string {
  if (typeof v.title === 'string') return v.title;
  if (discriminator && isObject(v.properties)) {
    const c = constOf(v.properties[discriminator]);
    if (typeof c === 'string') return humanize(c);
  }
  const required = Array.isArray(v.required)
    ? v.required.filter((r): r is string => typeof r === 'string')
    : [];
  if (required.length > 0) return required.map(humanize).join(' + ');
  return `Option ${index + 1}`;
}

export function compileSchema(schema: unknown): FieldNode {
  return compile(isObject(schema) ? schema : {}, '', '', true);
}

function compile(raw: Schema, path: string, key: string, required: boolean): FieldNode {
  const schema = withoutNull(raw);
  const base: Base = {
    path,
    key,
    label: str(schema.title) ?? (key ? humanize(key) : 'Configuration'),
    description: str(schema.description),
    required,
  };
  const alts = (schema.oneOf ?? schema.anyOf) as unknown;
  if (Array.isArray(alts) && alts.length > 0 && alts.every(isObject)) {
    const variants = alts as Schema[];
    const discriminator = discriminatorOf(variants);
    const def = schema.default;
    let defaultVariant: number | null = null;
    if (discriminator && isObject(def)) {
      const i = variants.findIndex(
        (v) => isObject(v.properties) && constOf(v.properties[discriminator]) === def[discriminator],
      );
      defaultVariant = i === -1 ? null : i;
    }
    return {
      ...base,
      kind: 'choice',
      discriminator,
      defaultVariant,
      variants: variants.map((v, i) => ({
        label: variantLabel(v, discriminator, i),
        description: str(v.description),
        node: compile({ ...v, description: undefined }, path, key, true),
      })),
    };
  }
  const c = constOf(schema);
  if (c !== undefined && schema.type !== 'array') return { ...base, kind: 'const', value: c };
  const type = schema.type;
  if (Array.isArray(schema.enum) && schema.enum.every((e) => typeof e === 'string')) {
    return { ...base, kind: 'enum', options: schema.enum as string[], default: str(schema.default) };
  }
  if (type === 'object' || (type === undefined && isObject(schema.properties))) {
    const props = isObject(schema.properties) ? schema.properties : {};
    const req = new Set(Array.isArray(schema.required) ? schema.required : []);
    const hasFreeForm = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
    if (Object.keys(props).length === 0 && hasFreeForm) {
      return { ...base, kind: 'json', default: schema.default as Json | undefined };
    }
    return {
      ...base,
      kind: 'object',
      fields: Object.entries(props)
        .filter(([, s]) => isObject(s))
        .map(([k, s]) => compile(s as Schema, path ? `${path}.${k}` : k, k, req.has(k))),
    };
  }
  if (type === 'string') {
    const format = schema.format === 'uri' || schema.format === 'email' ? schema.format : null;
    const maxLength = num(schema.maxLength);
    return {
      ...base,
      kind: 'text',
      format,
      pattern: str(schema.pattern),
      minLength: num(schema.minLength),
      maxLength,
      multiline: format === null && maxLength !== null && maxLength > 2048,
      default: str(schema.default),
    };
  }
  if (type === 'integer' || type === 'number') {
    return {
      ...base,
      kind: 'number',
      integer: type === 'integer',
      minimum: num(schema.minimum),
      maximum: num(schema.maximum),
      default: num(schema.default),
    };
  }
  if (type === 'boolean') {
    return { ...base, kind: 'boolean', default: typeof schema.default === 'boolean' ? schema.default : null };
  }
  if (type === 'array' && isObject(schema.items) && schema.items.type === 'string') {
    const def = Array.isArray(schema.default)
      ? schema.default.filter((d): d is string => typeof d === 'string')
      : null;
    return {
      ...base,
      kind: 'list',
      itemPattern: str(schema.items.pattern),
      minItems: num(schema.minItems),
      maxItems: num(schema.maxItems),
      default: def,
    };
  }
  return { ...base, kind: 'json', default: schema.default as Json | undefined };
}

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
