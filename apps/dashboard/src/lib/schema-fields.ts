/**
 * The fields of the "add integration" form, read from a pack's config JSON Schema (draft 2020-12, as
 * zod emits it): objects, strings (URL, email, pattern, long text), numbers, booleans, enums, string
 * lists, choices between variants (`oneOf`/`anyOf`, named by a constant property when there is one), and
 * raw JSON for anything else. Values: schema-form.ts.
 */
import { humanize } from '../api/errors';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
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

export function isObject(v: unknown): v is Schema {
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
