import type { HttpMethod } from '@switchboard/http-client';

import { deref, isObject, toJsonSchema, type JsonObject, type OpenApiDocument } from './document.js';
import { OpenApiError } from './openapi.errors.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Header parameters a caller may not set: the platform owns authentication and framing. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'accept',
  'transfer-encoding',
  'connection',
]);

export type ParameterLocation = 'path' | 'query' | 'header';

/** One argument of a tool, and where it goes in the request. */
export interface ArgumentBinding {
  /** Property name in the tool's input. */
  readonly key: string;
  /** Name in the request (path template variable, query key, header name). */
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  /** Query/path style: arrays repeat the key (`explode`) or are joined with commas. */
  readonly explode: boolean;
}

export interface OperationSpec {
  readonly operationId: string;
  readonly toolName: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly deprecated: boolean;
  readonly parameters: readonly ArgumentBinding[];
  /** The request body, when the operation takes JSON or form data. */
  readonly body: { readonly mediaType: string; readonly required: boolean } | null;
  /** JSON Schema of the tool's input (an object). */
  readonly inputSchema: JsonObject;
}

export interface ExtractResult {
  readonly operations: OperationSpec[];
  /** Operations left out, with why (shown to the operator through the logger). */
  readonly skipped: { readonly operationId: string; readonly reason: string }[];
}

/** Tool names: lowercase `[a-z0-9_.-]`, at most 64 characters; camelCase becomes snake_case. */
export function toolNameFor(operationId: string): string {
  const name = operationId
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '');
  return (name || 'operation').slice(0, 64).replace(/[_.-]+$/, '');
}

function fallbackOperationId(method: string, path: string): string {
  const rest = path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return rest ? `${method}_${rest}` : method;
}

function bodyMediaType(content: JsonObject): string | null {
  const types = Object.keys(content);
  const json = types.find((t) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(t));
  if (json) return json;
  return types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t)) ?? null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Reads every operation of the document (or the chosen ones) into a tool specification. An operation that
 * cannot be called faithfully (a required cookie or a body that is neither JSON nor a form) is skipped
 * with a reason rather than exposed half-working.
 */
export function extractOperations(
  doc: OpenApiDocument,
  options: { readonly only?: readonly string[]; readonly max: number },
): ExtractResult {
  const dialect30 = doc.openapi.startsWith('3.0');
  const wanted = options.only ? new Set(options.only) : null;
  const operations: OperationSpec[] = [];
  const skipped: { operationId: string; reason: string }[] = [];
  const found = new Set<string>();
  const names = new Set<string>();

  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = deref(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const operationId = text(op.operationId) || fallbackOperationId(method, path);
      if (wanted && !wanted.has(operationId)) continue;
      found.add(operationId);
      if (operations.length >= options.max) {
        skipped.push({ operationId, reason: `more than ${options.max} operations` });
        continue;
      }
      try {
        const spec = buildOperation(doc, dialect30, {
          operationId,
          method,
          path,
          op,
          shared,
        });
        let toolName = spec.toolName;
        for (let n = 2; names.has(toolName); n++) toolName = `${spec.toolName.slice(0, 60)}_${n}`;
        names.add(toolName);
        operations.push({ ...spec, toolName });
      } catch (error) {
        if (!(error instanceof OpenApiError)) throw error;
        skipped.push({ operationId, reason: error.message });
      }
    }
  }
  if (wanted) {
    const missing = [...wanted].filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new OpenApiError(
        `The document has no operation ${missing.map((m) => `"${m.slice(0, 100)}"`).join(', ')}.`,
      );
    }
  }
  return { operations, skipped };
}

function buildOperation(
  doc: OpenApiDocument,
  dialect30: boolean,
  input: {
    operationId: string;
    method: (typeof METHODS)[number];
    path: string;
    op: JsonObject;
    shared: unknown[];
  },
): Omit<OperationSpec, 'toolName'> & { toolName: string } {
  const { op, path, method } = input;
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, JsonObject>();
  for (const raw of [...input.shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const p = deref(doc, raw);
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') {
      throw new OpenApiError('has a parameter without a name or location');
    }
    byKey.set(`${p.in}:${p.name}`, p);
  }

  const properties: JsonObject = {};
  const required: string[] = [];
  const parameters: ArgumentBinding[] = [];
  const used = new Set<string>(['body']);
  for (const p of byKey.values()) {
    const location = p.in as string;
    const name = p.name as string;
    if (location === 'cookie') {
      if (p.required === true) throw new OpenApiError(`needs the cookie parameter "${name}"`);
      continue;
    }
    if (location !== 'path' && location !== 'query' && location !== 'header') {
      throw new OpenApiError(`has a parameter in an unknown location "${location}"`);
    }
    if (location === 'header' && RESERVED_HEADERS.has(name.toLowerCase())) continue;
    const isRequired = location === 'path' || p.required === true;
    let key = name;
    if (used.has(key)) key = `${location}_${name}`;
    if (used.has(key)) throw new OpenApiError(`has two parameters named "${name}"`);
    used.add(key);

    let schema: JsonObject;
    if (p.schema !== undefined) schema = toJsonSchema(doc, p.schema, dialect30);
    else if (isObject(p.content)) {
      // A parameter with `content` carries serialised JSON; the model passes the value itself.
      const media = Object.values(p.content)[0];
      schema = toJsonSchema(doc, isObject(media) ? media.schema : undefined, dialect30);
    } else schema = { type: 'string' };
    const description = [text(p.description), location === 'path' ? '' : `(${location} parameter)`]
      .filter(Boolean)
      .join(' ');
    if (description && schema.description === undefined) schema = { ...schema, description };
    if (p.example !== undefined && schema.examples === undefined)
      schema = { ...schema, examples: [p.example] };
    if (p.deprecated === true) schema = { ...schema, deprecated: true };
    properties[key] = schema;
    if (isRequired) required.push(key);
    const style = typeof p.style === 'string' ? p.style : location === 'query' ? 'form' : 'simple';
    parameters.push({
      key,
      name,
      in: location,
      required: isRequired,
      explode: typeof p.explode === 'boolean' ? p.explode : style === 'form',
    });
  }

  for (const variable of path.matchAll(/\{([^}]+)\}/g)) {
    const name = variable[1] ?? '';
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      throw new OpenApiError(`has no parameter for the path variable "${name}"`);
    }
  }

  let body: OperationSpec['body'] = null;
  if (op.requestBody !== undefined) {
    const rb = deref(doc, op.requestBody);
    if (isObject(rb) && isObject(rb.content)) {
      const mediaType = bodyMediaType(rb.content);
      const bodyRequired = rb.required === true;
      if (mediaType === null) {
        if (bodyRequired) {
          throw new OpenApiError(
            `takes a ${Object.keys(rb.content)[0] ?? 'non-JSON'} request body; only JSON and form bodies are supported`,
          );
        }
      } else {
        const media = rb.content[mediaType];
        let schema = toJsonSchema(doc, isObject(media) ? media.schema : undefined, dialect30);
        const description = text(rb.description);
        if (description && schema.description === undefined) schema = { ...schema, description };
        properties.body = schema;
        if (bodyRequired) required.push('body');
        body = { mediaType, required: bodyRequired };
      }
    }
  }

  const inputSchema: JsonObject = {
    type: 'object',
    properties,
    ...(required.length > 0 && { required }),
    additionalProperties: false,
  };
  return {
    operationId: input.operationId,
    toolName: toolNameFor(input.operationId),
    method: method.toUpperCase() as HttpMethod,
    path,
    summary: text(op.summary),
    description: text(op.description),
    deprecated: op.deprecated === true,
    parameters,
    body,
    inputSchema,
  };
}
