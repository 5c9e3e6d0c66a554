import { parse as parseYaml } from 'yaml';

import { OpenApiError } from './openapi.errors.js';

/** A parsed OpenAPI 3.0/3.1 document: only the parts this pack reads are typed. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info?: { readonly title?: string; readonly version?: string };
  readonly servers?: readonly {
    readonly url: string;
    readonly variables?: Record<string, { default?: string }>;
  }[];
  readonly paths: Record<string, unknown>;
  readonly components?: Record<string, unknown>;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON or YAML text and checks it is an OpenAPI 3.0 or 3.1 document. */
export function parseDocument(text: string): OpenApiDocument {
  let raw: unknown;
  const trimmed = text.trimStart();
  try {
    // YAML is a superset of JSON, but JSON.parse is faster and gives clearer errors for JSON.
    raw = trimmed.startsWith('{')
      ? JSON.parse(trimmed)
      : parseYaml(text, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 200) : '';
    throw new OpenApiError(`The OpenAPI document is not valid JSON or YAML${detail ? ` (${detail})` : ''}.`);
  }
  if (!isObject(raw)) throw new OpenApiError('The OpenAPI document is not an object.');
  if (typeof raw.swagger === 'string') {
    throw new OpenApiError('Swagger 2.0 documents are not supported; convert it to OpenAPI 3.x first.');
  }
  if (typeof raw.openapi !== 'string' || !/^3\.[01]\.\d+/.test(raw.openapi)) {
    throw new OpenApiError('Only OpenAPI 3.0 and 3.1 documents are supported (the "openapi" field).');
  }
  if (!isObject(raw.paths)) throw new OpenApiError('The OpenAPI document has no "paths" object.');
  if (raw.servers !== undefined && !Array.isArray(raw.servers)) {
    throw new OpenApiError('The OpenAPI document\'s "servers" is not a list.');
  }
  return raw as unknown as OpenApiDocument;
}

/** Reads a local JSON pointer (`#/components/schemas/Pet`). Refs to other files or URLs are refused. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#')) {
    // Following it would fetch another document outside this pack's size and egress checks.
    throw new OpenApiError(
      `External $ref "${ref.slice(0, 200)}" is not supported; bundle the document first.`,
    );
  }
  if (ref === '#') return doc;
  if (!ref.startsWith('#/')) throw new OpenApiError(`Unsupported $ref "${ref.slice(0, 200)}".`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) throw new OpenApiError(`Unresolvable $ref "${ref}".`);
    if (!Object.hasOwn(node, key)) throw new OpenApiError(`Unresolvable $ref "${ref}".`);
    node = (node as JsonObject)[key];
  }
  return node;
}

/** Follows `$ref` chains of a non-schema object (parameter, request body). */
export function deref(doc: OpenApiDocument, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    if (seen.has(current.$ref)) throw new OpenApiError(`Circular $ref "${current.$ref}".`);
    seen.add(current.$ref);
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}

/** Keywords that describe documents or serialisation, not the values a caller sends. */
const DROPPED = new Set(['xml', 'externalDocs', 'discriminator', '$schema', '$id', '$anchor', '$comment']);
/** Resolving the same component again and again could blow up; a schema bigger than this is refused. */
const MAX_SCHEMA_NODES = 20_000;

/**
 * Turns an OpenAPI schema into a self-contained JSON Schema for the tool's input: local `$ref`s inlined
 * (a recursive ref becomes an unconstrained value, so the schema stays finite), 3.0 `nullable` and boolean
 * `exclusiveMinimum/Maximum` rewritten as JSON Schema, `example` kept as `examples`, and `readOnly`
 * properties removed because a request never sends them.
 */
export function toJsonSchema(doc: OpenApiDocument, schema: unknown, dialect30: boolean): JsonObject {
  let budget = MAX_SCHEMA_NODES;
  const visit = (node: unknown, stack: readonly string[]): unknown => {
    if (--budget < 0) throw new OpenApiError('A schema in the OpenAPI document is too large to use.');
    if (Array.isArray(node)) return node.map((n) => visit(n, stack));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      if (stack.includes(ref)) return { description: `(recursive ${ref.split('/').pop() ?? 'value'})` };
      const target = visit(resolvePointer(doc, ref), [...stack, ref]);
      // 3.1 allows siblings next to $ref (description, nullable...); they narrow or document the target.
      const siblings = Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref'));
      if (Object.keys(siblings).length === 0) return target;
      return { allOf: [target], ...(visit(siblings, stack) as JsonObject) };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.has(key)) continue;
      if (key === 'example') {
        if (node.examples === undefined) out.examples = [value];
        continue;
      }
      if (key === 'nullable') continue;
      if (key === 'properties' && isObject(value)) {
        const props: JsonObject = {};
        for (const [name, prop] of Object.entries(value)) {
          if (isObject(prop) && prop.readOnly === true) continue;
          props[name] = visit(prop, stack);
        }
        out.properties = props;
        continue;
      }
      out[key] = isObject(value) || Array.isArray(value) ? visit(value, stack) : value;
    }
    if (isObject(node.properties) && Array.isArray(out.required)) {
      const props = node.properties;
      out.required = (out.required as unknown[]).filter(
        (name) => !(typeof name === 'string' && isObject(props[name]) && props[name].readOnly === true),
      );
    }
    if (dialect30) {
      for (const [flag, bound] of [
        ['exclusiveMinimum', 'minimum'],
        ['exclusiveMaximum', 'maximum'],
      ] as const) {
        if (typeof out[flag] === 'boolean') {
          if (out[flag] === true && typeof out[bound] === 'number') {
            out[flag] = out[bound];
            delete out[bound];
          } else delete out[flag];
        }
      }
      if (node.nullable === true) {
        if (typeof out.type === 'string') out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null))
          out.enum = [...(out.enum as unknown[]), null];
      }
    }
    return out;
  };
  const result = visit(schema ?? {}, []);
  return isObject(result) ? result : {};
}
